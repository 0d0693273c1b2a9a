#include "hw_exporter/http/response_cache.h"

#include <future>
#include <list>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "hw_exporter/cache/scrape_cadence.h"

namespace hw_exporter {

namespace {

// A response and what it is valid for.
struct Held {
  std::shared_ptr<const Response> response;  // null: none
  std::uint64_t generation = 0;
  Clock::SteadyTime from{};  // when it was rendered, or the arrival it was rendered for; its TTL counts from here
  std::size_t bytes = 0;

  // For one rendered for an arrival: when it takes the place of the held one, within the margin by which arrivals
  // of one cadence are one.
  Clock::SteadyTime TakesOverAt() const { return from - ScrapeCadence::kSameMoment; }
};

struct Entry {
  std::string key;
  Held held;      // what a request is served
  Held foreseen;  // rendered for a later arrival (RenderFor); replaces `held` just before it
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;
  std::uint64_t coalesced = 0;
  std::uint64_t rendered_ahead = 0;

  std::size_t bytes() const { return held.bytes + foreseen.bytes; }
};

// A render under way for one key; later requests for the key wait on it instead of rendering again.
struct Flight {
  std::shared_future<std::shared_ptr<const Response>> result;
  std::uint64_t coalesced = 0;
};

}  // namespace

struct ResponseCache::State {
  State(ResponseCacheOptions o, Clock& c) : options(o), clock(c) {}

  ResponseCacheOptions options;
  Clock& clock;
  mutable std::mutex mutex;
  std::list<Entry> lru;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index;
  std::unordered_map<std::string, Flight> flights;
  ResponseCacheStats totals;

  bool Fresh(const Held& held, std::uint64_t generation, Clock::SteadyTime now) const {
    return held.response && held.generation == generation && now < held.from + options.ttl;
  }

  // The entry's response at `now`: the one rendered for a foreseen arrival once it takes over. Callers hold
  // `mutex`.
  Held& HeldAt(Entry& entry, Clock::SteadyTime now) {
    if (entry.foreseen.response && now >= entry.foreseen.TakesOverAt()) {
      totals.bytes -= entry.held.bytes;
      entry.held = std::exchange(entry.foreseen, {});
    }
    return entry.held;
  }

  // Renders the key's response as a flight that later requests of the key wait on, and stores it; `ahead` for a
  // render no request asked for yet. Called with `lock` held on `mutex`, and no flight of the key under way;
  // returns with it released.
  std::shared_ptr<const Response> Fly(const std::string& key, std::unique_lock<std::mutex>& lock,
                                      const std::function<Rendered()>& render, bool ahead);
  // Callers hold `mutex`.
  void Store(const std::string& key, const Rendered& rendered, std::uint64_t coalesced, bool ahead);
  void EvictToBounds();
};

void ResponseCache::State::Store(const std::string& key, const Rendered& rendered, std::uint64_t coalesced,
                                 bool ahead) {
  std::size_t bytes = rendered.response->size() + key.size();
  if (rendered.response->status != 200 || bytes > options.max_bytes || options.max_entries == 0) return;
  auto found = index.find(key);
  if (found == index.end()) {
    lru.emplace_front();
    lru.front().key = key;
    found = index.emplace(key, lru.begin()).first;
  } else {
    lru.splice(lru.begin(), lru, found->second);
    totals.bytes -= found->second->bytes();
  }
  Entry& entry = *found->second;
  entry.held = {rendered.response, rendered.generation, clock.Now(), bytes};
  if (entry.foreseen.generation != rendered.generation) entry.foreseen = {};  // rendered from data replaced since
  (ahead ? entry.rendered_ahead : entry.misses) += 1;
  entry.coalesced += coalesced;
  totals.bytes += entry.bytes();
  EvictToBounds();
}

void ResponseCache::State::EvictToBounds() {
  while (lru.size() > options.max_entries || totals.bytes > options.max_bytes) {
    const Entry& oldest = lru.back();
    totals.bytes -= oldest.bytes();
    index.erase(oldest.key);
    lru.pop_back();
    ++totals.evictions;
  }
}

ResponseCache::ResponseCache(ResponseCacheOptions options, Clock& clock)
    : state_(std::make_unique<State>(options, clock)) {}

ResponseCache::~ResponseCache() = default;

CacheLookup ResponseCache::Get(const std::string& key, std::uint64_t current_generation,
                               const std::function<Rendered()>& render) {
  std::unique_lock lock(state_->mutex);
  ++state_->totals.requests;
  if (auto found = state_->index.find(key); found != state_->index.end()) {
    Entry& entry = *found->second;
    const Clock::SteadyTime now = state_->clock.Now();
    if (const Held& held = state_->HeldAt(entry, now); state_->Fresh(held, current_generation, now)) {
      ++entry.hits;
      ++state_->totals.hits;
      state_->lru.splice(state_->lru.begin(), state_->lru, found->second);
      return {held.response, CacheOutcome::kHit};
    }
  }
  if (auto flight = state_->flights.find(key); flight != state_->flights.end()) {
    ++flight->second.coalesced;
    ++state_->totals.coalesced;
    auto result = flight->second.result;
    lock.unlock();
    return {result.get(), CacheOutcome::kCoalesced};
  }

  ++state_->totals.misses;
  return {state_->Fly(key, lock, render, /*ahead=*/false), CacheOutcome::kMiss};
}

void ResponseCache::RenderAhead(const std::string& key, std::uint64_t current_generation,
                                const std::function<Rendered()>& render) {
  std::unique_lock lock(state_->mutex);
  const Clock::SteadyTime now = state_->clock.Now();
  if (auto found = state_->index.find(key);
      found != state_->index.end() && state_->Fresh(state_->HeldAt(*found->second, now), current_generation, now))
    return;
  if (state_->flights.contains(key)) return;
  ++state_->totals.rendered_ahead;
  state_->Fly(key, lock, render, /*ahead=*/true);
}

void ResponseCache::RenderFor(const std::string& key, Clock::SteadyTime arrival, std::uint64_t current_generation,
                              const std::function<Rendered()>& render) {
  {
    std::lock_guard lock(state_->mutex);
    auto found = state_->index.find(key);
    if (found == state_->index.end()) return;
    const Entry& entry = *found->second;
    if (state_->Fresh(entry.held, current_generation, arrival)) return;
    if (entry.foreseen.from == arrival && state_->Fresh(entry.foreseen, current_generation, arrival)) return;
  }
  const Rendered rendered = render();
  std::lock_guard lock(state_->mutex);
  auto found = state_->index.find(key);  // evicted or reset meanwhile: nothing to keep it beside
  const std::size_t bytes = rendered.response->size();
  if (found == state_->index.end() || rendered.response->status != 200 || bytes > state_->options.max_bytes) return;
  Entry& entry = *found->second;
  state_->totals.bytes -= entry.foreseen.bytes;
  entry.foreseen = {rendered.response, rendered.generation, arrival, bytes};
  state_->totals.bytes += bytes;
  ++entry.rendered_ahead;
  ++state_->totals.rendered_ahead;
  state_->EvictToBounds();
}

std::shared_ptr<const Response> ResponseCache::State::Fly(const std::string& key, std::unique_lock<std::mutex>& lock,
                                                          const std::function<Rendered()>& render, bool ahead) {
  std::promise<std::shared_ptr<const Response>> promise;
  flights.emplace(key, Flight{promise.get_future().share()});
  lock.unlock();

  Rendered rendered;
  try {
    rendered = render();
  } catch (...) {
    lock.lock();
    flights.erase(key);
    lock.unlock();
    promise.set_exception(std::current_exception());
    throw;
  }
  lock.lock();
  auto flight = flights.find(key);
  Store(key, rendered, flight->second.coalesced, ahead);
  flights.erase(flight);
  lock.unlock();
  promise.set_value(rendered.response);
  return rendered.response;
}

void ResponseCache::Reset(ResponseCacheOptions options) {
  std::lock_guard lock(state_->mutex);
  state_->options = options;
  state_->lru.clear();
  state_->index.clear();
  state_->totals.bytes = 0;
}

ResponseCacheStats ResponseCache::Stats() const {
  std::lock_guard lock(state_->mutex);
  ResponseCacheStats stats = state_->totals;
  stats.entries = state_->lru.size();
  stats.max_entries = state_->options.max_entries;
  stats.max_bytes = state_->options.max_bytes;
  stats.ttl = state_->options.ttl;
  Clock::SteadyTime now = state_->clock.Now();
  for (const Entry& entry : state_->lru) {
    // A response rendered for an arrival becomes due up to kSameMoment before it: no age yet.
    auto age = std::max(Duration::zero(), std::chrono::duration_cast<Duration>(now - entry.held.from));
    auto expires_in = std::chrono::duration_cast<Duration>(entry.held.from + state_->options.ttl - now);
    std::optional<Duration> next_response_in;
    if (entry.foreseen.response)
      next_response_in = std::max(Duration::zero(),
                                  std::chrono::duration_cast<Duration>(entry.foreseen.TakesOverAt() - now));
    stats.per_key.push_back({entry.key, entry.hits, entry.misses, entry.coalesced, entry.rendered_ahead, entry.bytes(),
                             entry.held.generation, age, std::max(Duration::zero(), expires_in), next_response_in});
  }
  return stats;
}

}  // namespace hw_exporter

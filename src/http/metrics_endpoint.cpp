#include "hw_exporter/http/metrics_endpoint.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <mutex>
#include <optional>
#include <utility>

#include "hw_exporter/core/strings.h"
#include "hw_exporter/http/http_error.h"
#include "hw_exporter/http/negotiation.h"

namespace hw_exporter {

// The keys asked for since the last RenderAhead(), with what renders each.
struct MetricsEndpoint::AskedKeys {
  struct Asked {
    ScrapeQuery query;
    Format format;
    ContentEncoding encoding;
  };

  // A thread that noted its request's key since the last Take() does not take the lock again for it: under a
  // burst, every scrape would.
  void Note(Negotiated& asked) {
    if (asked.noted_in_round == round.load(std::memory_order_acquire)) return;
    std::lock_guard lock(mutex);
    if (keys.size() < kMostKeysAhead && !keys.contains(asked.key))
      keys.emplace(asked.key, Asked{asked.query, asked.format, asked.encoding});
    asked.noted_in_round = round.load(std::memory_order_relaxed);
  }

  std::map<std::string, Asked> Take() {
    std::lock_guard lock(mutex);
    round.fetch_add(1, std::memory_order_release);
    return std::exchange(keys, {});
  }

  std::mutex mutex;
  std::map<std::string, Asked> keys;
  std::atomic<std::uint64_t> round{1};  // how many times the keys were taken, plus one; moved under `mutex`
};

namespace {

std::atomic<std::uint64_t> next_endpoint_id{1};

}  // namespace

MetricsEndpoint::MetricsEndpoint(MetricsEndpointOptions options, FamilyCache& families, ResponseCache* response_cache)
    : options_(std::move(options)),
      families_(families),
      response_cache_(response_cache),
      asked_(std::make_unique<AskedKeys>()),
      id_(next_endpoint_id++) {}

MetricsEndpoint::~MetricsEndpoint() = default;
MetricsEndpoint::MetricsEndpoint(MetricsEndpoint&&) noexcept = default;

std::string MetricsEndpoint::Key(const ScrapeQuery& query, Format format, ContentEncoding encoding) const {
  std::string key = options_.path;
  key += '?';
  key += query.canonical;
  key += ' ';
  key += ContentType(format);
  key += ' ';
  key += EncodingName(encoding);
  return key;
}

Duration ScrapeWaitBudget(std::optional<std::string_view> timeout_header, Duration fallback, Duration offset) {
  if (!timeout_header) return fallback;
  auto seconds = ParseDouble(*timeout_header);
  if (!seconds || !std::isfinite(*seconds) || *seconds < 0)
    throw HttpError(400, "X-Prometheus-Scrape-Timeout-Seconds: expected a number of seconds, got \"" +
                             std::string(timeout_header->substr(0, 32)) + "\"");
  // Clamped before it becomes a duration: 1e300 seconds would overflow it.
  const double clamped = std::min(*seconds, std::chrono::duration<double>(kLongestScrapeTimeout).count());
  const auto budget = std::chrono::duration_cast<Duration>(std::chrono::duration<double>(clamped)) - offset;
  return std::max(budget, Duration::zero());
}

// Prometheus sends the same query and headers at every scrape of a target, and parsing them was most of a cached
// scrape's instructions (NegotiateFormat alone about 4,800 of 7,400, under callgrind): each thread remembers the
// last request it negotiated, and parses one only when it differs.
MetricsEndpoint::Negotiated& MetricsEndpoint::Negotiate(const Request& request) const {
  struct Last {
    std::uint64_t endpoint = 0;
    std::string query;
    std::optional<std::string> accept, accept_encoding, timeout;
    Negotiated negotiated;
  };
  thread_local Last last;
  const auto accept = request.Header("Accept");
  const auto accept_encoding = request.Header("Accept-Encoding");
  const auto timeout = request.Header("X-Prometheus-Scrape-Timeout-Seconds");
  if (last.endpoint == id_ && last.query == request.query && last.accept == accept &&
      last.accept_encoding == accept_encoding && last.timeout == timeout)
    return last.negotiated;
  Negotiated fresh;
  fresh.query = ParseScrapeQuery(request.query, options_.enabled_collectors);
  fresh.format = NegotiateFormat(accept, options_.openmetrics);
  fresh.encoding = NegotiateEncoding(accept_encoding);
  fresh.budget = ScrapeWaitBudget(timeout, options_.scrape_timeout, options_.timeout_offset);
  fresh.key = Key(fresh.query, fresh.format, fresh.encoding);
  auto copy = [](std::optional<std::string_view> value) {
    return value ? std::optional<std::string>(*value) : std::nullopt;
  };
  last = {id_, std::string(request.query), copy(accept), copy(accept_encoding), copy(timeout), std::move(fresh)};
  return last.negotiated;
}

std::shared_ptr<const Response> MetricsEndpoint::Handle(const Request& request) const {
  try {
    Negotiated& asked = Negotiate(request);
    const ScrapeQuery& query = asked.query;
    // Before the refreshes this scrape asks for can end, so that the render after them includes its key.
    if (response_cache_) asked_->Note(asked);
    // Before the response cache is asked: a slot refreshed for this scrape moves the generation only when its
    // refresh ends, so this scrape is served what the cache holds, and the next one the refreshed data.
    families_.Demand([&](const SlotState& slot) { return !slot.is_collector || query.Selects(slot.name); },
                     request.connection);
    auto render = [&] {
      const FamilySnapshot snapshot = families_.Snapshot(query.Selected(options_.enabled_collectors), asked.budget);
      return Respond(RestOf(snapshot, asked.format, asked.encoding).Complete(snapshot), asked.format, asked.encoding,
                     snapshot.generation);
    };
    if (!response_cache_) return render().response;
    return response_cache_->Get(asked.key, families_.generation(), render).response;
  } catch (const HttpError& error) {
    return MakeTextResponse(error.status(), error.what());
  }
}

void MetricsEndpoint::RenderAhead() const {
  if (!response_cache_) return;
  for (const auto& [key, asked] : asked_->Take()) {
    FamilySnapshot snapshot = families_.Snapshot(asked.query.Selected(options_.enabled_collectors), Duration::zero());
    if (!std::all_of(snapshot.slots.begin(), snapshot.slots.end(), Ready)) continue;
    // Made by the first response rendered here, and shared by the second.
    std::optional<BodyRest> rest;
    auto respond = [&] {
      if (!rest) rest.emplace(RestOf(snapshot, asked.format, asked.encoding));
      return Respond(rest->Complete(snapshot), asked.format, asked.encoding, snapshot.generation);
    };
    response_cache_->RenderAhead(key, snapshot.generation, respond);
    // Another scraper often comes after that response's TTL, served the same data (it is new to it: the refreshes
    // are shared). Its response, rendered now, shares the first's rest (BodyRest): all it adds is the ages of the
    // collectors' samples as of its foreseen arrival, to which the snapshot `respond` completes is moved.
    if (!snapshot.read_after_next) continue;
    const auto until_then = *snapshot.read_after_next - snapshot.taken_at;
    snapshot.taken_at += until_then;
    snapshot.taken_wall += std::chrono::duration_cast<Clock::WallTime::duration>(until_then);
    response_cache_->RenderFor(key, snapshot.taken_at, snapshot.generation, respond);
  }
}

BodyRest MetricsEndpoint::RestOf(const FamilySnapshot& snapshot, Format format, ContentEncoding encoding) const {
  FamilySet own;
  if (response_cache_) AddResponseCacheMetrics(own, response_cache_->Stats());
  if (options_.add_own_families) options_.add_own_families(own);
  return BodyRest(snapshot, own.Take(), format, encoding);
}

Rendered MetricsEndpoint::Respond(std::string body, Format format, ContentEncoding encoding, std::uint64_t generation) {
  Headers headers{{"Content-Type", std::string(ContentType(format))}, {"Vary", "Accept, Accept-Encoding"}};
  if (encoding == ContentEncoding::kGzip) headers.emplace_back("Content-Encoding", "gzip");
  return {MakeResponse(200, headers, std::move(body)), generation};
}

}  // namespace hw_exporter

#include "hw_exporter/cache/family_cache.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "hw_exporter/core/log.h"

namespace hw_exporter {

namespace {

// Slow collectors say in their HELP that their samples come from a cache, so that a reader of a raw scrape
// knows why a value did not move.
constexpr Duration kAnnotateFrom = std::chrono::minutes(1);

void AnnotateCached(Families& families, Duration ttl) {
  std::string note = " (cached by hw_exporter: refreshed every " + FormatDuration(ttl) + ")";
  for (auto& family : families) family.help += note;
}

struct Slot {
  SlotState state;
  std::function<Families()> refresh;
  Clock::SteadyTime next_due{};
  Clock::SteadyTime attempt_started{};
  bool timed_out = false;  // the refresh under way has been given up on
};

}  // namespace

struct FamilyCache::Shared {
  explicit Shared(Clock& c) : clock(c) {}

  Clock& clock;
  mutable std::mutex mutex;
  mutable std::condition_variable changed;  // a refresh finished, a slot changed, or stop
  std::vector<Slot> slots;
  std::atomic<std::uint64_t> generation{1};
  bool stopping = false;
  int refreshing = 0;
  std::thread scheduler;

  // Callers hold `mutex`.
  void Bump(Slot& slot) {
    slot.state.generation = generation.fetch_add(1) + 1;
    changed.notify_all();
  }
  void StartRefresh(const std::shared_ptr<Shared>& self, size_t index, Clock::SteadyTime now);
  void Finish(size_t index, Families families, std::string error);
  Clock::SteadyTime Check(const std::shared_ptr<Shared>& self, size_t index, Clock::SteadyTime now);
};

FamilyCache::FamilyCache(std::vector<SlotSettings> settings, Clock& clock) : shared_(std::make_shared<Shared>(clock)) {
  for (auto& setting : settings) {
    Slot& slot = shared_->slots.emplace_back();
    slot.state.name = std::move(setting.name);
    slot.state.ttl = setting.ttl;
    slot.state.timeout = setting.timeout;
    slot.state.max_staleness = std::max(setting.max_staleness, setting.ttl + setting.timeout);
    slot.refresh = std::move(setting.refresh);
  }
}

FamilyCache::~FamilyCache() { Stop(); }

void FamilyCache::Start() {
  std::lock_guard lock(shared_->mutex);
  if (shared_->scheduler.joinable()) return;
  shared_->scheduler = std::thread([this] {
    std::unique_lock scheduler_lock(shared_->mutex);
    while (!shared_->stopping) {
      scheduler_lock.unlock();
      Clock::SteadyTime next = Tick();
      scheduler_lock.lock();
      if (shared_->stopping) break;
      shared_->changed.wait_until(scheduler_lock, next);
    }
  });
}

void FamilyCache::Stop(Duration grace) {
  std::thread scheduler;
  {
    std::lock_guard lock(shared_->mutex);
    shared_->stopping = true;
    shared_->changed.notify_all();
    scheduler = std::move(shared_->scheduler);
  }
  if (scheduler.joinable()) scheduler.join();
  WaitIdle(grace);
}

std::uint64_t FamilyCache::generation() const { return shared_->generation.load(); }

void FamilyCache::Shared::StartRefresh(const std::shared_ptr<Shared>& self, size_t index, Clock::SteadyTime now) {
  Slot& slot = slots[index];
  slot.state.refreshing = true;
  slot.timed_out = false;
  slot.attempt_started = now;
  slot.next_due = now + slot.state.ttl;
  ++refreshing;
  // The thread owns what it needs, so that a refresh that hangs past Stop() touches nothing freed.
  std::thread([self, index, refresh = slot.refresh, ttl = slot.state.ttl] {
    Families families;
    std::string error;
    try {
      families = refresh();
      if (ttl >= kAnnotateFrom) AnnotateCached(families, ttl);
    } catch (const std::exception& exception) {
      error = exception.what();
      if (error.empty()) error = "collector failed without a message";
    } catch (...) {
      error = "collector threw a non-standard exception";
    }
    self->Finish(index, std::move(families), std::move(error));
  }).detach();
}

void FamilyCache::Shared::Finish(size_t index, Families families, std::string error) {
  std::lock_guard lock(mutex);
  Slot& slot = slots[index];
  --refreshing;
  slot.state.refreshing = false;
  if (slot.timed_out) {
    log::Debug("late refresh result discarded", {{"collector", slot.state.name}});
    changed.notify_all();
    return;
  }
  Clock::SteadyTime now = clock.Now();
  slot.state.attempted = true;
  slot.state.last_duration = now - slot.attempt_started;
  ++slot.state.refreshes;
  if (error.empty()) {
    slot.state.families = std::make_shared<const Families>(std::move(families));
    slot.state.collected_at = now;
    slot.state.last_success = clock.WallNow();
    slot.state.success = true;
    slot.state.last_error.clear();
  } else {
    if (slot.state.success || slot.state.last_error != error)
      log::Warn("collector failed", {{"collector", slot.state.name}, {"err", error}});
    slot.state.success = false;
    slot.state.last_error = std::move(error);
    ++slot.state.failures;
  }
  Bump(slot);
}

// Advances one slot; returns when it next needs a look.
Clock::SteadyTime FamilyCache::Shared::Check(const std::shared_ptr<Shared>& self, size_t index,
                                             Clock::SteadyTime now) {
  Slot& slot = slots[index];
  SlotState& state = slot.state;
  Clock::SteadyTime next = Clock::SteadyTime::max();

  if (state.refreshing && !slot.timed_out) {
    Clock::SteadyTime deadline = slot.attempt_started + state.timeout;
    if (now >= deadline) {
      slot.timed_out = true;
      state.attempted = true;
      state.success = false;
      state.last_duration = state.timeout;
      state.last_error = "timed out after " + FormatDuration(state.timeout);
      ++state.refreshes;
      ++state.failures;
      log::Warn("collector timed out", {{"collector", state.name}, {"timeout", FormatDuration(state.timeout)}});
      Bump(slot);
    } else {
      next = deadline;
    }
  }
  if (!state.refreshing && !stopping) {
    if (now >= slot.next_due) StartRefresh(self, index, now);
    next = std::min(next, state.refreshing ? now + state.timeout : slot.next_due);
  }
  if (state.families) {
    Clock::SteadyTime stale_at = state.collected_at + state.max_staleness;
    if (now >= stale_at) {
      state.families.reset();
      log::Warn("cached families dropped: older than max staleness",
                {{"collector", state.name}, {"max_staleness", FormatDuration(state.max_staleness)}});
      Bump(slot);
    } else {
      next = std::min(next, stale_at);
    }
  }
  return next;
}

Clock::SteadyTime FamilyCache::Tick() {
  std::lock_guard lock(shared_->mutex);
  Clock::SteadyTime now = shared_->clock.Now();
  Clock::SteadyTime next = now + std::chrono::hours(1);
  for (size_t i = 0; i < shared_->slots.size(); ++i) next = std::min(next, shared_->Check(shared_, i, now));
  return next;
}

FamilySnapshot FamilyCache::Snapshot(const std::vector<std::string>& names, Duration max_wait) const {
  auto selected = [&names](const Slot& slot) {
    return names.empty() || std::find(names.begin(), names.end(), slot.state.name) != names.end();
  };
  auto ready = [&] {
    return std::all_of(shared_->slots.begin(), shared_->slots.end(), [&](const Slot& slot) {
      return !selected(slot) || slot.state.attempted || slot.state.families;
    });
  };
  std::unique_lock lock(shared_->mutex);
  shared_->changed.wait_for(lock, max_wait, [&] { return shared_->stopping || ready(); });

  FamilySnapshot snapshot;
  snapshot.generation = shared_->generation.load();
  snapshot.taken_at = shared_->clock.Now();
  snapshot.taken_wall = shared_->clock.WallNow();
  for (const Slot& slot : shared_->slots)
    if (selected(slot)) snapshot.slots.push_back(slot.state);
  return snapshot;
}

bool FamilyCache::WaitIdle(Duration max_wait) const {
  std::unique_lock lock(shared_->mutex);
  return shared_->changed.wait_for(lock, max_wait, [&] { return shared_->refreshing == 0; });
}

}  // namespace hw_exporter

#include "hw_exporter/cache/family_cache.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "alarm.h"
#include "hw_exporter/cache/scrape_cadence.h"
#include "hw_exporter/core/incomplete_refresh.h"
#include "hw_exporter/core/log.h"
#include "hw_exporter/core/thread_registry.h"

namespace hw_exporter {

namespace {

// The families of one refresh, or why there are none; both for an incomplete one.
struct Outcome {
  Families families;
  std::string error;
  std::vector<std::string> problems;
  bool incomplete = false;
};

Outcome RunRefresh(const std::function<Families()>& refresh,
                   const std::function<std::vector<std::string>()>& problems) {
  try {
    Families families = refresh();
    return {std::move(families), {}, problems ? problems() : std::vector<std::string>{}};
  } catch (IncompleteRefresh& incomplete) {
    return {std::move(incomplete.families), incomplete.what(), problems ? problems() : std::vector<std::string>{},
            /*incomplete=*/true};
  } catch (const std::exception& exception) {
    std::string error = exception.what();
    return {{}, error.empty() ? "collector failed without a message" : error, {}};
  } catch (...) {
    return {{}, "collector threw a non-standard exception", {}};
  }
}

// Whether `before` holds families of the very names of `after`, in the same order.
bool SameNames(const std::shared_ptr<const Families>& before, const Families& after) {
  return before && std::equal(before->begin(), before->end(), after.begin(), after.end(),
                              [](const auto& one, const auto& other) { return one.name == other.name; });
}

// How long a refresh a reader asked for may wait in the refresher's queue before the slot's own worker takes it: long
// enough for a batch of cheap refreshes to pass, short against any TTL. Kept under a quarter of the slot's timeout,
// so that the wait never makes a refresh time out.
constexpr Duration kRefresherPatience = std::chrono::milliseconds(200);

// How long before a foreseen scrape the refreshes it will want start, besides twice their last duration: room for
// the refresher to wake and for the scrape to come a little early.
constexpr Duration kAheadMargin = std::chrono::milliseconds(100);

}  // namespace

struct FamilyCache::Slot {
  SlotState state;
  std::string fingerprint;
  std::function<Families()> refresh;
  std::function<std::vector<std::string>()> problems;
  bool yields_names = false;
  // For a slot that yields names: its families as refreshed, and those that `state.families` was last made from.
  std::shared_ptr<const Families> collected;
  std::shared_ptr<const Families> yielded_from;
  Clock::SteadyTime next_due{};
  // For a slot refreshed on demand that the next scrape, foreseen, would find older than its TTL: when its refresh
  // starts, so that it ends just before that scrape. max(): none planned.
  Clock::SteadyTime ahead_at = Clock::SteadyTime::max();
  Clock::SteadyTime attempt_started{};
  bool timed_out = false;        // the refresh under way has been given up on
  bool refresh_now = false;      // its watch says its sources changed
  bool requested = false;        // a refresh was handed over (to the worker or the refresher) and not taken yet
  bool queued = false;           // requested, and waiting in the refresher's queue rather than for the worker
  bool on_refresher = false;     // its refresh is under way on the refresher
  bool dropped = false;          // no longer one of the cache's slots: its worker ends
  std::condition_variable wake;  // requested for the worker, dropped, or stopping
  std::thread worker;

  // Whether the slot's own worker is inside a refresh, which may hang.
  bool InWorkersRefresh() const { return state.refreshing && !requested && !on_refresher; }

  // When a read finds a slot refreshed on demand due: a tenth of its TTL before next_due, so that a scraper whose
  // interval is the TTL asks for a refresh at every scrape, on whichever side of next_due its scrape lands (or its
  // refresh just ahead of it lands).
  Clock::SteadyTime DemandDueAt() const { return next_due - state.ttl / 10; }
};

struct FamilyCache::Shared {
  explicit Shared(Clock& c) : clock(c) {}

  Clock& clock;
  mutable std::mutex mutex;
  mutable std::condition_variable changed;  // a refresh finished, a slot changed, or a scheduling step: for readers
  // The scheduler's: rung when it must look now (new slots, a slot whose sources changed, stop), set to the next
  // time it must look. A deadline that stops mattering is moved without waking it.
  mutable Alarm alarm;
  // The refresher's: rung when its queue fills or at stop, and, while the scheduler runs, set to the first refresh
  // planned ahead of a read (`first_planned`). The refresher takes the scheduling step that starts that refresh
  // itself, where the scheduler would wake only to hand it over.
  mutable Alarm planned;
  Clock::SteadyTime first_planned = Clock::SteadyTime::max();
  // A slot is shared by the cache and by the thread inside its refresh, so that a slot dropped by Replace() during
  // a refresh (which may hang) lives until the refresh returns.
  std::vector<std::shared_ptr<Slot>> slots;
  // The refreshes readers asked for, in order, for the refresher: one thread, already awake, runs them one after
  // another, where waking each slot's worker would cost a thread switch per refresh. A refresh that waits longer
  // than its patience (one before it is slow, or hangs) is handed to its slot's own worker by the scheduler.
  std::deque<std::shared_ptr<Slot>> queue;
  std::shared_ptr<Slot> on_refresher;  // the slot whose refresh the refresher runs
  std::thread refresher;
  std::function<void()> after_refreshes;  // AfterRefreshes()
  bool in_after_refreshes = false;        // the refresher is calling it
  std::atomic<std::uint64_t> generation{1};
  ScrapeCadence cadence;  // of the reads, for the refreshes ahead of the next
  // Filled and read by one Demand() under the lock; kept, so that a scrape allocates nothing.
  std::vector<Slot*> planning;
  std::vector<Slot*> sharing;
  // The earliest time at which a slot refreshed on demand may need a refresh: before it, Demand() has nothing to do.
  std::atomic<Clock::SteadyTime::rep> demand_due{Clock::SteadyTime::max().time_since_epoch().count()};
  bool stopping = false;
  int refreshing = 0;
  std::uint64_t ticks = 0;   // scheduling steps taken
  bool names_moved = false;  // the names some slot holds changed since the last Yield(), or a yielding slot's families
  std::thread scheduler;

  // Callers hold `mutex`.
  void Bump(Slot& slot) {
    slot.state.generation = generation.fetch_add(1) + 1;
    changed.notify_all();
  }
  // Hands the slot's refresh to its worker, or to the refresher's queue.
  void Request(const std::shared_ptr<Slot>& slot, Clock::SteadyTime now, bool to_refresher = false);
  // Runs the slot's refresh without the lock, and reports it.
  void Run(Slot& slot, std::unique_lock<std::mutex>& lock);
  void Finish(Slot& slot, Outcome outcome);
  // Tick() with the lock held.
  Clock::SteadyTime Step();
  // A scheduling step taken by the calling thread, which moves the scheduler's alarm to the time the step leaves,
  // without waking it. Without a scheduler (tests step the cache with Tick()), only Yield() and UpdatePlans().
  void StepHere();
  Clock::SteadyTime Check(const std::shared_ptr<Slot>& slot, Clock::SteadyTime now);
  // Drops the slot's families as too old to serve.
  void Expire(Slot& slot);
  // Updates demand_due and first_planned (and the refresher's alarm to it, while the scheduler runs).
  void UpdatePlans();
  // Makes the slot of that name due now and wakes the scheduler.
  void RefreshNow(const std::string& name);
  // Takes out of each yielding slot's families those whose names other slots hold.
  void Yield();

  // The worker's loop: waits for a request, runs the refresh, reports it.
  void Work(Slot& slot);
  // The refresher's loop: runs the queued refreshes one after another.
  void RunQueue();
  // Calls after_refreshes without the lock, once the refresher's queue is empty.
  void CallAfterRefreshes(std::unique_lock<std::mutex>& lock);
};

FamilyCache::FamilyCache(std::vector<SlotSettings> settings, Clock& clock) : shared_(std::make_shared<Shared>(clock)) {
  std::lock_guard lock(shared_->mutex);
  for (auto& setting : settings) shared_->slots.push_back(MakeSlot(std::move(setting)));
  // The refresher owns the shared state, as each worker does.
  shared_->refresher = std::thread([shared = shared_] { shared->RunQueue(); });
}

std::shared_ptr<FamilyCache::Slot> FamilyCache::MakeSlot(SlotSettings settings) {
  auto slot = std::make_shared<Slot>();
  slot->state.name = std::move(settings.name);
  slot->state.is_collector = settings.is_collector;
  slot->state.ttl = settings.ttl;
  slot->state.timeout = settings.timeout;
  slot->state.max_staleness = std::max(settings.max_staleness, settings.ttl + settings.timeout);
  slot->fingerprint = std::move(settings.fingerprint);
  slot->refresh = std::move(settings.refresh);
  slot->problems = std::move(settings.problems);
  slot->yields_names = settings.yields_names;
  slot->state.on_demand = settings.on_demand;
  // The function holds the shared state weakly: a watch that outlives the cache calls into nothing.
  if (settings.watch) {
    settings.watch([weak = std::weak_ptr<Shared>(shared_), name = slot->state.name] {
      if (auto shared = weak.lock()) shared->RefreshNow(name);
    });
  }
  // Each worker owns the shared state and its slot, so that one still inside a hung refresh after Stop() or
  // Replace() touches nothing freed.
  slot->worker = std::thread([shared = shared_, slot] { shared->Work(*slot); });
  return slot;
}

void FamilyCache::Replace(std::vector<SlotSettings> settings) {
  std::vector<std::shared_ptr<Slot>> released;  // freed without the lock, once their idle workers are joined
  std::vector<std::thread> idle;
  {
    std::lock_guard lock(shared_->mutex);
    if (shared_->stopping) return;
    std::vector<std::shared_ptr<Slot>> slots;
    for (auto& setting : settings) {
      auto same = std::find_if(shared_->slots.begin(), shared_->slots.end(), [&](const auto& slot) {
        return slot && slot->state.name == setting.name && slot->fingerprint == setting.fingerprint;
      });
      slots.push_back(same != shared_->slots.end() ? std::move(*same) : MakeSlot(std::move(setting)));
    }
    for (auto& slot : shared_->slots) {
      if (!slot) continue;
      slot->dropped = true;
      slot->wake.notify_all();
      // A queued refresh is the worker's to give back: it was never started.
      if (slot->queued) {
        slot->queued = false;
        std::erase(shared_->queue, slot);
      }
      if (slot->InWorkersRefresh()) {
        slot->worker.detach();  // it ends when the refresh returns, and frees the slot
      } else {
        idle.push_back(std::move(slot->worker));
      }
      released.push_back(std::move(slot));
    }
    shared_->slots = std::move(slots);
    shared_->names_moved = true;
    shared_->Yield();
    shared_->generation.fetch_add(1);
    shared_->changed.notify_all();
    shared_->alarm.Ring();  // the scheduler looks at the new slots now
  }
  for (auto& worker : idle) worker.join();
}

FamilyCache::~FamilyCache() { Stop(); }

void FamilyCache::Start() {
  std::lock_guard lock(shared_->mutex);
  if (shared_->scheduler.joinable() || shared_->stopping) return;
  shared_->scheduler = std::thread([this] {
    NameThisThread("scheduler");
    // A ring or a deadline set after the step, while the lock is released, ends the wait that follows at once.
    std::unique_lock scheduler_lock(shared_->mutex);
    while (!shared_->stopping) {
      shared_->alarm.Set(shared_->Step());
      ++shared_->ticks;
      shared_->changed.notify_all();  // SchedulerResponds() waits for this
      scheduler_lock.unlock();
      shared_->alarm.Wait();
      scheduler_lock.lock();
    }
  });
}

void FamilyCache::Stop(Duration grace) {
  std::thread scheduler;
  {
    std::lock_guard lock(shared_->mutex);
    if (shared_->stopping) return;
    shared_->stopping = true;
    shared_->changed.notify_all();
    shared_->alarm.Ring();
    shared_->planned.Ring();
    for (auto& slot : shared_->slots) slot->wake.notify_all();
    scheduler = std::move(shared_->scheduler);
  }
  if (scheduler.joinable()) scheduler.join();
  WaitIdle(grace);

  std::vector<std::thread> idle;
  {
    std::lock_guard lock(shared_->mutex);
    // A thread still inside a refresh, which may hang, is left to end by itself.
    for (auto& slot : shared_->slots) {
      if (slot->InWorkersRefresh()) {
        slot->worker.detach();
      } else {
        idle.push_back(std::move(slot->worker));
      }
    }
    if (shared_->on_refresher) {
      shared_->refresher.detach();
    } else {
      idle.push_back(std::move(shared_->refresher));
    }
  }
  for (auto& thread : idle) thread.join();
}

std::uint64_t FamilyCache::generation() const { return shared_->generation.load(); }

int FamilyCache::refreshes_in_flight() const {
  std::lock_guard lock(shared_->mutex);
  return shared_->refreshing;
}

void FamilyCache::Shared::Work(Slot& slot) {
  NameThisThread("refresh:" + slot.state.name);
  std::unique_lock lock(mutex);
  for (;;) {
    slot.wake.wait(lock, [&] { return (slot.requested && !slot.queued) || slot.dropped || stopping; });
    if (slot.dropped || stopping) {
      if (slot.requested) {  // handed over but never started: nothing is under way
        slot.requested = false;
        slot.queued = false;
        slot.state.refreshing = false;
        --refreshing;
        changed.notify_all();
      }
      return;
    }
    slot.requested = false;
    Run(slot, lock);
  }
}

void FamilyCache::Shared::RunQueue() {
  NameThisThread("refresher");
  std::unique_lock lock(mutex);
  for (;;) {
    while (queue.empty() && !stopping) {
      lock.unlock();
      planned.Wait();
      lock.lock();
      if (!stopping) StepHere();  // starts the refreshes planned for now
    }
    if (stopping) return;  // each worker gives its queued request back
    on_refresher = std::move(queue.front());
    queue.pop_front();
    Slot& slot = *on_refresher;
    slot.queued = false;
    slot.requested = false;
    slot.on_refresher = true;
    slot.attempt_started = clock.Now();  // its timeout counts from here, not from the wait in the queue
    Run(slot, lock);
    slot.on_refresher = false;
    std::shared_ptr<Slot> done = std::move(on_refresher);
    if (slot.dropped) {  // the last owner of a slot Replace() dropped: freed without the lock (its watch may call in)
      lock.unlock();
      done.reset();
      lock.lock();
    }
    if (queue.empty() && !stopping) CallAfterRefreshes(lock);
  }
}

void FamilyCache::Shared::CallAfterRefreshes(std::unique_lock<std::mutex>& lock) {
  if (!after_refreshes) return;
  std::function<void()> hook = after_refreshes;
  in_after_refreshes = true;
  lock.unlock();
  try {
    hook();
  } catch (const std::exception& exception) {
    log::Warn("work after the refreshes failed", {{"err", exception.what()}});
  }
  lock.lock();
  in_after_refreshes = false;
  changed.notify_all();
}

void FamilyCache::AfterRefreshes(std::function<void()> hook) {
  std::unique_lock lock(shared_->mutex);
  shared_->after_refreshes = std::move(hook);
  shared_->changed.wait(lock, [&] { return !shared_->in_after_refreshes; });
}

void FamilyCache::Shared::Run(Slot& slot, std::unique_lock<std::mutex>& lock) {
  const std::string name = slot.state.name;  // copied under the lock, for /debug/pprof/threads
  lock.unlock();
  Outcome outcome;
  {
    Activity activity("refreshing", {name});
    outcome = RunRefresh(slot.refresh, slot.problems);
  }
  lock.lock();
  Finish(slot, std::move(outcome));
}

void FamilyCache::Shared::Request(const std::shared_ptr<Slot>& slot, Clock::SteadyTime now, bool to_refresher) {
  slot->state.refreshing = true;
  slot->timed_out = false;
  slot->refresh_now = false;
  slot->attempt_started = now;
  slot->next_due = now + slot->state.ttl;
  slot->ahead_at = Clock::SteadyTime::max();
  slot->requested = true;
  ++refreshing;
  if (to_refresher) {
    slot->queued = true;
    queue.push_back(slot);
    if (std::this_thread::get_id() != refresher.get_id()) planned.Ring();  // the refresher looks at its queue next
  } else {
    slot->wake.notify_one();
  }
}

void FamilyCache::Shared::Finish(Slot& slot, Outcome outcome) {
  SlotState& state = slot.state;
  --refreshing;
  state.refreshing = false;
  if (slot.timed_out || slot.dropped) {
    log::Debug("late refresh result discarded", {{"collector", state.name}});
    changed.notify_all();
    alarm.Ring();  // a slot on a schedule may be overdue: its next refresh can start
    return;
  }
  Clock::SteadyTime now = clock.Now();
  state.attempted = true;
  state.last_duration = now - slot.attempt_started;
  ++state.refreshes;
  if (outcome.error.empty() || outcome.incomplete) {
    auto families = std::make_shared<const Families>(std::move(outcome.families));
    // Which slot holds which name is looked at again only when that can change: a collector's refreshes nearly
    // always bring the same families.
    if (slot.yields_names || !SameNames(state.families, *families)) names_moved = true;
    (slot.yields_names ? slot.collected : state.families) = std::move(families);
    state.problems = std::move(outcome.problems);
    state.collected_at = now;
  }
  if (outcome.error.empty()) {
    state.last_success = clock.WallNow();
    state.success = true;
    state.last_error.clear();
  } else {
    if (state.success || state.last_error != outcome.error)
      log::Warn("collector failed", {{"collector", state.name}, {"err", outcome.error}});
    state.success = false;
    state.last_error = std::move(outcome.error);
    ++state.failures;
  }
  Bump(slot);
  Yield();
  UpdatePlans();
  // A slot on a schedule is due again a TTL after this refresh began, and one whose sources changed meanwhile is due
  // now: the scheduler, waiting for this refresh's timeout, looks again. A slot refreshed on demand waits for a
  // reader: the scheduler's alarm, set for this refresh's timeout, is moved to the next time it must look, without
  // waking it (a wake-up after a pause costs about a millisecond on a virtual machine).
  if (!state.on_demand || slot.refresh_now) {
    alarm.Ring();
  } else {
    StepHere();
  }
}

void FamilyCache::Shared::RefreshNow(const std::string& name) {
  std::lock_guard lock(mutex);
  for (auto& slot : slots) {
    // A refresh under way may have read the sources before they changed: the next one starts when it ends.
    if (slot->state.name == name) slot->refresh_now = true;
  }
  alarm.Ring();
}

void FamilyCache::Shared::Yield() {
  if (!names_moved) return;
  names_moved = false;
  if (std::none_of(slots.begin(), slots.end(), [](const auto& slot) { return slot->yields_names; })) return;
  std::map<std::string_view, std::string_view> held;  // family name → the slot that holds it
  for (const auto& slot : slots) {
    if (slot->yields_names || !slot->state.families) continue;
    for (const auto& family : *slot->state.families) held.emplace(family.name, slot->state.name);
  }
  for (auto& slot : slots) {
    if (!slot->yields_names) continue;
    SlotState& state = slot->state;
    std::vector<std::string> left_out;
    if (slot->collected) {
      for (const auto& family : *slot->collected)
        if (held.contains(family.name)) left_out.push_back(family.name);
    }
    if (left_out == state.left_out && slot->yielded_from == slot->collected) continue;
    std::shared_ptr<const Families> families = slot->collected;
    if (!left_out.empty()) {  // copied only when some name is taken, which a well-behaved textfile never does
      Families kept;
      for (const auto& family : *slot->collected) {
        auto holder = held.find(family.name);
        if (holder == held.end()) {
          kept.push_back(family);
        } else if (std::find(state.left_out.begin(), state.left_out.end(), family.name) == state.left_out.end()) {
          log::Warn("family left out: another collector has a family of that name",
                    {{"collector", state.name}, {"family", family.name}, {"kept_from", std::string(holder->second)}});
        }
      }
      families = std::make_shared<const Families>(std::move(kept));
    }
    state.left_out = std::move(left_out);
    state.families = std::move(families);
    slot->yielded_from = slot->collected;
    Bump(*slot);
  }
}

// Advances one slot; returns when it next needs a look.
Clock::SteadyTime FamilyCache::Shared::Check(const std::shared_ptr<Slot>& shared_slot, Clock::SteadyTime now) {
  Slot& slot = *shared_slot;
  SlotState& state = slot.state;
  Clock::SteadyTime next = Clock::SteadyTime::max();

  if (slot.queued) {
    // It has waited its patience behind a slow or hung refresh on the refresher: its own worker takes it.
    const Clock::SteadyTime give_up = slot.attempt_started + std::min<Duration>(kRefresherPatience, state.timeout / 4);
    if (now >= give_up) {
      slot.queued = false;
      std::erase(queue, shared_slot);
      slot.wake.notify_one();
    } else {
      next = give_up;
    }
  }
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
      next = std::min(next, deadline);  // a queued refresh's patience ends first
    }
  }
  if (!state.refreshing && !stopping) {
    // A slot refreshed on demand is refreshed here only the first time: then by Demand().
    const bool due = now >= slot.next_due && (!state.on_demand || !state.attempted);
    if (due || slot.refresh_now) {
      Request(shared_slot, now);
    } else if (now >= slot.ahead_at) {
      Request(shared_slot, now, /*to_refresher=*/true);
    }
    // A refresh planned ahead is the refresher's to start (UpdatePlans()).
    if (state.refreshing) {
      next = std::min(next, now + state.timeout);
    } else if (!state.on_demand) {
      next = std::min(next, slot.next_due);
    }
  }
  // A slot refreshed on demand ages while nobody reads it: Demand() judges its data when it is read.
  if (state.families && !state.on_demand) {
    Clock::SteadyTime stale_at = state.collected_at + state.max_staleness;
    if (now >= stale_at) {
      log::Warn("cached families dropped: older than max staleness",
                {{"collector", state.name}, {"max_staleness", FormatDuration(state.max_staleness)}});
      Expire(slot);
    } else {
      next = std::min(next, stale_at);
    }
  }
  return next;
}

void FamilyCache::Shared::Expire(Slot& slot) {
  slot.state.families.reset();
  slot.collected.reset();
  names_moved = true;
  Bump(slot);
}

void FamilyCache::Shared::UpdatePlans() {
  Clock::SteadyTime due = Clock::SteadyTime::max();
  first_planned = Clock::SteadyTime::max();
  for (const auto& slot : slots) {
    if (!slot->state.on_demand || slot->state.refreshing) continue;
    due = std::min(due, slot->DemandDueAt());
    first_planned = std::min(first_planned, slot->ahead_at);
  }
  demand_due.store(due.time_since_epoch().count(), std::memory_order_relaxed);
  // Set only when it moves: this runs at every read past demand_due. Starting the refreshes planned for a time
  // takes their ahead_at back to max(), so a deadline that fired is always set anew.
  if (scheduler.joinable() && first_planned != planned.set_for()) planned.Set(first_planned);
}

Clock::SteadyTime FamilyCache::Tick() {
  std::lock_guard lock(shared_->mutex);
  const Clock::SteadyTime next = shared_->Step();
  return std::min(next, shared_->first_planned);
}

Clock::SteadyTime FamilyCache::Shared::Step() {
  Clock::SteadyTime now = clock.Now();
  Clock::SteadyTime next = now + std::chrono::hours(1);
  for (auto& slot : slots) next = std::min(next, Check(slot, now));
  Yield();
  UpdatePlans();
  return next;
}

void FamilyCache::Shared::StepHere() {
  if (scheduler.joinable()) {
    alarm.Set(Step());
  } else {
    Yield();
    UpdatePlans();
  }
}

bool FamilyCache::SchedulerResponds(Duration max_wait) const {
  std::unique_lock lock(shared_->mutex);
  if (!shared_->scheduler.joinable()) return false;
  const std::uint64_t before = shared_->ticks;
  shared_->alarm.Ring();  // the scheduler's wait ends, and it takes a step
  return shared_->changed.wait_for(lock, max_wait, [&] { return shared_->ticks != before || shared_->stopping; }) &&
         !shared_->stopping;
}

void FamilyCache::Demand(const std::function<bool(const SlotState&)>& selected, std::uint64_t reader) const {
  const Clock::SteadyTime now = shared_->clock.Now();
  // A read's refreshes are for the next read. When that one can be foreseen, a slot it would find older than its
  // TTL is refreshed just before it, so that it gets new data; otherwise one older than its TTL now is refreshed now.
  const std::optional<ScrapeCadence::Foreseen> foreseen = shared_->cadence.Arrived(now, reader);
  const Clock::SteadyTime next_read = foreseen ? foreseen->at : now;
  if (next_read.time_since_epoch().count() < shared_->demand_due.load(std::memory_order_relaxed)) return;
  std::lock_guard lock(shared_->mutex);
  if (shared_->stopping) return;
  bool requested = false;
  std::vector<Slot*>& ahead = shared_->planning;
  std::vector<Slot*>& sharing = shared_->sharing;
  ahead.clear();
  sharing.clear();
  std::chrono::nanoseconds ahead_work{};
  for (auto& slot : shared_->slots) {
    SlotState& state = slot->state;
    if (!state.on_demand || state.refreshing || next_read < slot->DemandDueAt() || !selected(state)) continue;
    // A refresh within its TTL now that began after the next scraper's last read is new to that scraper (its data,
    // or its failure), and then no older than its TTL plus the time since this read: scrapers at different phases
    // share one refresh. (One that a read asked for begins when the refresher takes it, after that read.)
    if (foreseen && slot->attempt_started > foreseen->previous && now < slot->DemandDueAt()) {
      sharing.push_back(slot.get());
      continue;
    }
    const bool too_old = state.families && now - state.collected_at >= state.max_staleness;
    // A read that comes before the refresh planned for it was not foreseen: that refresh starts now.
    const bool planned_missed = slot->ahead_at != Clock::SteadyTime::max() && now >= slot->DemandDueAt();
    if (next_read > now && !too_old && !planned_missed) {
      ahead.push_back(slot.get());
      ahead_work += 2 * state.last_duration;
      continue;
    }
    if (too_old) {
      log::Debug("cached families dropped at a read: older than max staleness",
                 {{"collector", state.name}, {"max_staleness", FormatDuration(state.max_staleness)}});
      state.attempted = !state.success;  // a slot that was merely unread is waited for, as at the start
      shared_->Expire(*slot);
    }
    shared_->Request(slot, now, /*to_refresher=*/true);
    requested = true;
  }
  // Sharing saves a wake and a render only when no other slot needs a refresh for the next read: otherwise the
  // shared slots join that batch, so that the slots keep one phase, not one per scraper.
  if (!ahead.empty()) {
    for (Slot* slot : sharing) {
      ahead.push_back(slot);
      ahead_work += 2 * slot->state.last_duration;
    }
  }
  // One after another on the refresher, to end just before the next read.
  const Clock::SteadyTime ahead_at = next_read - kAheadMargin - ahead_work;
  for (Slot* slot : ahead) slot->ahead_at = std::min(slot->ahead_at, ahead_at);
  // The refresher's alarm is moved to the first refresh planned ahead, and the scheduler's to the patience and
  // timeouts of the refreshes started now, which it watches from now on: neither is woken for it.
  if (requested) {
    shared_->StepHere();
  } else {
    shared_->Yield();
    shared_->UpdatePlans();
  }
}

FamilySnapshot FamilyCache::Snapshot(const std::vector<std::string>& collectors, Duration max_wait) const {
  return Select(
      [&collectors](const SlotState& slot) {
        return !slot.is_collector || std::find(collectors.begin(), collectors.end(), slot.name) != collectors.end();
      },
      max_wait);
}

FamilySnapshot FamilyCache::SnapshotAll(Duration max_wait) const {
  return Select([](const SlotState&) { return true; }, max_wait);
}

FamilySnapshot FamilyCache::Select(const std::function<bool(const SlotState&)>& selected, Duration max_wait) const {
  auto ready = [&] {
    return std::all_of(shared_->slots.begin(), shared_->slots.end(),
                       [&](const auto& slot) { return !selected(slot->state) || Ready(slot->state); });
  };
  std::unique_lock lock(shared_->mutex);
  shared_->changed.wait_for(lock, max_wait, [&] { return shared_->stopping || ready(); });

  FamilySnapshot snapshot;
  snapshot.generation = shared_->generation.load();
  snapshot.taken_at = shared_->clock.Now();
  snapshot.taken_wall = shared_->clock.WallNow();
  snapshot.next_read = shared_->cadence.Next();
  snapshot.read_after_next = shared_->cadence.AfterNext();
  for (const auto& slot : shared_->slots)
    if (selected(slot->state)) snapshot.slots.push_back(slot->state);
  return snapshot;
}

bool FamilyCache::WaitIdle(Duration max_wait) const {
  std::unique_lock lock(shared_->mutex);
  return shared_->changed.wait_for(lock, max_wait, [&] { return shared_->refreshing == 0; });
}

}  // namespace hw_exporter

#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hw_exporter/core/clock.h"
#include "hw_exporter/core/duration.h"
#include "hw_exporter/core/family_set.h"

namespace hw_exporter {

// What the cache is told about one slot.
struct SlotSettings {
  std::string name;
  Duration ttl{};
  Duration timeout{};
  Duration max_staleness{};  // raised to at least ttl + timeout, so a healthy slot never goes stale
  // Produces the slot's families, or throws with the reason it cannot. Called from the slot's worker or the
  // refresher, never twice at once.
  std::function<Families()> refresh;
  // A collector's slot, selectable by name and described by the hw_exporter_collector_* metrics; the exporter's own
  // (process_*) is not: it is in every snapshot whatever the selection.
  bool is_collector = true;
  // What the slot was built from. Replace() keeps a slot given again with the same name and fingerprint as it is.
  std::string fingerprint{};
  // What a successful refresh left out, one line each (SlotState::problems); called on the same thread,
  // after `refresh`.
  std::function<std::vector<std::string>()> problems{};
  // Called once the slot is in the cache (not for a slot that Replace() keeps) with a function that makes the slot
  // due at once and may be called from any thread, for a slot whose sources announce their changes: the change is
  // then served at the next scrape instead of after the TTL.
  std::function<void(std::function<void()> refresh_now)> watch{};
  // The slot's families give way to any other slot's family of the same name (SlotState::left_out).
  bool yields_names = false;
  // Refreshed when read rather than on its TTL (FamilyCache): for a slot whose refresh is cheap, so that nothing is
  // refreshed that nobody reads. A slot that starts a program keeps its schedule, and stays ready.
  bool on_demand = false;
};

// A reader's copy of one slot. The families are shared and immutable.
struct SlotState {
  std::string name;
  bool is_collector = true;
  bool on_demand = false;  // SlotSettings::on_demand
  Duration ttl{};
  Duration timeout{};
  Duration max_staleness{};
  std::shared_ptr<const Families> families;  // last good snapshot; null before the first or once stale
  Clock::SteadyTime collected_at{};          // when `families` was collected
  Clock::WallTime last_success{};            // wall time of the last success; epoch when never
  bool attempted = false;                    // a refresh has finished (or timed out) at least once
  bool success = false;                      // the last finished refresh succeeded
  std::string last_error;                    // why the last refresh failed; empty after a success
  std::chrono::nanoseconds last_duration{};
  bool refreshing = false;
  std::uint64_t refreshes = 0;  // finished refreshes, successful or not
  std::uint64_t failures = 0;
  std::uint64_t generation = 0;       // the cache generation at this slot's last change
  std::vector<std::string> problems;  // what the last successful refresh left out, and why
  // For a slot that yields names: the names of its families that another slot's family of the same name keeps out
  // of `families`.
  std::vector<std::string> left_out;
};

// Whether a read would not wait for the slot: it has finished a refresh, or has data.
inline bool Ready(const SlotState& slot) { return slot.attempted || slot.families != nullptr; }

struct FamilySnapshot {
  std::uint64_t generation = 0;
  Clock::SteadyTime taken_at{};
  Clock::WallTime taken_wall{};
  // When the next read is expected, if the reads so far have a cadence (ScrapeCadence); and the read after it,
  // another scraper's, if more than one scrapes.
  std::optional<Clock::SteadyTime> next_read;
  std::optional<Clock::SteadyTime> read_after_next;
  std::vector<SlotState> slots;  // in the order the slots were given
};

// The global metric-family cache: one slot per enabled collector (and one for the exporter's own process metrics),
// refreshed ahead of scrapes on each slot's TTL, or at once when the slot's watch says its sources changed. A slot
// refreshed on demand is refreshed once at the start and then only when Demand() finds that a read would get data
// older than its TTL: that reader is served the data it has, and the refresh is for the next. When the reads have a
// cadence (ScrapeCadence), the refresh runs just before the next read, which the reader's own data would not last
// until, so that the next read gets new data; otherwise it runs at once, for data older than its TTL already. Data
// older than max-staleness is dropped by the read instead, which then waits for the refresh as at the start. Every slot
// has one long-lived worker thread, so that a slow or hung refresh delays no other slot and the thread count never
// moves after construction; the refreshes a reader asks for run one after another on one more thread, the refresher,
// and a refresh that waits there longer than its patience (a fifth of a second at most) goes to its slot's worker. A
// refresh that throws or outlives its timeout marks the slot failed and keeps the last good families until
// max-staleness; one that throws IncompleteRefresh publishes what it read and is marked failed all the same. A hung
// refresh is never started twice: the next one starts when it returns.
class FamilyCache {
 public:
  // Starts one worker per slot and the refresher; refreshes begin with the first Tick().
  explicit FamilyCache(std::vector<SlotSettings> slots, Clock& clock = Clock::Real());
  // Stop().
  ~FamilyCache();
  FamilyCache(const FamilyCache&) = delete;
  FamilyCache& operator=(const FamilyCache&) = delete;

  // Runs Tick() on a scheduler thread until Stop().
  void Start();
  // Stops the scheduler, waits up to `grace` (real time) for refreshes under way, and joins every worker that is
  // idle by then; a worker still inside a hung refresh is left to end by itself, owning what it touches. Only the
  // first call waits.
  void Stop(Duration grace = std::chrono::seconds(1));

  // Makes `slots` the cache's slots, in their order (a reload). A slot whose name and fingerprint are unchanged keeps
  // its families, schedule, counters and worker, and its new refresh is discarded; any other new slot starts as at
  // construction, with a worker of its own; a slot not given again is dropped, and its worker joined (or, inside a
  // hung refresh, left to end by itself); one dropped during a refresh on the refresher is freed when it returns.
  void Replace(std::vector<SlotSettings> slots);

  // Has `hook` called on the refresher each time the refreshes readers asked for have all run (its queue is empty),
  // outside the cache's lock: for the work their new data makes due before the next read, such as rendering the
  // response it will ask for. An empty function calls nothing. Returns once a call of the hook it replaces has ended,
  // so the hook must not call it.
  void AfterRefreshes(std::function<void()> hook);

  // Moves whenever any slot changes (new families, a failure, a drop, a Replace).
  std::uint64_t generation() const;

  // Refreshes handed over that have not returned yet, hung ones included.
  int refreshes_in_flight() const;

  // A reader is about to read the slots `selected` says it reads: those refreshed on demand and older than their TTL
  // are queued for the refresher, without waiting, and those the next read (when foreseen) would find older than
  // their TTL are planned to refresh just before it, unless their data is within its TTL now and new to the reader
  // foreseen next. `reader` tells scrapers apart (their connections; 0: unknown). Costs a clock read and a few
  // atomic loads while no such slot is due; while one is due that no reader selects (scrapes that all exclude it)
  // or that the next reader will get new, every call takes the cache's lock.
  void Demand(const std::function<bool(const SlotState&)>& selected, std::uint64_t reader = 0) const;

  // The named collectors' slots and every slot that is not a collector's, after waiting at most `max_wait` (real
  // time) for each of them to have finished its first refresh. A slot that has data is never waited for.
  FamilySnapshot Snapshot(const std::vector<std::string>& collectors, Duration max_wait) const;
  // Every slot, likewise.
  FamilySnapshot SnapshotAll(Duration max_wait) const;

  // One scheduling step: hands due refreshes to their workers, and to them those that waited out their patience for
  // the refresher; fails those past their timeout; drops stale families. Returns when it next has something to do.
  // Start() calls it; tests call it with a clock they move.
  Clock::SteadyTime Tick();

  // Blocks until no refresh is under way or `max_wait` passes; true when idle. For tests and shutdown.
  bool WaitIdle(Duration max_wait) const;

  // True when the scheduler, woken now, runs a scheduling step within `max_wait` (real time): it is making
  // progress. Blocks for as long as the cache's lock is held, so a deadlocked cache never answers.
  bool SchedulerResponds(Duration max_wait) const;

 private:
  struct Shared;
  struct Slot;
  // A slot for `settings`, its worker started. Callers hold the lock.
  std::shared_ptr<Slot> MakeSlot(SlotSettings settings);
  FamilySnapshot Select(const std::function<bool(const SlotState&)>& selected, Duration max_wait) const;

  std::shared_ptr<Shared> shared_;
};

}  // namespace hw_exporter

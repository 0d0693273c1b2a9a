#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "hw_exporter/core/clock.h"
#include "hw_exporter/core/duration.h"
#include "hw_exporter/core/family_set.h"

namespace hw_exporter {

// What the cache is told about one collector.
struct SlotSettings {
  std::string name;
  Duration ttl{};
  Duration timeout{};
  Duration max_staleness{};  // raised to at least ttl + timeout, so a healthy slot never goes stale
  // Produces the slot's families, or throws with the reason it cannot. Called from one thread at a time.
  std::function<Families()> refresh;
};

// A reader's copy of one slot. The families are shared and immutable.
struct SlotState {
  std::string name;
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
  std::uint64_t refreshes = 0;               // finished refreshes, successful or not
  std::uint64_t failures = 0;
  std::uint64_t generation = 0;              // the cache generation at this slot's last change
};

struct FamilySnapshot {
  std::uint64_t generation = 0;
  Clock::SteadyTime taken_at{};
  Clock::WallTime taken_wall{};
  std::vector<SlotState> slots;  // in the order the slots were given
};

// The global metric-family cache: one slot per enabled collector, refreshed ahead of scrapes on each
// collector's TTL, in a thread of its own per refresh so that a slow or hung collector delays nobody else. A
// refresh that throws or outlives its timeout marks the slot failed and keeps the last good families until
// max-staleness. A hung refresh is never started twice: the next one waits until it returns.
class FamilyCache {
 public:
  explicit FamilyCache(std::vector<SlotSettings> slots, Clock& clock = Clock::Real());
  ~FamilyCache();
  FamilyCache(const FamilyCache&) = delete;
  FamilyCache& operator=(const FamilyCache&) = delete;

  // Runs Tick() on a background thread until Stop().
  void Start();
  // Stops the scheduler and waits up to `grace` for refreshes under way.
  void Stop(Duration grace = std::chrono::seconds(1));

  // Moves whenever any slot changes (new families, a failure, a drop).
  std::uint64_t generation() const;

  // The named slots (every slot when `names` is empty), after waiting at most `max_wait` (real time) for
  // each of them to have finished its first refresh. A slot that has data is never waited for.
  FamilySnapshot Snapshot(const std::vector<std::string>& names, Duration max_wait) const;

  // One scheduling step: starts due refreshes, fails those past their timeout, drops stale families.
  // Returns when it next has something to do. Start() calls it; tests call it with a clock they move.
  Clock::SteadyTime Tick();

  // Blocks until no refresh is under way or `max_wait` passes; true when idle. For tests and shutdown.
  bool WaitIdle(Duration max_wait) const;

 private:
  struct Shared;
  std::shared_ptr<Shared> shared_;
};

}  // namespace hw_exporter

#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "hw_exporter/core/clock.h"
#include "hw_exporter/core/duration.h"
#include "hw_exporter/core/family_set.h"
#include "hw_exporter/diagnostics/profiling.h"

namespace hw_exporter {

// What the exporter uses of the machine, as /proc/self/stat says.
struct SelfSample {
  double cpu_seconds = 0;  // user and system, since the start
  std::uint64_t resident_bytes = 0;
};

using SelfSampler = std::function<SelfSample()>;

// /proc/self/stat, read now.
SelfSample SampleSelf();

struct SelfWatchOptions {
  double cpu_threshold = 0;            // cores; 0: CPU is not watched
  std::uint64_t memory_threshold = 0;  // resident bytes; 0: memory is not watched
  Duration sustained = std::chrono::minutes(1);
  Duration cooldown = std::chrono::hours(1);

  bool Watching() const { return cpu_threshold > 0 || memory_threshold > 0; }
};

// Decides when the exporter profiles itself: once CPU use or resident memory has stayed above its threshold for
// `sustained`, and not again within `cooldown` of the last capture. CPU use is measured between two samples.
class CaptureTrigger {
 public:
  explicit CaptureTrigger(SelfWatchOptions options) : options_(options) {}

  // One sample, taken at `now`: "cpu" or "memory" when it is time to capture, else nullopt.
  std::optional<std::string_view> Observe(const SelfSample& sample, Clock::SteadyTime now);

 private:
  // Whether `above` has held since *since for `sustained`, keeping *since up to date.
  bool Sustained(bool above, std::optional<Clock::SteadyTime>& since, Clock::SteadyTime now) const;

  SelfWatchOptions options_;
  std::optional<SelfSample> last_;
  Clock::SteadyTime last_at_{};
  std::optional<Clock::SteadyTime> cpu_above_since_;
  std::optional<Clock::SteadyTime> memory_above_since_;
  std::optional<Clock::SteadyTime> last_capture_;
};

// A thread ("self-watch") that samples the exporter every `period` when a threshold is set, and captures a CPU
// profile of a few seconds and a heap report into the capture directory when the trigger says so: logged and
// counted in hw_exporter_diagnostics_captures_total{reason}.
class SelfWatch {
 public:
  SelfWatch(SelfWatchOptions options, Profiling& profiling, SelfSampler sampler = SampleSelf,
            Clock& clock = Clock::Real(), Duration period = std::chrono::seconds(1));
  ~SelfWatch();
  SelfWatch(const SelfWatch&) = delete;
  SelfWatch& operator=(const SelfWatch&) = delete;

  void AddMetrics(FamilySet& families) const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace hw_exporter

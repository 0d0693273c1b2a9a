#include "hw_exporter/diagnostics/self_watch.h"

#include <unistd.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "hw_exporter/core/fs.h"
#include "hw_exporter/core/log.h"
#include "hw_exporter/core/thread_registry.h"
#include "hw_exporter/procfs/process.h"

namespace hw_exporter {

namespace {

// Long enough for a hundred samples a second to say where the time goes, short enough not to outlast the anomaly.
constexpr Duration kCaptureLength = std::chrono::seconds(5);

}  // namespace

SelfSample SampleSelf() {
  const procfs::ProcessStat stat = procfs::ParseProcessStat(ReadFile("/proc/self/stat"), "/proc/self/stat");
  return {static_cast<double>(stat.user_ticks + stat.system_ticks) / static_cast<double>(sysconf(_SC_CLK_TCK)),
          stat.resident_pages * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE))};
}

bool CaptureTrigger::Sustained(bool above, std::optional<Clock::SteadyTime>& since, Clock::SteadyTime now) const {
  if (!above) {
    since.reset();
    return false;
  }
  if (!since) since = now;
  return now - *since >= options_.sustained;
}

std::optional<std::string_view> CaptureTrigger::Observe(const SelfSample& sample, Clock::SteadyTime now) {
  bool cpu_above = false;
  if (last_ && now > last_at_) {
    const double cores = (sample.cpu_seconds - last_->cpu_seconds) /
                         std::chrono::duration<double>(now - last_at_).count();
    cpu_above = options_.cpu_threshold > 0 && cores > options_.cpu_threshold;
  }
  last_ = sample;
  last_at_ = now;
  const bool memory_above = options_.memory_threshold > 0 && sample.resident_bytes > options_.memory_threshold;
  const bool cpu = Sustained(cpu_above, cpu_above_since_, now);
  const bool memory = Sustained(memory_above, memory_above_since_, now);
  if (!cpu && !memory) return std::nullopt;
  if (last_capture_ && now - *last_capture_ < options_.cooldown) return std::nullopt;
  last_capture_ = now;
  cpu_above_since_.reset();
  memory_above_since_.reset();
  return cpu ? "cpu" : "memory";
}

struct SelfWatch::State {
  SelfWatchOptions options;
  Profiling& profiling;
  SelfSampler sampler;
  Clock& clock;
  Duration period;
  std::atomic<std::uint64_t> cpu_captures{0};
  std::atomic<std::uint64_t> memory_captures{0};
  std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;
  std::thread thread;

  void Run() {
    NameThisThread("self-watch");
    CaptureTrigger trigger(options);
    std::unique_lock lock(mutex);
    while (!wake.wait_for(lock, period, [this] { return stopping; })) {
      lock.unlock();
      Step(trigger);
      lock.lock();
    }
  }

  void Step(CaptureTrigger& trigger) {
    SelfSample sample;
    try {
      sample = sampler();
    } catch (const std::exception& error) {
      log::Warn("cannot read the exporter's own use", {{"err", error.what()}});
      return;
    }
    const std::optional<std::string_view> reason = trigger.Observe(sample, clock.Now());
    if (!reason) return;
    log::Warn("the exporter's own use stays above its threshold: capturing profiles",
              {{"reason", std::string(*reason)},
               {"cpu_seconds", std::to_string(sample.cpu_seconds)},
               {"resident_bytes", std::to_string(sample.resident_bytes)}});
    if (profiling.Capture(kCaptureLength)) ++(*reason == "cpu" ? cpu_captures : memory_captures);
  }
};

SelfWatch::SelfWatch(SelfWatchOptions options, Profiling& profiling, SelfSampler sampler, Clock& clock, Duration period)
    : state_(std::make_shared<State>(options, profiling, std::move(sampler), clock, period)) {
  if (options.Watching()) state_->thread = std::thread([state = state_.get()] { state->Run(); });
}

SelfWatch::~SelfWatch() {
  {
    std::lock_guard lock(state_->mutex);
    state_->stopping = true;
  }
  state_->wake.notify_all();
  if (state_->thread.joinable()) state_->thread.join();
}

void SelfWatch::AddMetrics(FamilySet& families) const {
  const char* help =
      "Profiles the exporter captured of itself, its CPU use or resident memory having stayed above "
      "--diagnostics.cpu-threshold or --diagnostics.memory-threshold.";
  families.Counter("hw_exporter_diagnostics_captures_total", help, static_cast<double>(state_->cpu_captures.load()),
                   {{"reason", "cpu"}});
  families.Counter("hw_exporter_diagnostics_captures_total", help, static_cast<double>(state_->memory_captures.load()),
                   {{"reason", "memory"}});
}

}  // namespace hw_exporter

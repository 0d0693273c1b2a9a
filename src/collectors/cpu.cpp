// node_exporter's cpu collector: time per CPU and mode from /proc/stat.
#include <algorithm>
#include <map>
#include <string>

#include "hw_exporter/collector_options.h"
#include "hw_exporter/collectors.h"
#include "hw_exporter/fs.h"
#include "hw_exporter/procfs/stat.h"

namespace hw_exporter {

namespace {

using procfs::CpuTimes;

constexpr char kSecondsHelp[] = "Seconds the CPUs spent in each mode.";
constexpr char kGuestHelp[] = "Seconds the CPUs spent in guests (VMs) for each mode.";

// An idle counter that drops by this much is a CPU that went offline and came back (hotplug), not jitter: its
// counters restart from the kernel's values. node_exporter uses the same threshold.
constexpr double kHotplugIdleDropSeconds = 3.0;

// Counters must not go backwards, but the kernel's sometimes do (iowait is sampled racily, and a CPU brought
// back online restarts from zero). Keep the larger value per mode, unless the CPU was clearly replugged.
CpuTimes KeepMonotonic(const CpuTimes& previous, const CpuTimes& current) {
  if (previous.idle - current.idle >= kHotplugIdleDropSeconds) return current;
  return {
      .user = std::max(previous.user, current.user),
      .nice = std::max(previous.nice, current.nice),
      .system = std::max(previous.system, current.system),
      .idle = std::max(previous.idle, current.idle),
      .iowait = std::max(previous.iowait, current.iowait),
      .irq = std::max(previous.irq, current.irq),
      .softirq = std::max(previous.softirq, current.softirq),
      .steal = std::max(previous.steal, current.steal),
      .guest = std::max(previous.guest, current.guest),
      .guest_nice = std::max(previous.guest_nice, current.guest_nice),
  };
}

class CpuCollector : public Collector {
 public:
  CpuCollector(const Paths& paths, bool guest) : paths_(paths), guest_(guest) {}

  Families Collect() override {
    FamilySet families;
    AddCpuTimes(families);
    return families.Take();
  }

 private:
  void AddCpuTimes(FamilySet& families) {
    const std::string path = paths_.Proc("stat");
    procfs::Stat stat = procfs::ParseStat(ReadFile(path), path);
    // CPUs that went away are forgotten, so one that comes back starts from the kernel's values.
    std::map<unsigned, CpuTimes> kept;
    for (const auto& [cpu, current] : stat.cpus) {
      auto previous = last_.find(cpu);
      kept[cpu] = previous == last_.end() ? current : KeepMonotonic(previous->second, current);
    }
    last_ = std::move(kept);
    for (const auto& [cpu, times] : last_) AddOneCpu(families, std::to_string(cpu), times);
  }

  void AddOneCpu(FamilySet& families, const std::string& cpu, const CpuTimes& times) const {
    const std::pair<const char*, double> modes[] = {
        {"user", times.user}, {"nice", times.nice},       {"system", times.system}, {"idle", times.idle},
        {"iowait", times.iowait}, {"irq", times.irq}, {"softirq", times.softirq}, {"steal", times.steal},
    };
    for (const auto& [mode, seconds] : modes)
      families.Counter("node_cpu_seconds_total", kSecondsHelp, seconds, {{"cpu", cpu}, {"mode", mode}});
    if (!guest_) return;
    // Guest time is also part of user and nice above; it is exported apart, as node_exporter does.
    families.Counter("node_cpu_guest_seconds_total", kGuestHelp, times.guest, {{"cpu", cpu}, {"mode", "user"}});
    families.Counter("node_cpu_guest_seconds_total", kGuestHelp, times.guest_nice, {{"cpu", cpu}, {"mode", "nice"}});
  }

  const Paths paths_;
  const bool guest_;
  std::map<unsigned, CpuTimes> last_;  // what was exported last time, per CPU
};

}  // namespace

std::unique_ptr<Collector> MakeCpuCollector(const CollectorContext& context) {
  return std::make_unique<CpuCollector>(context.paths, BoolOption(context, "guest"));
}

}  // namespace hw_exporter

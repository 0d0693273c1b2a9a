// node_exporter's cpu collector: time per CPU and mode from /proc/stat, thermal throttling and isolation from
// /sys/devices/system/cpu, and optionally the model of each CPU from /proc/cpuinfo.
#include <algorithm>
#include <cerrno>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "collector_options.h"
#include "collectors.h"
#include "hw_exporter/core/fs.h"
#include "hw_exporter/procfs/cpuinfo.h"
#include "hw_exporter/procfs/stat.h"
#include "hw_exporter/sysfs/cpu_topology.h"
#include "hw_exporter/sysfs/file_reader.h"
#include "remembered_search.h"

namespace hw_exporter {

namespace {

using procfs::CpuTimes;

constexpr char kSecondsHelp[] = "Seconds the CPUs spent in each mode.";
constexpr char kGuestHelp[] = "Seconds the CPUs spent in guests (VMs) for each mode.";
constexpr char kInfoHelp[] = "CPU information from /proc/cpuinfo.";
constexpr char kFlagHelp[] = "The `flags` field of CPU information from /proc/cpuinfo taken from the first core.";
constexpr char kBugHelp[] = "The `bugs` field of CPU information from /proc/cpuinfo taken from the first core.";
constexpr char kCoreThrottlesHelp[] = "Number of times this CPU core has been throttled.";
constexpr char kPackageThrottlesHelp[] = "Number of times this CPU package has been throttled.";
constexpr char kIsolatedHelp[] = "Whether each core is isolated, information from /sys/devices/system/cpu/isolated.";

struct CpuOptions {
  bool guest = true;
  bool info = false;
  // Either one, when set, turns info on (as in node_exporter).
  std::optional<RememberedSearch> flags_include;
  std::optional<RememberedSearch> bugs_include;
};

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
  CpuCollector(const Paths& paths, CpuOptions options) : paths_(paths), options_(std::move(options)) {}

  Families Collect() override {
    FamilySet families;
    if (options_.info) AddCpuInfo(families);
    AddCpuTimes(families);
    AddIsolated(families);
    AddThrottles(families);
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
        {"user", times.user},     {"nice", times.nice}, {"system", times.system},   {"idle", times.idle},
        {"iowait", times.iowait}, {"irq", times.irq},   {"softirq", times.softirq}, {"steal", times.steal},
    };
    for (const auto& [mode, seconds] : modes)
      families.Counter("node_cpu_seconds_total", kSecondsHelp, seconds, {{"cpu", cpu}, {"mode", mode}});
    if (!options_.guest) return;
    // Guest time is also part of user and nice above; it is exported apart, as node_exporter does.
    families.Counter("node_cpu_guest_seconds_total", kGuestHelp, times.guest, {{"cpu", cpu}, {"mode", "user"}});
    families.Counter("node_cpu_guest_seconds_total", kGuestHelp, times.guest_nice, {{"cpu", cpu}, {"mode", "nice"}});
  }

  void AddCpuInfo(FamilySet& families) const {
    const std::string path = paths_.Proc("cpuinfo");
    const std::vector<procfs::CpuInfo> cpus = procfs::ParseCpuInfo(ReadFile(path), path);
    for (const procfs::CpuInfo& cpu : cpus) {
      families.Gauge("node_cpu_info", kInfoHelp, 1,
                     {{"cachesize", cpu.cache_size},
                      {"core", cpu.core_id},
                      {"cpu", std::to_string(cpu.processor)},
                      {"family", cpu.cpu_family},
                      {"microcode", cpu.microcode},
                      {"model", cpu.model},
                      {"model_name", cpu.model_name},
                      {"package", cpu.physical_id},
                      {"stepping", cpu.stepping},
                      {"vendor", cpu.vendor_id}});
    }
    if (cpus.empty()) return;
    // Flags and bugs are the same on every CPU of a machine: the first one speaks for all.
    AddMatchingWords(families, "node_cpu_flag_info", kFlagHelp, "flag", cpus.front().flags, options_.flags_include);
    AddMatchingWords(families, "node_cpu_bug_info", kBugHelp, "bug", cpus.front().bugs, options_.bugs_include);
  }

  static void AddMatchingWords(FamilySet& families, const char* name, const char* help, const char* label,
                               const std::vector<std::string>& words, const std::optional<RememberedSearch>& include) {
    if (!include) return;
    for (const std::string& word : words)
      if (include->Matches(word)) families.Gauge(name, help, 1, {{label, word}});
  }

  // Absent on kernels without CPU isolation support, and then there is nothing to say.
  void AddIsolated(FamilySet& families) const {
    const std::string path = paths_.Sys("devices/system/cpu/isolated");
    int error_number = 0;
    auto text = sysfs::TryReadAttribute(path, &error_number);
    if (!text && error_number == ENOENT) return;
    if (!text) throw FsError(path, error_number, sysfs::kMaxAttributeBytes);
    for (unsigned cpu : sysfs::ParseCpuList(*text, path))
      families.Gauge("node_cpu_isolated", kIsolatedHelp, 1, {{"cpu", std::to_string(cpu)}});
  }

  void AddThrottles(FamilySet& families) const {
    const sysfs::ThrottleCounts counts = sysfs::ReadThrottleCounts(paths_);
    for (const auto& [package, count] : counts.per_package) {
      families.Counter("node_cpu_package_throttles_total", kPackageThrottlesHelp, static_cast<double>(count),
                       {{"package", std::to_string(package)}});
    }
    for (const auto& [package_core, count] : counts.per_core) {
      families.Counter("node_cpu_core_throttles_total", kCoreThrottlesHelp, static_cast<double>(count),
                       {{"core", std::to_string(package_core.second)},
                        {"package", std::to_string(package_core.first)}});
    }
  }

  const Paths paths_;
  const CpuOptions options_;
  std::map<unsigned, CpuTimes> last_;  // what was exported last time, per CPU
};

}  // namespace

std::unique_ptr<Collector> MakeCpuCollector(const CollectorContext& context) {
  CpuOptions options{
      .guest = BoolOption(context, "guest"),
      .info = BoolOption(context, "info"),
      .flags_include = Remembered(RegexOption(context, "flags-include")),
      .bugs_include = Remembered(RegexOption(context, "bugs-include")),
  };
  options.info = options.info || options.flags_include || options.bugs_include;
  return std::make_unique<CpuCollector>(context.paths, std::move(options));
}

}  // namespace hw_exporter

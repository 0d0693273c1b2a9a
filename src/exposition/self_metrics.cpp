#include "hw_exporter/exposition/self_metrics.h"

#include <unistd.h>

#include <limits>
#include <optional>

#include "hw_exporter/core/fs.h"
#include "hw_exporter/core/parse_error.h"
#include "hw_exporter/core/paths.h"
#include "hw_exporter/core/version.h"
#include "hw_exporter/procfs/stat.h"

namespace hw_exporter {
namespace {

// Client libraries report an unlimited resource as the largest 64-bit value, and dashboards compare against it.
void AddSoftLimit(FamilySet& set, const std::vector<procfs::ResourceLimit>& limits, std::string_view limit_name,
                  std::string_view metric_name, std::string_view help) {
  const procfs::ResourceLimit* limit = procfs::FindLimit(limits, limit_name);
  if (!limit) return;
  set.Gauge(metric_name, help,
            static_cast<double>(limit->soft.value_or(std::numeric_limits<unsigned long long>::max())));
}

}  // namespace

SystemUnits SystemUnits::OfThisSystem() { return {::sysconf(_SC_CLK_TCK), ::sysconf(_SC_PAGESIZE)}; }

Families ProcessFamilies(const ProcessSources& sources, const SystemUnits& units) {
  const procfs::ProcessStat& stat = sources.stat;
  auto ticks = static_cast<double>(units.ticks_per_second);
  FamilySet set;
  set.Counter("process_cpu_seconds_total", "User and system CPU time the process has used, in seconds.",
              static_cast<double>(stat.user_ticks + stat.system_ticks) / ticks);
  set.Gauge("process_open_fds", "Number of file descriptors the process has open.",
            static_cast<double>(sources.open_fds));
  AddSoftLimit(set, sources.limits, "Max open files", "process_max_fds",
               "Most file descriptors the process may open (its soft limit).");
  set.Gauge("process_resident_memory_bytes", "Bytes of the process's memory held in RAM.",
            static_cast<double>(stat.resident_pages) * static_cast<double>(units.page_size_bytes));
  set.Gauge("process_start_time_seconds", "When the process started, in seconds since the Unix epoch.",
            static_cast<double>(sources.boot_time_seconds) + static_cast<double>(stat.start_ticks) / ticks);
  set.Gauge("process_threads", "Number of OS threads in the process.", static_cast<double>(stat.threads));
  set.Gauge("process_virtual_memory_bytes", "Size of the process's virtual address space in bytes.",
            static_cast<double>(stat.virtual_memory_bytes));
  AddSoftLimit(set, sources.limits, "Max address space", "process_virtual_memory_max_bytes",
               "Largest virtual address space the process may have, in bytes (its soft limit).");
  return set.Take();
}

unsigned long long ReadBootTime(std::string_view proc_root) {
  std::string system_stat_path = Paths::Join(proc_root, "stat");
  std::optional<unsigned long long> boot_time =
      procfs::ParseStat(ReadFile(system_stat_path), system_stat_path).boot_time;
  if (!boot_time) throw ParseError(system_stat_path, "no btime line");
  return *boot_time;
}

Families ReadProcessFamilies(std::string_view proc_root, unsigned long long boot_time_seconds) {
  std::string stat_path = Paths::Join(proc_root, "self/stat");
  std::string limits_path = Paths::Join(proc_root, "self/limits");
  ProcessSources sources;
  sources.stat = procfs::ParseProcessStat(ReadFile(stat_path), stat_path);
  sources.limits = procfs::ParseProcessLimits(ReadFile(limits_path), limits_path);
  sources.open_fds = CountOwnDescriptors(Paths::Join(proc_root, "self/fd"));
  sources.boot_time_seconds = boot_time_seconds;
  return ProcessFamilies(sources, SystemUnits::OfThisSystem());
}

Families ReadProcessFamilies(std::string_view proc_root) {
  return ReadProcessFamilies(proc_root, ReadBootTime(proc_root));
}

Families BuildInfoFamilies() {
  FamilySet set;
  set.Gauge("hw_exporter_build_info",
            "A metric with a constant '1' value labeled by version, revision and compiler from which hw_exporter "
            "was built.",
            1,
            {{"compiler", std::string(Compiler())},
             {"revision", std::string(Revision())},
             {"version", std::string(Version())}});
  return set.Take();
}

}  // namespace hw_exporter

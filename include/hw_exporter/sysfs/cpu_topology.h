#pragma once

#include <map>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "hw_exporter/core/paths.h"

namespace hw_exporter::sysfs {

// The most CPUs a Linux kernel supports (NR_CPUS at most 8192, x86-64's MAXSMP): a larger CPU number in a file is
// an error, not a reason to list billions of CPUs.
inline constexpr unsigned kMaxCpus = 8192;

// The kernel's "cpulist" format ("1,3-5,9"; empty for none), as in devices/system/cpu/isolated, online,
// offline. Returns the CPU numbers listed, ascending and once each; source names the file in error messages.
// Throws ParseError, also for a CPU number of kMaxCpus or more.
std::vector<unsigned> ParseCpuList(std::string_view text, std::string_view source);

// What devices/system/cpu/cpuN/{topology,thermal_throttle} say about one CPU. A file that is absent or does not
// hold a number leaves its member empty (thermal_throttle exists on x86 only, topology not in every VM).
struct CpuTopology {
  unsigned cpu = 0;
  std::optional<unsigned long long> package_id;              // topology/physical_package_id
  std::optional<unsigned long long> core_id;                 // topology/core_id
  std::optional<unsigned long long> core_throttle_count;     // thermal_throttle/core_throttle_count
  std::optional<unsigned long long> package_throttle_count;  // thermal_throttle/package_throttle_count
};

// Every cpuN directory under <sysfs>/devices/system/cpu, by CPU number; none when the directory is absent.
std::vector<CpuTopology> ReadCpuTopologies(const Paths& paths);

// Thermal throttle events per package and per (package, core). Siblings of one core (and every CPU of one
// package) report the same counter, so each is counted once, from the first CPU that has it. CPUs without a
// package or core id are left out.
struct ThrottleCounts {
  std::map<unsigned long long, unsigned long long> per_package;
  std::map<std::pair<unsigned long long, unsigned long long>, unsigned long long> per_core;
};

ThrottleCounts CountThrottles(const std::vector<CpuTopology>& cpus);

}  // namespace hw_exporter::sysfs

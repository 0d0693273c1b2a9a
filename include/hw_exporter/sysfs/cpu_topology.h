#pragma once

#include <map>
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

// Thermal throttle events per package and per (package, core), from devices/system/cpuN/thermal_throttle. The
// siblings of one core (and every CPU of one package) report the same counter, so each is read once, from the first
// CPU, in number order, whose topology places it there and that has the file: a host with two threads per core and
// two packages reads a little more than a quarter of the counters it has. CPUs without a package or core id
// (topology is not in every VM) are left out, and so is a counter that is absent or does not hold a number
// (thermal_throttle exists on x86 only). None when the CPU directory is absent.
struct ThrottleCounts {
  std::map<unsigned long long, unsigned long long> per_package;
  std::map<std::pair<unsigned long long, unsigned long long>, unsigned long long> per_core;
};

ThrottleCounts ReadThrottleCounts(const Paths& paths);

}  // namespace hw_exporter::sysfs

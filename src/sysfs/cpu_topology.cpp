#include "hw_exporter/sysfs/cpu_topology.h"

#include <algorithm>
#include <string>

#include "hw_exporter/core/fs.h"
#include "hw_exporter/core/parse_error.h"
#include "hw_exporter/core/strings.h"
#include "hw_exporter/sysfs/file_reader.h"

namespace hw_exporter::sysfs {

namespace {

std::optional<unsigned long long> ReadNumber(const std::string& path) {
  auto line = TryReadAttributeLine(path);
  return line ? ParseUnsigned(*line) : std::nullopt;
}

// "cpu12" → 12; nullopt for cpufreq, cpuidle and the like.
std::optional<unsigned> CpuNumber(std::string_view name) {
  if (!StartsWith(name, "cpu")) return std::nullopt;
  std::string_view digits = name.substr(3);
  bool all_digits = std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (digits.empty() || !all_digits) return std::nullopt;
  auto number = ParseUnsigned(digits);
  return number ? std::optional<unsigned>(static_cast<unsigned>(*number)) : std::nullopt;
}

}  // namespace

std::vector<unsigned> ParseCpuList(std::string_view text, std::string_view source) {
  std::vector<bool> listed(kMaxCpus);
  for (std::string_view item : Split(Trim(text), ',')) {
    if (item.empty()) continue;
    auto bounds = Split(item, '-');
    if (bounds.size() > 2) throw ParseError(source, 1, "invalid CPU range \"" + std::string(item) + "\"");
    auto first = RequireUnsigned(bounds.front(), "a CPU number", source, 1);
    auto last = RequireUnsigned(bounds.back(), "a CPU number", source, 1);
    if (last < first) throw ParseError(source, 1, "invalid CPU range \"" + std::string(item) + "\"");
    if (last >= kMaxCpus)
      throw ParseError(source, 1,
                       "CPU " + std::to_string(last) + " is beyond the kernel's largest, " +
                           std::to_string(kMaxCpus - 1));
    std::fill(listed.begin() + static_cast<std::ptrdiff_t>(first),
              listed.begin() + static_cast<std::ptrdiff_t>(last) + 1, true);
  }
  std::vector<unsigned> cpus;
  for (unsigned cpu = 0; cpu < kMaxCpus; ++cpu)
    if (listed[cpu]) cpus.push_back(cpu);
  return cpus;
}

std::vector<CpuTopology> ReadCpuTopologies(const Paths& paths) {
  const std::string root = paths.Sys("devices/system/cpu");
  std::vector<CpuTopology> cpus;
  for (const std::string& name : ListDirectoryIfExists(root)) {
    auto number = CpuNumber(name);
    if (!number) continue;
    const std::string dir = ChildPath(root, name);
    cpus.push_back({
        .cpu = *number,
        .package_id = ReadNumber(dir + "/topology/physical_package_id"),
        .core_id = ReadNumber(dir + "/topology/core_id"),
        .core_throttle_count = ReadNumber(dir + "/thermal_throttle/core_throttle_count"),
        .package_throttle_count = ReadNumber(dir + "/thermal_throttle/package_throttle_count"),
    });
  }
  std::sort(cpus.begin(), cpus.end(), [](const CpuTopology& a, const CpuTopology& b) { return a.cpu < b.cpu; });
  return cpus;
}

ThrottleCounts CountThrottles(const std::vector<CpuTopology>& cpus) {
  ThrottleCounts counts;
  for (const CpuTopology& cpu : cpus) {
    if (!cpu.package_id || !cpu.core_id) continue;
    if (cpu.core_throttle_count) counts.per_core.try_emplace({*cpu.package_id, *cpu.core_id}, *cpu.core_throttle_count);
    if (cpu.package_throttle_count) counts.per_package.try_emplace(*cpu.package_id, *cpu.package_throttle_count);
  }
  return counts;
}

}  // namespace hw_exporter::sysfs

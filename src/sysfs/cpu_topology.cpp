#include "hw_exporter/sysfs/cpu_topology.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

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
  std::vector<std::pair<unsigned, unsigned>> ranges;
  unsigned highest = 0;
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
    ranges.emplace_back(static_cast<unsigned>(first), static_cast<unsigned>(last));
    highest = std::max(highest, static_cast<unsigned>(last));
  }
  if (ranges.empty()) return {};  // the usual content of isolated and offline
  // Ranges may overlap and repeat: marked in a bitmap as large as the highest CPU listed.
  std::vector<bool> listed(highest + 1);
  for (const auto& [first, last] : ranges)
    std::fill(listed.begin() + first, listed.begin() + static_cast<std::ptrdiff_t>(last) + 1, true);
  std::vector<unsigned> cpus;
  for (unsigned cpu = 0; cpu <= highest; ++cpu)
    if (listed[cpu]) cpus.push_back(cpu);
  return cpus;
}

ThrottleCounts ReadThrottleCounts(const Paths& paths) {
  const std::string root = paths.Sys("devices/system/cpu");
  std::vector<std::pair<unsigned, std::string>> cpus;  // number, directory
  for (const std::string& name : ListDirectoryIfExists(root))
    if (auto number = CpuNumber(name)) cpus.emplace_back(*number, ChildPath(root, name));
  std::sort(cpus.begin(), cpus.end());
  ThrottleCounts counts;
  for (const auto& [number, dir] : cpus) {
    const auto package = ReadNumber(dir + "/topology/physical_package_id");
    const auto core = ReadNumber(dir + "/topology/core_id");
    if (!package || !core) continue;
    if (!counts.per_core.contains({*package, *core})) {
      if (auto count = ReadNumber(dir + "/thermal_throttle/core_throttle_count"))
        counts.per_core.emplace(std::pair(*package, *core), *count);
    }
    if (!counts.per_package.contains(*package)) {
      if (auto count = ReadNumber(dir + "/thermal_throttle/package_throttle_count"))
        counts.per_package.emplace(*package, *count);
    }
  }
  return counts;
}

}  // namespace hw_exporter::sysfs

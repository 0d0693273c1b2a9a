#include "hw_exporter/procfs/stat.h"

#include <array>
#include <cstddef>

#include "hw_exporter/core/parse_error.h"
#include "hw_exporter/core/strings.h"

namespace hw_exporter::procfs {

namespace {

using Fields = std::vector<std::string_view>;

// Kernels since 2.6.33 print all ten modes; older ones print fewer, and the missing modes stay 0. Fewer than
// four (user, nice, system, idle) is not a CPU line.
constexpr size_t kMinCpuModes = 4;

CpuTimes ParseCpuTimes(const Fields& fields, std::string_view source, size_t line_number) {
  if (fields.size() < 1 + kMinCpuModes) throw ParseError(source, line_number, "too few CPU time fields");
  CpuTimes times;
  const std::array<double*, 10> modes = {&times.user, &times.nice,    &times.system, &times.idle,  &times.iowait,
                                         &times.irq,  &times.softirq, &times.steal,  &times.guest, &times.guest_nice};
  for (size_t i = 0; i < modes.size() && i + 1 < fields.size(); ++i) {
    auto ticks = RequireUnsigned(fields[i + 1], "a number of ticks", source, line_number);
    *modes[i] = static_cast<double>(ticks) / kUserHz;
  }
  return times;
}

void ParseCpuLine(const Fields& fields, std::string_view source, size_t line_number, Stat& stat) {
  std::string_view suffix = fields[0].substr(3);
  CpuTimes times = ParseCpuTimes(fields, source, line_number);
  if (suffix.empty()) {
    stat.total = times;
    return;
  }
  auto cpu = RequireUnsigned(suffix, "a CPU number after \"cpu\"", source, line_number);
  stat.cpus[static_cast<unsigned>(cpu)] = times;
}

void ParseSoftirqLine(const Fields& fields, std::string_view source, size_t line_number, Stat& stat) {
  stat.softirqs.clear();
  // fields[1] is the sum over all vectors.
  for (size_t i = 2; i < fields.size(); ++i)
    stat.softirqs.push_back(RequireUnsigned(fields[i], "a softirq count", source, line_number));
}

// The lines of the form "<key> <number>", and where each goes.
std::optional<unsigned long long>* SingleValueSlot(std::string_view key, Stat& stat) {
  if (key == "intr") return &stat.interrupts;  // followed by per-IRQ counts, which are not kept
  if (key == "ctxt") return &stat.context_switches;
  if (key == "btime") return &stat.boot_time;
  if (key == "processes") return &stat.forks;
  if (key == "procs_running") return &stat.procs_running;
  if (key == "procs_blocked") return &stat.procs_blocked;
  return nullptr;
}

}  // namespace

Stat ParseStat(std::string_view text, std::string_view source) {
  Stat stat;
  auto lines = SplitLines(text);
  for (size_t index = 0; index < lines.size(); ++index) {
    const size_t line_number = index + 1;
    Fields fields = SplitFields(lines[index]);
    if (fields.empty()) continue;
    std::string_view key = fields[0];
    if (StartsWith(key, "cpu")) {
      ParseCpuLine(fields, source, line_number, stat);
    } else if (key == "softirq") {
      ParseSoftirqLine(fields, source, line_number, stat);
    } else if (auto* slot = SingleValueSlot(key, stat)) {
      if (fields.size() < 2) throw ParseError(source, line_number, "no value after \"" + std::string(key) + "\"");
      *slot = RequireUnsigned(fields[1], "a number", source, line_number);
    }
  }
  // Every kernel prints the "cpu" line first: a file without it is not /proc/stat (empty, or corrupted), and
  // reading it as one would report success with nothing to show.
  if (!stat.total) throw ParseError(source, "no \"cpu\" line: not the kernel's statistics");
  return stat;
}

}  // namespace hw_exporter::procfs

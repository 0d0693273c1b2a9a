#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hw_exporter::procfs {

// The fields of /proc/<pid>/stat that describe what a process uses (proc(5)).
struct ProcessStat {
  std::string comm;  // may itself hold spaces and parentheses
  char state = '?';
  unsigned long long user_ticks = 0;    // utime, in clock ticks
  unsigned long long system_ticks = 0;  // stime, in clock ticks
  unsigned long long threads = 0;
  unsigned long long start_ticks = 0;  // starttime: clock ticks after boot
  unsigned long long virtual_memory_bytes = 0;
  unsigned long long resident_pages = 0;
};

// Parses the one line of /proc/<pid>/stat; source names the file in error messages. Throws ParseError.
ProcessStat ParseProcessStat(std::string_view text, std::string_view source);

// One row of /proc/<pid>/limits; an absent soft or hard value means "unlimited".
struct ResourceLimit {
  std::string name;  // "Max open files"
  std::optional<unsigned long long> soft;
  std::optional<unsigned long long> hard;
  std::string unit;  // "files", "bytes"; empty for the limits that have none
};

// Parses /proc/<pid>/limits; source names the file in error messages. Throws ParseError.
std::vector<ResourceLimit> ParseProcessLimits(std::string_view text, std::string_view source);

// The row of that name, or nullptr.
const ResourceLimit* FindLimit(const std::vector<ResourceLimit>& limits, std::string_view name);

}  // namespace hw_exporter::procfs

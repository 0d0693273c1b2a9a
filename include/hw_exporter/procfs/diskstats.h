#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hw_exporter::procfs {

// One line of /proc/diskstats. After major, minor and name, kernels print 11 statistics (before 4.18), 15 (4.18
// added discards) or 17 (5.5 added flushes); `stats` holds the ones the line has, in the kernel's order
// (Documentation/admin-guide/iostats.rst), at most 17.
struct DiskStats {
  unsigned major = 0;
  unsigned minor = 0;
  std::string device;
  std::vector<uint64_t> stats;
};

// Parses the text of /proc/diskstats; source names the file in error messages. Lines with fewer than 11 statistics
// (the 4-field partition lines of 2.6 kernels) are skipped, as node_exporter does. Throws ParseError naming the
// line when a field is not a number.
std::vector<DiskStats> ParseDiskstats(std::string_view text, std::string_view source);

}  // namespace hw_exporter::procfs

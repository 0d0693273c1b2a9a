#include "hw_exporter/procfs/diskstats.h"

#include <algorithm>

#include "hw_exporter/core/parse_error.h"
#include "hw_exporter/core/strings.h"

namespace hw_exporter::procfs {

namespace {

constexpr size_t kMinStats = 11;
constexpr size_t kMaxStats = 17;

unsigned RequireDeviceNumber(std::string_view field, std::string_view what, std::string_view source,
                             size_t line_number) {
  unsigned long long number = RequireUnsigned(field, what, source, line_number);
  if (number > 0xffffffffULL) throw ParseError(source, line_number, std::string(what) + " out of range");
  return static_cast<unsigned>(number);
}

}  // namespace

std::vector<DiskStats> ParseDiskstats(std::string_view text, std::string_view source) {
  std::vector<DiskStats> disks;
  size_t line_number = 0;
  for (std::string_view line : SplitLines(text)) {
    ++line_number;
    std::vector<std::string_view> fields = SplitFields(line);
    if (fields.size() < 3 + kMinStats) continue;
    DiskStats& disk = disks.emplace_back();
    disk.major = RequireDeviceNumber(fields[0], "a major number", source, line_number);
    disk.minor = RequireDeviceNumber(fields[1], "a minor number", source, line_number);
    disk.device = fields[2];
    size_t count = std::min(fields.size() - 3, kMaxStats);
    disk.stats.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      disk.stats.push_back(RequireUnsigned(fields[3 + i], "a counter", source, line_number));
    }
  }
  return disks;
}

}  // namespace hw_exporter::procfs

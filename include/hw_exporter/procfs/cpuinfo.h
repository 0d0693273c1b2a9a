#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hw_exporter::procfs {

// The fields of one "processor" block of /proc/cpuinfo that node_cpu_info reports, as the kernel wrote them
// (empty when the architecture does not print them).
struct CpuInfo {
  unsigned processor = 0;
  std::string vendor_id;  // "vendor_id", or "vendor" on some architectures
  std::string cpu_family;
  std::string model;
  std::string model_name;
  std::string stepping;
  std::string microcode;
  std::string cache_size;
  std::string physical_id;
  std::string core_id;
  std::vector<std::string> flags;
  std::vector<std::string> bugs;
};

// Parses the text of /proc/cpuinfo, one entry per "processor" line in file order; lines before the first one
// (and keys not listed above) are ignored. source names the file in error messages. Throws ParseError.
std::vector<CpuInfo> ParseCpuInfo(std::string_view text, std::string_view source);

}  // namespace hw_exporter::procfs

#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hw_exporter::procfs {

// One "<name> <value>" line of /proc/vmstat.
struct VmstatField {
  std::string name;
  double value = 0;
};

// Parses the text of /proc/vmstat, in file order; source names the file in error messages. Throws ParseError.
std::vector<VmstatField> ParseVmstat(std::string_view text, std::string_view source);

}  // namespace hw_exporter::procfs

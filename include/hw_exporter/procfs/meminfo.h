#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hw_exporter::procfs {

// One line of /proc/meminfo, as the kernel wrote it: "Active(anon):  2020004 kB" is
// {"Active(anon)", 2020004, "kB"}; counts such as HugePages_Total have no unit.
struct MeminfoField {
  std::string name;
  double value = 0;
  std::string unit;
};

// Parses the text of /proc/meminfo, in file order; source names the file in error messages. Throws ParseError.
std::vector<MeminfoField> ParseMeminfo(std::string_view text, std::string_view source);

}  // namespace hw_exporter::procfs

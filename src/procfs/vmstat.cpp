#include "hw_exporter/procfs/vmstat.h"

#include <cstddef>

#include "hw_exporter/core/parse_error.h"
#include "hw_exporter/core/strings.h"

namespace hw_exporter::procfs {

std::vector<VmstatField> ParseVmstat(std::string_view text, std::string_view source) {
  std::vector<VmstatField> fields;
  auto lines = SplitLines(text);
  for (size_t index = 0; index < lines.size(); ++index) {
    const size_t line_number = index + 1;
    auto parts = SplitFields(lines[index]);
    if (parts.empty()) continue;
    if (parts.size() != 2) throw ParseError(source, line_number, "expected \"<name> <value>\"");
    fields.push_back({std::string(parts[0]), RequireDouble(parts[1], "a number", source, line_number)});
  }
  return fields;
}

}  // namespace hw_exporter::procfs

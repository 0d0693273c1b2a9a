#include "hw_exporter/procfs/meminfo.h"

#include <cstddef>

#include "hw_exporter/core/parse_error.h"
#include "hw_exporter/core/strings.h"

namespace hw_exporter::procfs {

std::vector<MeminfoField> ParseMeminfo(std::string_view text, std::string_view source) {
  std::vector<MeminfoField> fields;
  auto lines = SplitLines(text);
  for (size_t index = 0; index < lines.size(); ++index) {
    const size_t line_number = index + 1;
    auto parts = SplitFields(lines[index]);
    if (parts.empty()) continue;
    if (parts.size() < 2 || parts.size() > 3 || parts[0].size() < 2 || !EndsWith(parts[0], ":"))
      throw ParseError(source, line_number, "expected \"<name>: <value> [unit]\"");
    fields.push_back({
        .name = std::string(parts[0].substr(0, parts[0].size() - 1)),
        .value = RequireDouble(parts[1], "a number", source, line_number),
        .unit = parts.size() == 3 ? std::string(parts[2]) : std::string(),
    });
  }
  return fields;
}

}  // namespace hw_exporter::procfs

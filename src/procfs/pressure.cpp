#include "hw_exporter/procfs/pressure.h"

#include <cstddef>
#include <string>

#include "hw_exporter/core/parse_error.h"
#include "hw_exporter/core/strings.h"

namespace hw_exporter::procfs {

namespace {

// The value of "<key>=<value>", which must be the field's key.
std::string_view ValueOf(std::string_view field, std::string_view key, std::string_view source, size_t line_number) {
  if (!StartsWith(field, key) || field.size() <= key.size() || field[key.size()] != '=')
    throw ParseError(source, line_number,
                     "expected " + std::string(key) + "=<value>, got \"" + std::string(field) + "\"");
  return field.substr(key.size() + 1);
}

PressureLine ParseLine(const std::vector<std::string_view>& parts, std::string_view source, size_t line_number) {
  if (parts.size() != 5) throw ParseError(source, line_number, "expected avg10, avg60, avg300 and total");
  auto value = [&](size_t index, std::string_view key) { return ValueOf(parts[index], key, source, line_number); };
  auto percent = [&](size_t index, std::string_view key) {
    return RequireDouble(value(index, key), "a percentage", source, line_number);
  };
  return {
      .avg10 = percent(1, "avg10"),
      .avg60 = percent(2, "avg60"),
      .avg300 = percent(3, "avg300"),
      .total_microseconds = RequireUnsigned(value(4, "total"), "microseconds", source, line_number),
  };
}

}  // namespace

Pressure ParsePressure(std::string_view text, std::string_view source) {
  Pressure pressure;
  auto lines = SplitLines(text);
  for (size_t index = 0; index < lines.size(); ++index) {
    const size_t line_number = index + 1;
    auto parts = SplitFields(lines[index]);
    if (parts.empty()) continue;
    if (parts[0] == "some") {
      pressure.some = ParseLine(parts, source, line_number);
    } else if (parts[0] == "full") {
      pressure.full = ParseLine(parts, source, line_number);
    } else {
      throw ParseError(source, line_number, "expected a \"some\" or \"full\" line");
    }
  }
  return pressure;
}

}  // namespace hw_exporter::procfs

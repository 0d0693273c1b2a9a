#pragma once

// The "Key : value" lines that ipmitool and FreeIPMI print for the BMC, the chassis, DCMI and the SEL. Keys are
// matched ignoring case, since the two tools spell the same key differently ("Cooling/Fan Fault",
// "Cooling/fan fault").

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace hw_exporter {

struct ColonField {
  std::string_view key;    // trimmed text before the first ':'
  std::string_view value;  // trimmed text after it
  size_t line = 0;         // 1-based
};

// Every line with a ':' and a key before it; other lines (headers, continuation lines, blanks) are not fields.
std::vector<ColonField> ColonFields(std::string_view text);

// The first field of that key, or nullptr.
const ColonField* FindField(const std::vector<ColonField>& fields, std::string_view key);

// The first field of that key, or a ParseError naming the source and the key.
const ColonField& RequireField(const std::vector<ColonField>& fields, std::string_view key, std::string_view source);

// A field's value that must be a number followed by a unit ("9198 bytes", "215 Watts"), the unit matched
// ignoring case; a ParseError quoting the value otherwise.
double RequireQuantity(const ColonField& field, std::string_view unit, std::string_view source);

// The leading digits and dots of a value ("1.52" of "1.52 (build 3)"), as ipmi_exporter reads version numbers.
std::string LeadingVersion(std::string_view value);

}  // namespace hw_exporter

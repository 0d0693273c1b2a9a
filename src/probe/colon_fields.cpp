#include "colon_fields.h"

#include "hw_exporter/core/parse_error.h"
#include "hw_exporter/core/strings.h"

namespace hw_exporter {

std::vector<ColonField> ColonFields(std::string_view text) {
  std::vector<ColonField> fields;
  const std::vector<std::string_view> lines = SplitLines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    const size_t colon = lines[i].find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view key = Trim(lines[i].substr(0, colon));
    if (key.empty()) continue;
    fields.push_back({key, Trim(lines[i].substr(colon + 1)), i + 1});
  }
  return fields;
}

const ColonField* FindField(const std::vector<ColonField>& fields, std::string_view key) {
  for (const ColonField& field : fields) {
    if (EqualsIgnoringCase(field.key, key)) return &field;
  }
  return nullptr;
}

const ColonField& RequireField(const std::vector<ColonField>& fields, std::string_view key, std::string_view source) {
  const ColonField* field = FindField(fields, key);
  if (field == nullptr) throw ParseError(source, "no \"" + std::string(key) + "\" line");
  return *field;
}

double RequireQuantity(const ColonField& field, std::string_view unit, std::string_view source) {
  std::vector<std::string_view> parts = SplitFields(field.value);
  std::optional<double> number = parts.size() == 2 ? ParseDouble(parts[0]) : std::nullopt;
  if (!number || !EqualsIgnoringCase(parts[1], unit)) {
    throw ParseError(source, field.line,
                     std::string(field.key) + ": expected a number of " + std::string(unit) + ", got \"" +
                         std::string(field.value) + "\"");
  }
  return *number;
}

std::string LeadingVersion(std::string_view value) {
  size_t end = 0;
  while (end < value.size() && ((value[end] >= '0' && value[end] <= '9') || value[end] == '.')) ++end;
  return std::string(value.substr(0, end));
}

}  // namespace hw_exporter

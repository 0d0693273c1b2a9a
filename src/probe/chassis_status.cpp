#include "hw_exporter/probe/chassis_status.h"

#include <string>

#include "colon_fields.h"
#include "hw_exporter/core/parse_error.h"

namespace hw_exporter {

namespace {

// The field's value is one of the two words (true_word means true); anything else is an error quoting it.
bool RequireWord(const std::vector<ColonField>& fields, std::string_view key, std::string_view true_word,
                 std::string_view false_word, std::string_view source) {
  const ColonField& field = RequireField(fields, key, source);
  if (field.value == true_word) return true;
  if (field.value == false_word) return false;
  throw ParseError(source, field.line,
                   std::string(key) + ": expected \"" + std::string(true_word) + "\" or \"" + std::string(false_word) +
                       "\", got \"" + std::string(field.value) + "\"");
}

// The two tools print the same keys and values; only the case of a key differs.
ChassisStatus ParseChassisStatus(std::string_view text, std::string_view source) {
  const std::vector<ColonField> fields = ColonFields(text);
  ChassisStatus status;
  status.power_on = RequireWord(fields, "System Power", "on", "off", source);
  status.drive_fault = RequireWord(fields, "Drive Fault", "true", "false", source);
  status.cooling_fault = RequireWord(fields, "Cooling/Fan Fault", "true", "false", source);
  return status;
}

}  // namespace

ChassisStatus ParseFreeipmiChassisStatus(std::string_view text) { return ParseChassisStatus(text, "ipmi-chassis"); }

ChassisStatus ParseIpmitoolChassisStatus(std::string_view text) {
  return ParseChassisStatus(text, "ipmitool chassis status");
}

}  // namespace hw_exporter

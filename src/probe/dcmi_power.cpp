#include "hw_exporter/probe/dcmi_power.h"

#include <string>

#include "colon_fields.h"
#include "hw_exporter/core/parse_error.h"

namespace hw_exporter {

namespace {

struct DcmiFormat {
  std::string_view source;
  std::string_view state_key;
  std::string_view active;
  std::string_view inactive;
  std::string_view power_key;
};

DcmiPower ParseDcmiPower(std::string_view text, const DcmiFormat& format) {
  const std::vector<ColonField> fields = ColonFields(text);
  const ColonField& state = RequireField(fields, format.state_key, format.source);
  if (state.value == format.inactive) return {};
  if (state.value != format.active) {
    throw ParseError(format.source, state.line,
                     std::string(format.state_key) + ": expected \"" + std::string(format.active) + "\" or \"" +
                         std::string(format.inactive) + "\", got \"" + std::string(state.value) + "\"");
  }
  return {RequireQuantity(RequireField(fields, format.power_key, format.source), "Watts", format.source)};
}

}  // namespace

DcmiPower ParseFreeipmiDcmiPower(std::string_view text) {
  return ParseDcmiPower(text, {"ipmi-dcmi", "Power Measurement", "Active", "Not Available", "Current Power"});
}

DcmiPower ParseIpmitoolDcmiPower(std::string_view text) {
  return ParseDcmiPower(text, {"ipmitool dcmi power reading", "Power reading state is", "activated", "deactivated",
                               "Instantaneous power reading"});
}

}  // namespace hw_exporter

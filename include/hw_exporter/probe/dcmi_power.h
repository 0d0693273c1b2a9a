#pragma once

// The power the BMC measures through DCMI, as FreeIPMI's `ipmi-dcmi --get-system-power-statistics` and ipmitool's
// `dcmi power reading` print it. Both parsers throw ParseError when a line they need is missing or unreadable.

#include <optional>
#include <string_view>

namespace hw_exporter {

struct DcmiPower {
  // The current power in Watts; nullopt when the BMC says its measurement is not active, since the number it
  // prints then is stale or zero (ipmi_exporter exports no sample either).
  std::optional<double> current_watts;
};

// "Power Measurement : Active" or "Not Available"; "Current Power : 72 Watts".
DcmiPower ParseFreeipmiDcmiPower(std::string_view text);

// "Power reading state is: activated" or "deactivated"; "Instantaneous power reading: 215 Watts".
DcmiPower ParseIpmitoolDcmiPower(std::string_view text);

}  // namespace hw_exporter

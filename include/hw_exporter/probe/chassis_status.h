#pragma once

// The chassis status as FreeIPMI's `ipmi-chassis --get-chassis-status` and ipmitool's `chassis status` print it:
// both print "System Power : on", "Drive Fault : false" and "Cooling/Fan Fault : false" (FreeIPMI writes
// "Cooling/fan fault"). Both parsers throw ParseError when one of the three is missing or not a value they print.

#include <string_view>

namespace hw_exporter {

struct ChassisStatus {
  bool power_on = false;
  bool drive_fault = false;
  bool cooling_fault = false;
};

ChassisStatus ParseFreeipmiChassisStatus(std::string_view text);
ChassisStatus ParseIpmitoolChassisStatus(std::string_view text);

}  // namespace hw_exporter

#pragma once

// The System Event Log's fill as FreeIPMI's `ipmi-sel --info` and ipmitool's `sel info` print it. Both parsers
// throw ParseError when a line they need is missing or unreadable.

#include <string_view>

namespace hw_exporter {

struct SelInfo {
  double entries = 0;
  double free_bytes = 0;
};

// "Number of log entries : 398", "Free space remaining : 9198 bytes".
SelInfo ParseFreeipmiSelInfo(std::string_view text);

// "Entries : 490", "Free Space : 56682 bytes".
SelInfo ParseIpmitoolSelInfo(std::string_view text);

}  // namespace hw_exporter

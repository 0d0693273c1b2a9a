#pragma once

// The sensors FreeIPMI's `ipmimonitoring` prints with ipmi_exporter's flags (--comma-separated-output
// --no-header-output --output-event-bitmask --output-sensor-state ...): one sensor per line, seven fields,
//   ID,Name,Type,State,Reading,Units,Event
//   12,SYS 3.3V,Voltage,Nominal,3.30,V,00C0h
//   143,Port1 Link Down,Slot/Connector,Warning,N/A,N/A,0100h
// ID is the SDR record id; State is Nominal, Warning, Critical or N/A; Reading a decimal number or N/A; Units
// FreeIPMI's abbreviation (C, V, A, W, RPM, %, unspecified ...); Event the bitmask, or the event strings in single
// quotes without --output-event-bitmask.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hw_exporter {

struct FreeipmiSensor {
  std::uint64_t id = 0;
  std::string name;
  std::string type;               // "Temperature", "Fan", "Power Supply" ...
  std::string state;              // as printed
  std::optional<double> reading;  // nullopt for "N/A"
  std::string unit;               // as printed; "N/A" without a reading
  std::string event;              // the bitmask ("00C0h"), or the event strings without their outer quotes
};

struct IpmimonitoringTable {
  std::vector<FreeipmiSensor> sensors;
  // "line <n>: <why>" for each line that is not a sensor (a message, a field too many or too few, an id or a
  // reading that is no number, a last line cut short).
  std::vector<std::string> skipped_lines;
};

IpmimonitoringTable ParseIpmimonitoring(std::string_view text);

// ipmi_exporter's severity of a FreeIPMI state: 0 Nominal, 1 Warning, 2 Critical; nullopt for N/A and anything
// else.
std::optional<int> FreeipmiSeverity(std::string_view state);

}  // namespace hw_exporter

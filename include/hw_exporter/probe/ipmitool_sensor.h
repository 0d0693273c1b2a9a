#pragma once

// The table `ipmitool sensor` prints: one sensor per line, ten columns separated by '|':
//   name | reading | unit | status | lnr | lcr | lnc | unc | ucr | unr
// Threshold sensors have a decimal reading, a unit ("degrees C", "Volts", "RPM" ...), a status (ok, nc, cr, nr,
// ns or na) and up to six thresholds; discrete sensors have a hexadecimal reading ("0x0"), the unit "discrete"
// and their state bits as status ("0x0180"). "na" stands for what the BMC did not give.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hw_exporter {

struct IpmiThresholds {
  std::optional<double> lower_non_recoverable;
  std::optional<double> lower_critical;
  std::optional<double> lower_non_critical;
  std::optional<double> upper_non_critical;
  std::optional<double> upper_critical;
  std::optional<double> upper_non_recoverable;
};

struct IpmiSensor {
  std::string name;
  std::optional<double> reading;  // nullopt for "na"
  bool discrete = false;          // the reading is a state number ("0x1"), not a measurement
  std::string unit;               // as printed; empty when the sensor has no reading
  std::string status;             // as printed: "ok", "nc", "cr", "nr", "ns", "na", or a discrete state "0x0180"
  IpmiThresholds thresholds;
};

struct IpmitoolSensorTable {
  std::vector<IpmiSensor> sensors;
  // Lines that are not a sensor row (too few columns, an unreadable reading, a last line cut short).
  std::vector<std::string> skipped_lines;
};

IpmitoolSensorTable ParseIpmitoolSensor(std::string_view text);

// ipmi_exporter's severity of a threshold status: 0 nominal (ok), 1 warning (nc), 2 critical (cr, nr); nullopt
// when there is no reading (na, ns) or no threshold status (a discrete sensor's state bits).
std::optional<int> IpmiSeverity(std::string_view status);

}  // namespace hw_exporter

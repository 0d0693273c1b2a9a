#pragma once

// ipmi_exporter's sensor families, written alike from ipmitool's and FreeIPMI's sensors: a sensor of a known kind
// gets its own value and _state gauges labelled {id,name}, any other ipmi_sensor_value and ipmi_sensor_state
// labelled {id,name,type}. `id` is the SDR record id, which only FreeIPMI prints; ipmitool's sensors go without it.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hw_exporter/core/family_set.h"
#include "hw_exporter/core/log.h"

namespace hw_exporter {

enum class IpmiSensorKind { kTemperature, kFanSpeedRpm, kFanSpeedRatio, kVoltage, kCurrent, kPower, kGeneric };

struct IpmiSensorSample {
  std::optional<std::string> id;  // the record id; none from ipmitool
  std::string name;
  std::string type;  // the type label of a generic sensor
  IpmiSensorKind kind = IpmiSensorKind::kGeneric;
  std::optional<double> reading;  // in the tool's unit: percent for a fan's ratio
  std::optional<int> severity;    // 0 nominal, 1 warning, 2 critical; none exported as NaN
};

// Writes each sensor once per label set: two sensors whose labels would be equal (two ipmitool sensors of one
// name) would be one series twice, so the first is kept and the others logged at debug level.
void WriteIpmiSensors(FamilySet& families, const std::vector<IpmiSensorSample>& sensors, const log::Logger& log);

// ipmi_up{collector} 1, under ipmi_exporter's collector name ("ipmi", "bmc", "chassis", "dcmi", "sel"): a
// collector that fails keeps its last good data and reports hw_exporter_collector_success 0 instead.
void WriteIpmiUp(FamilySet& families, std::string_view collector);

}  // namespace hw_exporter

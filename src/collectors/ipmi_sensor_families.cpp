#include "ipmi_sensor_families.h"

#include <limits>
#include <set>
#include <utility>

namespace hw_exporter {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct KindFamilies {
  IpmiSensorKind kind;
  std::string_view value_name;
  std::string_view value_help;
  std::string_view state_name;
  std::string_view state_help;
  double divisor;  // from the tool's unit to the metric's
};

constexpr KindFamilies kKinds[] = {
    {IpmiSensorKind::kTemperature, "ipmi_temperature_celsius", "Temperature reading in degrees Celsius.",
     "ipmi_temperature_state", "State of a temperature sensor (0=nominal, 1=warning, 2=critical, NaN=no reading).", 1},
    {IpmiSensorKind::kFanSpeedRpm, "ipmi_fan_speed_rpm", "Fan speed in rotations per minute.", "ipmi_fan_speed_state",
     "State of a fan speed sensor (0=nominal, 1=warning, 2=critical, NaN=no reading).", 1},
    {IpmiSensorKind::kFanSpeedRatio, "ipmi_fan_speed_ratio", "Fan speed as a proportion of the maximum speed.",
     "ipmi_fan_speed_state", "State of a fan speed sensor (0=nominal, 1=warning, 2=critical, NaN=no reading).", 100},
    {IpmiSensorKind::kVoltage, "ipmi_voltage_volts", "Voltage reading in Volts.", "ipmi_voltage_state",
     "State of a voltage sensor (0=nominal, 1=warning, 2=critical, NaN=no reading).", 1},
    {IpmiSensorKind::kCurrent, "ipmi_current_amperes", "Current reading in Amperes.", "ipmi_current_state",
     "State of a current sensor (0=nominal, 1=warning, 2=critical, NaN=no reading).", 1},
    {IpmiSensorKind::kPower, "ipmi_power_watts", "Power reading in Watts.", "ipmi_power_state",
     "State of a power sensor (0=nominal, 1=warning, 2=critical, NaN=no reading).", 1},
};

const KindFamilies* FindKind(IpmiSensorKind kind) {
  for (const KindFamilies& families : kKinds) {
    if (families.kind == kind) return &families;
  }
  return nullptr;
}

Labels SensorLabels(const IpmiSensorSample& sensor, bool with_type) {
  Labels labels;
  if (sensor.id) labels.emplace_back("id", *sensor.id);
  labels.emplace_back("name", sensor.name);
  if (with_type) labels.emplace_back("type", sensor.type);
  return labels;
}

void WriteSensor(FamilySet& families, const IpmiSensorSample& sensor, const Labels& labels) {
  const double state = sensor.severity ? *sensor.severity : kNaN;
  if (const KindFamilies* kind = FindKind(sensor.kind)) {
    families.Gauge(kind->value_name, kind->value_help, sensor.reading ? *sensor.reading / kind->divisor : kNaN, labels);
    families.Gauge(kind->state_name, kind->state_help, state, labels);
    return;
  }
  families.Gauge("ipmi_sensor_value",
                 "Reading of an IPMI sensor of no known unit (the state number of an ipmitool discrete sensor).",
                 sensor.reading.value_or(kNaN), labels);
  families.Gauge("ipmi_sensor_state",
                 "State of an IPMI sensor of no known unit (0=nominal, 1=warning, 2=critical, NaN=unknown).", state,
                 labels);
}

}  // namespace

void WriteIpmiSensors(FamilySet& families, const std::vector<IpmiSensorSample>& sensors, const log::Logger& log) {
  std::set<Labels> seen;
  for (const IpmiSensorSample& sensor : sensors) {
    Labels labels = SensorLabels(sensor, FindKind(sensor.kind) == nullptr);
    // Sensors are told apart by id and name, whatever their kind.
    Labels identity = SensorLabels(sensor, false);
    if (!seen.insert(std::move(identity)).second) {
      log.Debug("a second sensor of the same labels is skipped", {{"sensor", sensor.name}});
      continue;
    }
    WriteSensor(families, sensor, labels);
  }
}

void WriteIpmiUp(FamilySet& families, std::string_view collector) {
  families.Gauge("ipmi_up", "1 when the IPMI tool could read what this collector exports.", 1,
                 {{"collector", std::string(collector)}});
}

}  // namespace hw_exporter

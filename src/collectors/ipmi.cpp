// IPMI sensors read by `ipmitool sensor`, under ipmi_exporter's metric names.
//
// ipmi_exporter labels its sensors {id, name} with the SDR record id, which `ipmitool sensor` does not print: the
// series here carry {name} only (a made-up id would change whenever a sensor appears or goes). Its generic
// sensors carry a type label; ipmitool prints no sensor type either, so `type` holds the unit column instead
// ("discrete", "percent", "unspecified" ...).
#include <cmath>
#include <limits>
#include <set>

#include "collector_options.h"
#include "collectors.h"
#include "hw_exporter/core/strings.h"
#include "hw_exporter/probe/ipmitool_sensor.h"
#include "hw_exporter/probe/process_runner.h"

namespace hw_exporter {

namespace {

constexpr size_t kMaxOutputBytes = 4 * 1024 * 1024;

// A sensor kind ipmi_exporter gives metrics of its own, recognised by ipmitool's unit.
struct TypedSensor {
  std::string_view unit;
  std::string_view value_name;
  std::string_view value_help;
  std::string_view state_name;
  std::string_view state_help;
  double divisor;  // from ipmitool's unit to the metric's
};

constexpr TypedSensor kTypedSensors[] = {
    {"degrees C", "ipmi_temperature_celsius", "Temperature reading in degrees Celsius.", "ipmi_temperature_state",
     "State of a temperature sensor (0=nominal, 1=warning, 2=critical, NaN=no reading).", 1},
    {"RPM", "ipmi_fan_speed_rpm", "Fan speed in rotations per minute.", "ipmi_fan_speed_state",
     "State of a fan speed sensor (0=nominal, 1=warning, 2=critical, NaN=no reading).", 1},
    {"Volts", "ipmi_voltage_volts", "Voltage reading in Volts.", "ipmi_voltage_state",
     "State of a voltage sensor (0=nominal, 1=warning, 2=critical, NaN=no reading).", 1},
    {"Amps", "ipmi_current_amperes", "Current reading in Amperes.", "ipmi_current_state",
     "State of a current sensor (0=nominal, 1=warning, 2=critical, NaN=no reading).", 1},
    {"Watts", "ipmi_power_watts", "Power reading in Watts.", "ipmi_power_state",
     "State of a power sensor (0=nominal, 1=warning, 2=critical, NaN=no reading).", 1},
};

// A fan's duty cycle in percent: ipmi_exporter tells it by the sensor type "Fan", which ipmitool does not print,
// so the name has to say "fan".
constexpr TypedSensor kFanRatio = {"percent",
                                   "ipmi_fan_speed_ratio",
                                   "Fan speed as a proportion of the maximum speed.",
                                   "ipmi_fan_speed_state",
                                   "State of a fan speed sensor (0=nominal, 1=warning, 2=critical, NaN=no reading).",
                                   100};

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const TypedSensor* FindTyped(const IpmiSensor& sensor) {
  if (sensor.discrete) return nullptr;
  for (const TypedSensor& typed : kTypedSensors) {
    if (sensor.unit == typed.unit) return &typed;
  }
  if (sensor.unit == kFanRatio.unit && ToLower(sensor.name).find("fan") != std::string::npos) return &kFanRatio;
  return nullptr;
}

void WriteSensor(FamilySet& families, const IpmiSensor& sensor) {
  // Discrete sensors show state bits whose meaning depends on the sensor type, which ipmitool does not print.
  std::optional<int> severity = sensor.discrete ? std::nullopt : IpmiSeverity(sensor.status);
  double state = severity ? *severity : kNaN;
  if (const TypedSensor* typed = FindTyped(sensor)) {
    Labels labels{{"name", sensor.name}};
    families.Gauge(typed->value_name, typed->value_help, sensor.reading ? *sensor.reading / typed->divisor : kNaN,
                   labels);
    families.Gauge(typed->state_name, typed->state_help, state, labels);
    return;
  }
  Labels labels{{"name", sensor.name}, {"type", sensor.discrete ? "discrete" : sensor.unit}};
  families.Gauge("ipmi_sensor_value",
                 "Reading of an IPMI sensor of no known unit (the state number of a discrete sensor); the type label "
                 "is ipmitool's unit column.",
                 sensor.reading.value_or(kNaN), labels);
  families.Gauge("ipmi_sensor_state",
                 "State of an IPMI sensor of no known unit (0=nominal, 1=warning, 2=critical, NaN=unknown).", state,
                 labels);
}

class IpmiCollector : public Collector {
 public:
  explicit IpmiCollector(const CollectorContext& context)
      : runner_(context.process_runner),
        log_(context.log),
        timeout_(PositiveDurationOption(context, "command-timeout")) {
    argv_.push_back(context.Option("path"));
    for (std::string_view argument : SplitFields(context.Option("args"))) argv_.emplace_back(argument);
    argv_.emplace_back("sensor");
  }

  // A failed ipmitool throws: the family cache then keeps the last good sensors until max-staleness and
  // reports the failure (hw_exporter_collector_success 0, the reason in /cache/stats and the log).
  Families Collect() override {
    FamilySet families;
    Read(families);
    families.Gauge("ipmi_up", "1 when ipmitool could read the sensors.", 1, {{"collector", "ipmi"}});
    return families.Take();
  }

 private:
  void Read(FamilySet& families) {
    ProcessResult result = runner_.Run(argv_, timeout_, kMaxOutputBytes);
    if (!result.error.empty()) throw std::runtime_error(argv_.front() + ": " + result.error);
    IpmitoolSensorTable table = ParseIpmitoolSensor(result.output);
    if (table.sensors.empty()) {
      throw std::runtime_error(argv_.front() + " exited with status " + std::to_string(result.exit_status) +
                               " and no sensor table: " +
                               std::string(Trim(result.error_output.empty() ? result.output : result.error_output))
                                   .substr(0, 200));
    }
    if (result.exit_status != 0 || !table.skipped_lines.empty()) {
      log_.Warn("ipmitool failed or printed lines it could not read; the sensors it printed are kept",
                {{"program", argv_.front()},
                 {"exit_status", std::to_string(result.exit_status)},
                 {"sensors", std::to_string(table.sensors.size())},
                 {"skipped_lines", std::to_string(table.skipped_lines.size())},
                 {"output_truncated", result.truncated ? "true" : "false"}});
    }
    std::set<std::string, std::less<>> seen;
    for (const IpmiSensor& sensor : table.sensors) {
      // Without record ids, two sensors of one name would be one series twice.
      if (!seen.insert(sensor.name).second) {
        log_.Debug("a second sensor of the same name is skipped", {{"sensor", sensor.name}});
        continue;
      }
      WriteSensor(families, sensor);
    }
  }

  ProcessRunner& runner_;
  log::Logger log_;
  Duration timeout_;
  std::vector<std::string> argv_;
};

}  // namespace

std::unique_ptr<Collector> MakeIpmiCollector(const CollectorContext& context) {
  return std::make_unique<IpmiCollector>(context);
}

}  // namespace hw_exporter

// IPMI sensors under ipmi_exporter's metric names, read by `ipmitool sensor` or, with backend freeipmi, by
// `ipmimonitoring` run with ipmi_exporter's flags.
//
// ipmi_exporter labels its sensors {id, name} with the SDR record id. ipmimonitoring prints it; ipmitool prints
// none (`sdr elist` prints the sensor number, which is another number, unique only per owner and LUN), so the
// ipmitool backend's series carry {name} only. ipmi_exporter's generic sensors carry FreeIPMI's sensor type;
// ipmitool prints no type either, so there `type` holds the unit column ("discrete", "percent", "unspecified" ...).
#include "collectors.h"
#include "hw_exporter/core/strings.h"
#include "hw_exporter/probe/ipmimonitoring.h"
#include "hw_exporter/probe/ipmitool_sensor.h"
#include "ipmi_command.h"
#include "ipmi_sensor_families.h"

namespace hw_exporter {

namespace {

struct UnitKind {
  std::string_view unit;
  IpmiSensorKind kind;
};

constexpr UnitKind kIpmitoolUnits[] = {
    {"degrees C", IpmiSensorKind::kTemperature}, {"RPM", IpmiSensorKind::kFanSpeedRpm},
    {"Volts", IpmiSensorKind::kVoltage},         {"Amps", IpmiSensorKind::kCurrent},
    {"Watts", IpmiSensorKind::kPower},
};

constexpr UnitKind kFreeipmiUnits[] = {
    {"C", IpmiSensorKind::kTemperature}, {"RPM", IpmiSensorKind::kFanSpeedRpm}, {"V", IpmiSensorKind::kVoltage},
    {"A", IpmiSensorKind::kCurrent},     {"W", IpmiSensorKind::kPower},
};

template <size_t N>
IpmiSensorKind KindOfUnit(const UnitKind (&units)[N], std::string_view unit) {
  for (const UnitKind& known : units) {
    if (known.unit == unit) return known.kind;
  }
  return IpmiSensorKind::kGeneric;
}

IpmiSensorSample FromIpmitool(const IpmiSensor& sensor) {
  IpmiSensorSample sample;
  sample.name = sensor.name;
  sample.type = sensor.discrete ? "discrete" : sensor.unit;
  sample.reading = sensor.reading;
  if (sensor.discrete) return sample;  // state bits whose meaning depends on a sensor type ipmitool does not print
  sample.severity = IpmiSeverity(sensor.status);
  sample.kind = KindOfUnit(kIpmitoolUnits, sensor.unit);
  // A fan's duty cycle: ipmi_exporter tells it by the sensor type "Fan", which ipmitool does not print, so the
  // name has to say "fan".
  if (sensor.unit == "percent" && ToLower(sensor.name).find("fan") != std::string::npos) {
    sample.kind = IpmiSensorKind::kFanSpeedRatio;
  }
  return sample;
}

IpmiSensorSample FromFreeipmi(const FreeipmiSensor& sensor) {
  IpmiSensorSample sample;
  sample.id = std::to_string(sensor.id);
  sample.name = sensor.name;
  sample.type = sensor.type;
  sample.reading = sensor.reading;
  sample.severity = FreeipmiSeverity(sensor.state);
  sample.kind = KindOfUnit(kFreeipmiUnits, sensor.unit);
  if (sensor.unit == "%" && sensor.type == "Fan") sample.kind = IpmiSensorKind::kFanSpeedRatio;
  return sample;
}

// The sensors of a table and what the table skipped, converted.
struct ReadSensors {
  std::vector<IpmiSensorSample> samples;
  size_t skipped_lines = 0;
};

ReadSensors ReadIpmitool(std::string_view output) {
  IpmitoolSensorTable table = ParseIpmitoolSensor(output);
  ReadSensors read{{}, table.skipped_lines.size()};
  for (const IpmiSensor& sensor : table.sensors) read.samples.push_back(FromIpmitool(sensor));
  return read;
}

ReadSensors ReadFreeipmi(std::string_view output) {
  IpmimonitoringTable table = ParseIpmimonitoring(output);
  ReadSensors read{{}, table.skipped_lines.size()};
  for (const FreeipmiSensor& sensor : table.sensors) read.samples.push_back(FromFreeipmi(sensor));
  return read;
}

const std::vector<std::string> kIpmimonitoringFlags = {
    "--quiet-cache",        "--ignore-unrecognized-events", "--comma-separated-output", "--no-header-output",
    "--sdr-cache-recreate", "--output-event-bitmask",       "--output-sensor-state"};

// ipmi_exporter's flags, and where the SDR cache goes when the option says (FreeIPMI's default is ~/.freeipmi,
// which a sandboxed service cannot write).
std::vector<std::string> IpmimonitoringArguments(const CollectorContext& context) {
  std::vector<std::string> arguments = kIpmimonitoringFlags;
  const std::string& cache = context.Option("sdr-cache-directory");
  if (!cache.empty()) arguments.push_back("--sdr-cache-directory=" + cache);
  return arguments;
}

class IpmiCollector : public Collector {
 public:
  explicit IpmiCollector(const CollectorContext& context)
      : log_(context.log), command_(context, {"sensor"}, IpmimonitoringArguments(context)) {}

  // A failed run throws: the family cache then keeps the last good sensors until max-staleness and reports the
  // failure (hw_exporter_collector_success 0, the reason in /cache/stats and the log).
  Families Collect() override {
    ProcessResult result = command_.Run();
    const bool freeipmi = command_.backend() == IpmiBackend::kFreeipmi;
    ReadSensors read = freeipmi ? ReadFreeipmi(result.output) : ReadIpmitool(result.output);
    if (read.samples.empty()) throw std::runtime_error(command_.DescribeExit(result) + "; no sensor table");
    if (result.exit_status != 0 || read.skipped_lines != 0) {
      log_.Warn("the IPMI tool failed or printed lines it could not read; the sensors it printed are kept",
                {{"program", command_.argv().front()},
                 {"exit_status", std::to_string(result.exit_status)},
                 {"sensors", std::to_string(read.samples.size())},
                 {"skipped_lines", std::to_string(read.skipped_lines)},
                 {"output_truncated", result.truncated ? "true" : "false"}});
    }
    FamilySet families;
    WriteIpmiSensors(families, read.samples, log_);
    WriteIpmiUp(families, "ipmi");
    return families.Take();
  }

 private:
  log::Logger log_;
  IpmiCommand command_;
};

}  // namespace

std::unique_ptr<Collector> MakeIpmiCollector(const CollectorContext& context) {
  return std::make_unique<IpmiCollector>(context);
}

}  // namespace hw_exporter

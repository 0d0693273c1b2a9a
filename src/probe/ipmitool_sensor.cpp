#include "hw_exporter/probe/ipmitool_sensor.h"

#include "hw_exporter/core/strings.h"

namespace hw_exporter {

namespace {

constexpr size_t kRequiredColumns = 4;  // name, reading, unit, status

struct Reading {
  std::optional<double> value;
  bool discrete = false;
};

// nullopt when the text is neither "na", a hexadecimal state nor a decimal number.
std::optional<Reading> ParseReading(std::string_view text) {
  if (text == "na") return Reading{};
  if (StartsWith(text, "0x")) {
    auto state = ParseUnsigned(text.substr(2), 16);
    if (!state) return std::nullopt;
    return Reading{static_cast<double>(*state), true};
  }
  auto value = ParseDouble(text);
  if (!value) return std::nullopt;
  return Reading{*value, false};
}

std::optional<double> ParseThreshold(const std::vector<std::string_view>& columns, size_t index) {
  return index < columns.size() ? ParseDouble(columns[index]) : std::nullopt;  // "na" is no number
}

std::optional<IpmiSensor> ParseRow(std::string_view line) {
  std::vector<std::string_view> columns = Split(line, '|');
  if (columns.size() < kRequiredColumns) return std::nullopt;
  for (std::string_view& column : columns) column = Trim(column);
  if (columns[0].empty()) return std::nullopt;
  std::optional<Reading> reading = ParseReading(columns[1]);
  if (!reading) return std::nullopt;

  IpmiSensor sensor;
  sensor.name = columns[0];
  sensor.reading = reading->value;
  sensor.unit = columns[2];
  sensor.discrete = reading->discrete || sensor.unit == "discrete";
  sensor.status = columns[3];
  IpmiThresholds& limits = sensor.thresholds;
  limits.lower_non_recoverable = ParseThreshold(columns, 4);
  limits.lower_critical = ParseThreshold(columns, 5);
  limits.lower_non_critical = ParseThreshold(columns, 6);
  limits.upper_non_critical = ParseThreshold(columns, 7);
  limits.upper_critical = ParseThreshold(columns, 8);
  limits.upper_non_recoverable = ParseThreshold(columns, 9);
  return sensor;
}

}  // namespace

IpmitoolSensorTable ParseIpmitoolSensor(std::string_view text) {
  IpmitoolSensorTable table;
  const std::vector<std::string_view> lines = SplitLines(text);
  // ipmitool ends every row with a newline; a last row without one was cut short and may hold a cut number.
  const bool last_cut_short = !text.empty() && text.back() != '\n';
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (Trim(line).empty()) continue;
    const bool complete = !(last_cut_short && i + 1 == lines.size());
    std::optional<IpmiSensor> sensor = complete ? ParseRow(line) : std::nullopt;
    if (sensor) {
      table.sensors.push_back(std::move(*sensor));
    } else {
      table.skipped_lines.emplace_back(line);
    }
  }
  return table;
}

std::optional<int> IpmiSeverity(std::string_view status) {
  // ipmitool prints "nc"/"cr"/"nr", or with extended output "lnc"/"ucr"/... naming the threshold crossed.
  if (status == "ok") return 0;
  if (EndsWith(status, "nc")) return 1;
  if (EndsWith(status, "cr") || EndsWith(status, "nr")) return 2;
  return std::nullopt;
}

}  // namespace hw_exporter

#include "hw_exporter/probe/ipmimonitoring.h"

#include "hw_exporter/core/strings.h"

namespace hw_exporter {

namespace {

constexpr size_t kFields = 7;  // ID, Name, Type, State, Reading, Units, Event

// The sensor of one line, or the reason it is none.
struct RowResult {
  std::optional<FreeipmiSensor> sensor;
  std::string reason;
};

RowResult Fail(std::string reason) { return {std::nullopt, std::move(reason)}; }

RowResult ParseRow(std::string_view line) {
  // FreeIPMI does not quote its fields: a name with a comma shows as a field too many and the line is skipped,
  // rather than guessing which comma belongs to the name.
  std::vector<std::string_view> fields = Split(line, ',');
  if (fields.size() != kFields) {
    return Fail("expected " + std::to_string(kFields) + " comma-separated fields, got " +
                std::to_string(fields.size()));
  }
  auto id = ParseUnsigned(fields[0]);
  if (!id) return Fail("the record id \"" + std::string(fields[0]) + "\" is not a number");
  FreeipmiSensor sensor;
  sensor.id = *id;
  sensor.name = fields[1];
  sensor.type = fields[2];
  sensor.state = fields[3];
  if (fields[4] != "N/A") {
    sensor.reading = ParseDouble(fields[4]);
    if (!sensor.reading) return Fail("the reading \"" + std::string(fields[4]) + "\" is not a number");
  }
  sensor.unit = fields[5];
  std::string_view event = fields[6];
  if (event.size() >= 2 && event.front() == '\'' && event.back() == '\'') event = event.substr(1, event.size() - 2);
  sensor.event = event;
  return {std::move(sensor), {}};
}

}  // namespace

IpmimonitoringTable ParseIpmimonitoring(std::string_view text) {
  IpmimonitoringTable table;
  const std::vector<std::string_view> lines = SplitLines(text);
  // ipmimonitoring ends every line with a newline; a last line without one was cut short and may hold a cut
  // number.
  const bool last_cut_short = !text.empty() && text.back() != '\n';
  for (size_t i = 0; i < lines.size(); ++i) {
    if (Trim(lines[i]).empty()) continue;
    RowResult row = last_cut_short && i + 1 == lines.size() ? Fail("cut short (no newline at the end)")
                                                            : ParseRow(lines[i]);
    if (row.sensor) {
      table.sensors.push_back(std::move(*row.sensor));
    } else {
      table.skipped_lines.push_back("line " + std::to_string(i + 1) + ": " + row.reason);
    }
  }
  return table;
}

std::optional<int> FreeipmiSeverity(std::string_view state) {
  if (state == "Nominal") return 0;
  if (state == "Warning") return 1;
  if (state == "Critical") return 2;
  return std::nullopt;
}

}  // namespace hw_exporter

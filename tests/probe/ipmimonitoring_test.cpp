#include "hw_exporter/probe/ipmimonitoring.h"

#include <gtest/gtest.h>

#include "hw_exporter/core/fs.h"
#include "support/test_support.h"

namespace hw_exporter {
namespace {

std::optional<IpmimonitoringTable> Shared(const std::string& name) {
  std::string path = testing::SharedFixture("ipmi/" + name);
  if (path.empty() || !PathExists(path)) return std::nullopt;
  return ParseIpmimonitoring(ReadFile(path));
}

IpmimonitoringTable Own(const std::string& name) {
  return ParseIpmimonitoring(ReadFile(testing::Fixture("probe_freeipmi/" + name)));
}

const FreeipmiSensor& Sensor(const IpmimonitoringTable& table, std::uint64_t id) {
  for (const auto& sensor : table.sensors)
    if (sensor.id == id) return sensor;
  throw std::out_of_range("no sensor " + std::to_string(id));
}

TEST(Ipmimonitoring, ExporterFlagsWithEventBitmask) {
  auto table = Shared(
      "ipmimonitoring_csv_output-event-bitmask_exporter-flags__huawei-ibmc-inferred_part1__ipmi_exporter-issue95.txt");
  if (!table) GTEST_SKIP() << "shared IPMI captures absent";
  ASSERT_EQ(table->sensors.size(), 23u);
  const FreeipmiSensor& inlet = table->sensors.front();
  EXPECT_EQ(inlet.id, 1u);
  EXPECT_EQ(inlet.name, "Inlet Temp");
  EXPECT_EQ(inlet.type, "Temperature");
  EXPECT_EQ(inlet.state, "Nominal");
  EXPECT_EQ(inlet.reading, 27.0);
  EXPECT_EQ(inlet.unit, "C");
  EXPECT_EQ(inlet.event, "00C0h");
  EXPECT_EQ(Sensor(*table, 6).reading, -60.0);
  EXPECT_EQ(Sensor(*table, 6).unit, "unspecified");
  EXPECT_EQ(Sensor(*table, 14).name, "SYS 12V_1");
  EXPECT_EQ(Sensor(*table, 14).reading, 12.18);
  EXPECT_EQ(Sensor(*table, 14).unit, "V");
  EXPECT_EQ(Sensor(*table, 23).name, "FAN4 Speed");
  EXPECT_EQ(Sensor(*table, 23).type, "Fan");
  EXPECT_EQ(Sensor(*table, 23).reading, 5760.0);
  EXPECT_EQ(Sensor(*table, 23).unit, "RPM");
}

TEST(Ipmimonitoring, DiscreteSensorsHaveNoReading) {
  auto table = Shared(
      "ipmimonitoring_csv_output-event-bitmask_exporter-flags__huawei-ibmc-inferred_part2-discrete__ipmi_exporter-"
      "issue95.txt");
  if (!table) GTEST_SKIP() << "shared IPMI captures absent";
  ASSERT_EQ(table->sensors.size(), 26u);
  const FreeipmiSensor& cpu = Sensor(*table, 118);
  EXPECT_EQ(cpu.name, "CPU Usage");
  EXPECT_EQ(cpu.state, "N/A");
  EXPECT_FALSE(cpu.reading.has_value());
  EXPECT_EQ(cpu.unit, "N/A");
  EXPECT_EQ(cpu.event, "0000h");
  EXPECT_EQ(Sensor(*table, 126).type, "Event Logging Disabled");
  const FreeipmiSensor& link = Sensor(*table, 143);
  EXPECT_EQ(link.name, "Port1 Link Down");
  EXPECT_EQ(link.state, "Warning");
  EXPECT_EQ(FreeipmiSeverity(link.state), 1);
  EXPECT_EQ(link.event, "0100h");
}

TEST(Ipmimonitoring, EventStringsLoseTheirOuterQuotes) {
  auto table = Shared(
      "ipmimonitoring_csv_output-sensor-state_single-line-multi-event__supermicro-h8dgu-old-bmc__ipmi_exporter-"
      "issue30.txt");
  if (!table) GTEST_SKIP() << "shared IPMI captures absent";
  ASSERT_EQ(table->sensors.size(), 1u);
  EXPECT_EQ(table->sensors[0].id, 1813u);
  EXPECT_EQ(table->sensors[0].type, "Power Supply");
  EXPECT_EQ(table->sensors[0].event.substr(0, 38), "Presence detected' 'Unrecognized Event");
  auto power = Shared("ipmimonitoring_csv_event-strings__huawei-ibmc-inferred_part1__ipmi_exporter-issue108.txt");
  ASSERT_TRUE(power);
  EXPECT_EQ(Sensor(*power, 7).name, "Power");
  EXPECT_EQ(Sensor(*power, 7).reading, 294.0);
  EXPECT_EQ(Sensor(*power, 7).unit, "W");
  EXPECT_EQ(Sensor(*power, 7).event, "OK");
  EXPECT_EQ(Sensor(*power, 19).unit, "A");
  EXPECT_EQ(Sensor(*power, 19).reading, 0.6);
}

TEST(Ipmimonitoring, EveryStateAndKind) {
  IpmimonitoringTable table = Own("ipmimonitoring_kinds.txt");
  ASSERT_EQ(table.sensors.size(), 16u);
  EXPECT_TRUE(table.skipped_lines.empty());
  EXPECT_EQ(FreeipmiSeverity(Sensor(table, 4).state), 0);
  EXPECT_EQ(FreeipmiSeverity(Sensor(table, 5).state), 1);
  EXPECT_EQ(FreeipmiSeverity(Sensor(table, 6).state), 2);
  EXPECT_EQ(FreeipmiSeverity(Sensor(table, 22).state), std::nullopt);
  EXPECT_EQ(FreeipmiSeverity("nominal"), std::nullopt);
  EXPECT_EQ(Sensor(table, 23).unit, "%");
}

TEST(Ipmimonitoring, MalformedLinesAreSkippedWithTheirReason) {
  IpmimonitoringTable table = Own("ipmimonitoring_malformed.txt");
  ASSERT_EQ(table.sensors.size(), 2u);
  EXPECT_EQ(table.sensors[0].name, "CPU1 Temp");
  EXPECT_EQ(table.sensors[1].name, "PS Status");
  EXPECT_EQ(table.sensors[1].event, "Presence detected");
  EXPECT_EQ(table.skipped_lines,
            (std::vector<std::string>{
                "line 1: expected 7 comma-separated fields, got 1", "line 3: expected 7 comma-separated fields, got 6",
                "line 4: the record id \"x7\" is not a number", "line 5: the reading \"3O.00\" is not a number",
                "line 6: expected 7 comma-separated fields, got 8", "line 7: the record id \"\" is not a number"}));
}

TEST(Ipmimonitoring, LastLineCutShortIsNotRead) {
  IpmimonitoringTable table = ParseIpmimonitoring("1,Inlet Temp,Temperature,Nominal,27.00,C,00C0h\n2,Outlet,Tem");
  ASSERT_EQ(table.sensors.size(), 1u);
  EXPECT_EQ(table.skipped_lines, std::vector<std::string>{"line 2: cut short (no newline at the end)"});
  EXPECT_TRUE(ParseIpmimonitoring("").sensors.empty());
  EXPECT_TRUE(ParseIpmimonitoring("\n\n").skipped_lines.empty());
}

}  // namespace
}  // namespace hw_exporter

#include "hw_exporter/probe/ipmitool_sensor.h"

#include <gtest/gtest.h>

#include "hw_exporter/core/fs.h"
#include "support/test_support.h"

namespace hw_exporter {
namespace {

std::optional<IpmitoolSensorTable> Shared(const std::string& name) {
  std::string path = testing::SharedFixture("ipmitool/" + name);
  if (path.empty() || !PathExists(path)) return std::nullopt;
  return ParseIpmitoolSensor(ReadFile(path));
}

IpmitoolSensorTable Own(const std::string& name) {
  return ParseIpmitoolSensor(ReadFile(testing::Fixture("probe_ipmitool/" + name)));
}

const IpmiSensor& Sensor(const IpmitoolSensorTable& table, const std::string& name) {
  for (const auto& sensor : table.sensors)
    if (sensor.name == name) return sensor;
  throw std::out_of_range("no sensor " + name);
}

TEST(IpmitoolSensor, HpeProliantTable) {
  auto table = Shared("hpe-proliant-sensor.txt");
  if (!table) GTEST_SKIP() << "shared ipmitool captures absent";
  EXPECT_EQ(table->sensors.size(), 44u);
  EXPECT_TRUE(table->skipped_lines.empty());

  const IpmiSensor& inlet = Sensor(*table, "01-Inlet Ambient");
  EXPECT_EQ(inlet.reading, 32.0);
  EXPECT_EQ(inlet.unit, "degrees C");
  EXPECT_EQ(inlet.status, "ok");
  EXPECT_FALSE(inlet.discrete);
  EXPECT_FALSE(inlet.thresholds.upper_non_critical.has_value());
  EXPECT_EQ(inlet.thresholds.upper_critical, 62.0);
  EXPECT_EQ(inlet.thresholds.upper_non_recoverable, 66.0);
  EXPECT_FALSE(inlet.thresholds.lower_critical.has_value());

  const IpmiSensor& uid = Sensor(*table, "UID");
  EXPECT_TRUE(uid.discrete);
  EXPECT_EQ(uid.reading, 0.0);
  EXPECT_EQ(uid.unit, "discrete");
  EXPECT_EQ(uid.status, "0x0180");

  const IpmiSensor& absent = Sensor(*table, "04-P1 PMM 1-6");
  EXPECT_FALSE(absent.reading.has_value());
  EXPECT_EQ(absent.unit, "");
  EXPECT_EQ(absent.status, "na");
  EXPECT_EQ(absent.thresholds.upper_critical, 82.0);

  const IpmiSensor& megacell = Sensor(*table, "Megacell Status");
  EXPECT_TRUE(megacell.discrete);
  EXPECT_FALSE(megacell.reading.has_value());

  EXPECT_EQ(Sensor(*table, "Fan 1 DutyCycle").reading, 17.64);
  EXPECT_EQ(Sensor(*table, "Fan 1 DutyCycle").unit, "percent");
  EXPECT_EQ(Sensor(*table, "PS 2 Input").reading, 2550.0);
  EXPECT_EQ(Sensor(*table, "PS 2 Input").unit, "Watts");
  EXPECT_EQ(Sensor(*table, "PS_Curr_In_01").reading, 0.3);
  EXPECT_EQ(Sensor(*table, "PS_Curr_In_01").unit, "Amps");
  EXPECT_EQ(Sensor(*table, "PS_Volt_In_01").reading, 211.0);
  EXPECT_EQ(Sensor(*table, "CPU Utilization").unit, "unspecified");

  const IpmiSensor& sfp = Sensor(*table, "15.2-PCI 1-SFP28");
  EXPECT_EQ(sfp.reading, 41.0);
  EXPECT_EQ(sfp.thresholds.upper_non_critical, 73.0);
  EXPECT_EQ(sfp.thresholds.upper_critical, 78.0);
  EXPECT_EQ(sfp.thresholds.upper_non_recoverable, 0.0);
  EXPECT_EQ(table->sensors.back().name, "CPU_Stat_C1");
  EXPECT_EQ(table->sensors.back().status, "0x8080");
}

TEST(IpmitoolSensor, SupermicroTable) {
  auto table = Shared("supermicro-sensor.txt");
  if (!table) GTEST_SKIP() << "shared ipmitool captures absent";
  EXPECT_EQ(table->sensors.size(), 25u);
  EXPECT_TRUE(table->skipped_lines.empty());

  const IpmiSensor& cpu2 = Sensor(*table, "CPU2 Temp");
  EXPECT_EQ(cpu2.reading, 33.0);
  EXPECT_EQ(cpu2.status, "nr");
  EXPECT_EQ(IpmiSeverity(cpu2.status), 2);
  EXPECT_EQ(cpu2.thresholds.lower_non_recoverable, 10.0);
  EXPECT_EQ(cpu2.thresholds.upper_non_recoverable, 30.0);

  const IpmiSensor& system = Sensor(*table, "System Temp");
  EXPECT_EQ(system.thresholds.lower_non_recoverable, -10.0);
  EXPECT_EQ(system.thresholds.lower_critical, -5.0);
  EXPECT_EQ(system.thresholds.lower_non_critical, 0.0);
  EXPECT_EQ(system.thresholds.upper_non_critical, 80.0);
  EXPECT_EQ(system.thresholds.upper_critical, 85.0);
  EXPECT_EQ(system.thresholds.upper_non_recoverable, 90.0);

  const IpmiSensor& fan = Sensor(*table, "FAN1");
  EXPECT_EQ(fan.reading, 4400.0);
  EXPECT_EQ(fan.unit, "RPM");
  EXPECT_EQ(fan.thresholds.upper_non_recoverable, 25500.0);
  EXPECT_FALSE(Sensor(*table, "FAN4").reading.has_value());

  EXPECT_EQ(Sensor(*table, "12V").reading, 12.315);
  EXPECT_EQ(Sensor(*table, "12V").unit, "Volts");
  EXPECT_EQ(Sensor(*table, "PS1 Status").reading, 1.0);
  EXPECT_TRUE(Sensor(*table, "PS1 Status").discrete);
  const IpmiSensor& hdd = Sensor(*table, "HDD Status");
  EXPECT_EQ(hdd.status, "0x01ff");
  EXPECT_EQ(hdd.reading, 1.0);
}

TEST(IpmitoolSensor, SeverityOfEveryStatus) {
  IpmitoolSensorTable table = Own("statuses.txt");
  ASSERT_EQ(table.sensors.size(), 13u);
  EXPECT_EQ(IpmiSeverity(Sensor(table, "Inlet Temp").status), 0);
  EXPECT_EQ(IpmiSeverity(Sensor(table, "CPU1 Temp").status), 1);
  EXPECT_EQ(IpmiSeverity(Sensor(table, "CPU2 Temp").status), 2);
  EXPECT_EQ(IpmiSeverity(Sensor(table, "VRM Temp").status), 2);
  EXPECT_EQ(IpmiSeverity(Sensor(table, "Fan3").status), 2);             // lcr
  EXPECT_EQ(IpmiSeverity(Sensor(table, "Vbat").status), 1);             // unc
  EXPECT_EQ(IpmiSeverity(Sensor(table, "Fan5").status), std::nullopt);  // ns
  EXPECT_EQ(IpmiSeverity("na"), std::nullopt);
  EXPECT_EQ(IpmiSeverity("0x0180"), std::nullopt);
  EXPECT_EQ(IpmiSeverity(""), std::nullopt);
}

TEST(IpmitoolSensor, MalformedLinesAreSkippedAndKept) {
  IpmitoolSensorTable table = Own("malformed.txt");
  ASSERT_EQ(table.sensors.size(), 3u);
  EXPECT_EQ(table.sensors[0].name, "Good Sensor");
  EXPECT_EQ(table.sensors[1].name, "Short Row");
  EXPECT_EQ(table.sensors[1].reading, 5.0);
  EXPECT_FALSE(table.sensors[1].thresholds.upper_critical.has_value());
  EXPECT_EQ(table.sensors[2].name, "Odd Threshold");
  EXPECT_FALSE(table.sensors[2].thresholds.lower_non_recoverable.has_value());
  EXPECT_EQ(table.sensors[2].thresholds.upper_non_recoverable, 6.0);
  // The error line, the rows of too few columns, the unreadable readings and the row without a name.
  ASSERT_EQ(table.skipped_lines.size(), 6u);
  EXPECT_EQ(table.skipped_lines[0], "Get Device ID command failed: 0xc1 Invalid command");
}

TEST(IpmitoolSensor, LastLineCutShortIsNotRead) {
  IpmitoolSensorTable table = Own("truncated.txt");
  ASSERT_EQ(table.sensors.size(), 1u);
  EXPECT_EQ(table.sensors[0].name, "FAN1");
  ASSERT_EQ(table.skipped_lines.size(), 1u);
  EXPECT_EQ(table.skipped_lines[0], "FAN2             | 43");
}

TEST(IpmitoolSensor, EmptyOutputHasNoSensors) {
  EXPECT_TRUE(ParseIpmitoolSensor("").sensors.empty());
  EXPECT_TRUE(ParseIpmitoolSensor("\n\n").skipped_lines.empty());
}

}  // namespace
}  // namespace hw_exporter

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>

#include "collectors/collector_harness.h"
#include "hw_exporter/core/fs.h"
#include "probe/process_hygiene.h"
#include "probe/stand_in.h"
#include "support/test_support.h"

namespace hw_exporter::testing {
namespace {

using namespace std::chrono_literals;

Labels Name(const std::string& name) { return {{"name", name}}; }
Labels Generic(const std::string& name, const std::string& type) { return {{"name", name}, {"type", type}}; }
Labels Id(const std::string& id, const std::string& name) { return {{"id", id}, {"name", name}}; }
Labels GenericId(const std::string& id, const std::string& name, const std::string& type) {
  return {{"id", id}, {"name", name}, {"type", type}};
}
const Labels kUp = {{"collector", "ipmi"}};

bool IsNaN(std::optional<double> value) { return value && std::isnan(*value); }

class IpmiCollectorTest : public ProcessHygieneTest {
 protected:
  // A stand-in ipmitool running the given shell text; its arguments are appended to <dir>/calls.
  std::unique_ptr<Collector> Make(const std::string& body, std::map<std::string, std::string> options = {}) {
    std::string program = WriteStandIn(dir_, "ipmitool",
                                       "echo \"$*\" >> " + Quoted(dir_.path() + "/calls") + "\n" + body);
    options.emplace("path", program);
    return harness_.Make("ipmi", options);
  }
  std::unique_ptr<Collector> Printing(const std::string& fixture) { return Make("cat " + Quoted(fixture) + "\n"); }
  // The same with backend freeipmi: a stand-in ipmimonitoring.
  std::unique_ptr<Collector> MakeFreeipmi(const std::string& body, std::map<std::string, std::string> options = {}) {
    std::string program = WriteStandIn(dir_, "ipmimonitoring",
                                       "echo \"$*\" >> " + Quoted(dir_.path() + "/calls") + "\n" + body);
    options.emplace("backend", "freeipmi");
    options.emplace("freeipmi-path", program);
    return harness_.Make("ipmi", options);
  }
  std::unique_ptr<Collector> FreeipmiPrinting(const std::string& fixture) {
    return MakeFreeipmi("cat " + Quoted(fixture) + "\n");
  }

  TempDir dir_;
  CollectorHarness harness_{dir_.path()};
};

TEST_F(IpmiCollectorTest, SupermicroSensorsUnderIpmiExporterNames) {
  std::string fixture = SharedFixture("ipmitool/supermicro-sensor.txt");
  if (fixture.empty() || !PathExists(fixture)) GTEST_SKIP() << "shared ipmitool captures absent";
  Families families = Printing(fixture)->Collect();

  EXPECT_EQ(SampleValue(families, "ipmi_up", kUp), 1);
  EXPECT_EQ(SampleValue(families, "ipmi_temperature_celsius", Name("CPU1 Temp")), 29);
  EXPECT_EQ(SampleValue(families, "ipmi_temperature_state", Name("CPU1 Temp")), 0);
  EXPECT_EQ(SampleValue(families, "ipmi_temperature_state", Name("CPU2 Temp")), 2);  // nr
  EXPECT_EQ(SeriesCount(families, "ipmi_temperature_celsius"), 10u);
  EXPECT_EQ(SampleValue(families, "ipmi_fan_speed_rpm", Name("FAN1")), 4400);
  EXPECT_EQ(SampleValue(families, "ipmi_fan_speed_state", Name("FAN1")), 0);
  EXPECT_EQ(SampleValue(families, "ipmi_voltage_volts", Name("12V")), 12.315);
  EXPECT_EQ(SampleValue(families, "ipmi_voltage_volts", Name("VBAT")), 3.104);
  EXPECT_EQ(SampleValue(families, "ipmi_sensor_value", Generic("PS1 Status", "discrete")), 1);
  EXPECT_TRUE(IsNaN(SampleValue(families, "ipmi_sensor_state", Generic("PS1 Status", "discrete"))));
  // No reading: no unit either, so a generic sensor with NaN value and state, as ipmi_exporter keeps them.
  EXPECT_TRUE(IsNaN(SampleValue(families, "ipmi_sensor_value", Generic("FAN4", ""))));
  EXPECT_TRUE(IsNaN(SampleValue(families, "ipmi_sensor_state", Generic("FAN4", ""))));
  EXPECT_EQ(FindFamily(families, "ipmi_temperature_celsius")->type, prometheus::MetricType::Gauge);
}

TEST_F(IpmiCollectorTest, HpeProliantPercentFansAndPower) {
  std::string fixture = SharedFixture("ipmitool/hpe-proliant-sensor.txt");
  if (fixture.empty() || !PathExists(fixture)) GTEST_SKIP() << "shared ipmitool captures absent";
  Families families = Printing(fixture)->Collect();

  EXPECT_EQ(SampleValue(families, "ipmi_fan_speed_ratio", Name("Fan 1 DutyCycle")), 0.1764);
  EXPECT_EQ(SampleValue(families, "ipmi_fan_speed_state", Name("Fan 1 DutyCycle")), 0);
  EXPECT_EQ(SampleValue(families, "ipmi_power_watts", Name("PS 2 Input")), 2550);
  EXPECT_EQ(SampleValue(families, "ipmi_power_watts", Name("Power Meter")), 130);
  EXPECT_EQ(SampleValue(families, "ipmi_current_amperes", Name("PS_Curr_In_01")), 0.3);
  EXPECT_EQ(SampleValue(families, "ipmi_voltage_volts", Name("PS_Volt_In_01")), 211);
  EXPECT_EQ(SampleValue(families, "ipmi_temperature_celsius", Name("01-Inlet Ambient")), 32);
  EXPECT_EQ(SampleValue(families, "ipmi_sensor_value", Generic("CPU Utilization", "unspecified")), 7);
  EXPECT_EQ(SampleValue(families, "ipmi_sensor_value", Generic("Memory Status", "discrete")), 0);
  EXPECT_TRUE(IsNaN(SampleValue(families, "ipmi_sensor_value", Generic("Intrusion", "discrete"))));
}

TEST_F(IpmiCollectorTest, EveryKindAndStatus) {
  Families families = Printing(Fixture("probe_ipmitool/statuses.txt"))->Collect();
  EXPECT_EQ(SampleValue(families, "ipmi_up", kUp), 1);
  EXPECT_EQ(SampleValue(families, "ipmi_temperature_state", Name("CPU1 Temp")), 1);
  EXPECT_EQ(SampleValue(families, "ipmi_temperature_state", Name("CPU2 Temp")), 2);
  EXPECT_EQ(SampleValue(families, "ipmi_temperature_state", Name("VRM Temp")), 2);
  EXPECT_EQ(SampleValue(families, "ipmi_fan_speed_state", Name("Fan3")), 2);
  EXPECT_TRUE(IsNaN(SampleValue(families, "ipmi_fan_speed_rpm", Name("Fan5"))));
  EXPECT_TRUE(IsNaN(SampleValue(families, "ipmi_fan_speed_state", Name("Fan5"))));
  EXPECT_EQ(SampleValue(families, "ipmi_current_amperes", Name("PSU1 Current")), 1.25);
  EXPECT_EQ(SampleValue(families, "ipmi_power_watts", Name("PSU1 Power")), 140);
  EXPECT_EQ(SampleValue(families, "ipmi_voltage_state", Name("Vbat")), 1);
  EXPECT_EQ(SampleValue(families, "ipmi_fan_speed_ratio", Name("Fan Duty")), 0.35);
  EXPECT_EQ(SampleValue(families, "ipmi_sensor_value", Generic("Airflow", "CFM")), 12);
  EXPECT_EQ(SampleValue(families, "ipmi_sensor_state", Generic("Airflow", "CFM")), 0);
  // Two sensors named alike would be one series twice: the first is kept.
  EXPECT_EQ(SampleValue(families, "ipmi_temperature_celsius", Name("Inlet Temp")), 24);
  EXPECT_EQ(SeriesCount(families, "ipmi_temperature_celsius"), 4u);
}

TEST_F(IpmiCollectorTest, ExtraArgumentsAreSplitWithoutAShell) {
  auto collector = Make("cat " + Quoted(Fixture("probe_ipmitool/statuses.txt")) + "\n",
                        {{"args", "-I open   -U 'a b' $X"}});
  collector->Collect();
  EXPECT_EQ(ReadFile(dir_.path() + "/calls"), "-I open -U 'a b' $X sensor\n");
}

// A failure throws, so that the family cache keeps the last good sensors and reports why.
void ExpectFailure(Collector& collector, const std::string& reason) {
  try {
    collector.Collect();
    ADD_FAILURE() << "expected a failure: " << reason;
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find(reason), std::string::npos) << error.what();
  }
}

TEST_F(IpmiCollectorTest, FailureThrowsWithTheReason) {
  ExpectFailure(*Make("echo 'Could not open device at /dev/ipmi0' >&2\nexit 1\n"), "Could not open device");
}

TEST_F(IpmiCollectorTest, GarbageThrows) {
  ExpectFailure(*Printing(Fixture("probe_smartctl/garbage.txt")), "no sensor table");
}

TEST_F(IpmiCollectorTest, MissingProgramThrows) {
  ExpectFailure(*harness_.Make("ipmi", {{"path", dir_.path() + "/absent"}}), "absent");
}

TEST_F(IpmiCollectorTest, HangingIpmitoolIsKilledAtItsTimeout) {
  auto collector = Make("sleep 1000 &\nwait\n", {{"command-timeout", "300ms"}});
  auto start = std::chrono::steady_clock::now();
  ExpectFailure(*collector, "");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST_F(IpmiCollectorTest, PartialOutputStillCounts) {
  // Sensors read before ipmitool failed, and a last line cut short.
  Families families = Make("cat " + Quoted(Fixture("probe_ipmitool/truncated.txt")) + "\nexit 1\n")->Collect();
  EXPECT_EQ(SampleValue(families, "ipmi_up", kUp), 1);
  EXPECT_EQ(SampleValue(families, "ipmi_fan_speed_rpm", Name("FAN1")), 4400);
  EXPECT_FALSE(SampleValue(families, "ipmi_fan_speed_rpm", Name("FAN2")));
}

TEST_F(IpmiCollectorTest, FreeipmiSensorsCarryTheirRecordId) {
  std::string fixture = SharedFixture(
      "ipmi/ipmimonitoring_csv_output-event-bitmask_exporter-flags__huawei-ibmc-inferred_part1__ipmi_exporter-"
      "issue95.txt");
  if (fixture.empty() || !PathExists(fixture)) GTEST_SKIP() << "shared IPMI captures absent";
  Families families = FreeipmiPrinting(fixture)->Collect();
  EXPECT_EQ(SampleValue(families, "ipmi_up", kUp), 1);
  EXPECT_EQ(SampleValue(families, "ipmi_temperature_celsius", Id("1", "Inlet Temp")), 27);
  EXPECT_EQ(SampleValue(families, "ipmi_temperature_state", Id("1", "Inlet Temp")), 0);
  EXPECT_EQ(SampleValue(families, "ipmi_voltage_volts", Id("14", "SYS 12V_1")), 12.18);
  EXPECT_EQ(SampleValue(families, "ipmi_fan_speed_rpm", Id("23", "FAN4 Speed")), 5760);
  // "unspecified" units: a generic sensor with FreeIPMI's type.
  EXPECT_EQ(SampleValue(families, "ipmi_sensor_value", GenericId("6", "CPU1 DTS", "Temperature")), -60);
  EXPECT_EQ(SampleValue(families, "ipmi_sensor_state", GenericId("6", "CPU1 DTS", "Temperature")), 0);
  EXPECT_EQ(SeriesCount(families, "ipmi_temperature_celsius"), 7u);
  EXPECT_EQ(ReadFile(dir_.path() + "/calls"),
            "--quiet-cache --ignore-unrecognized-events --comma-separated-output --no-header-output "
            "--sdr-cache-recreate --output-event-bitmask --output-sensor-state\n");
}

TEST_F(IpmiCollectorTest, FreeipmiDiscreteSensors) {
  std::string fixture = SharedFixture(
      "ipmi/ipmimonitoring_csv_output-event-bitmask_exporter-flags__huawei-ibmc-inferred_part2-discrete__ipmi_"
      "exporter-issue95.txt");
  if (fixture.empty() || !PathExists(fixture)) GTEST_SKIP() << "shared IPMI captures absent";
  Families families = FreeipmiPrinting(fixture)->Collect();
  EXPECT_TRUE(IsNaN(SampleValue(families, "ipmi_sensor_value", GenericId("118", "CPU Usage", "Processor"))));
  EXPECT_TRUE(IsNaN(SampleValue(families, "ipmi_sensor_state", GenericId("118", "CPU Usage", "Processor"))));
  EXPECT_EQ(SampleValue(families, "ipmi_sensor_state", GenericId("122", "PS Redundancy", "Power Supply")), 0);
  EXPECT_EQ(SampleValue(families, "ipmi_sensor_state", GenericId("143", "Port1 Link Down", "Slot/Connector")), 1);
  EXPECT_EQ(SeriesCount(families, "ipmi_sensor_state"), 26u);
}

TEST_F(IpmiCollectorTest, FreeipmiEveryKindAndState) {
  Families families = FreeipmiPrinting(Fixture("probe_freeipmi/ipmimonitoring_kinds.txt"))->Collect();
  EXPECT_EQ(SampleValue(families, "ipmi_temperature_state", Id("5", "CPU2 Temp")), 1);
  EXPECT_EQ(SampleValue(families, "ipmi_temperature_state", Id("6", "VRM Temp")), 2);
  EXPECT_EQ(SampleValue(families, "ipmi_fan_speed_state", Id("21", "FAN2")), 2);
  // A fan without a reading has no unit: a generic sensor, as ipmi_exporter has it.
  EXPECT_TRUE(IsNaN(SampleValue(families, "ipmi_sensor_value", GenericId("22", "FAN3", "Fan"))));
  EXPECT_EQ(SampleValue(families, "ipmi_fan_speed_ratio", Id("23", "Fan Duty")), 0.35);
  EXPECT_EQ(SampleValue(families, "ipmi_sensor_value", GenericId("24", "CPU Usage", "Processor")), 7);
  EXPECT_EQ(SampleValue(families, "ipmi_current_amperes", Id("31", "PS1 IIn")), 0.6);
  EXPECT_EQ(SampleValue(families, "ipmi_power_watts", Id("32", "PS1 POut")), 133);
  EXPECT_EQ(SampleValue(families, "ipmi_sensor_value", GenericId("40", "Airflow", "Other Units Based Sensor")), 62);
  // Two sensors of one name, told apart by their record ids.
  EXPECT_EQ(SampleValue(families, "ipmi_temperature_celsius", Id("50", "Temp")), 30);
  EXPECT_EQ(SampleValue(families, "ipmi_temperature_celsius", Id("51", "Temp")), 31);
}

TEST_F(IpmiCollectorTest, FreeipmiArgumentsAndSdrCacheDirectory) {
  auto collector = MakeFreeipmi("cat " + Quoted(Fixture("probe_freeipmi/ipmimonitoring_kinds.txt")) + "\n",
                                {{"args", "-D openipmi"}, {"sdr-cache-directory", "/var/cache/hw_exporter"}});
  collector->Collect();
  EXPECT_EQ(ReadFile(dir_.path() + "/calls"),
            "--quiet-cache --ignore-unrecognized-events --comma-separated-output --no-header-output "
            "--sdr-cache-recreate --output-event-bitmask --output-sensor-state "
            "--sdr-cache-directory=/var/cache/hw_exporter -D openipmi\n");
}

TEST_F(IpmiCollectorTest, FreeipmiFailureThrowsWithTheReason) {
  ExpectFailure(*MakeFreeipmi("echo 'ipmi_ctx_open_inband: could not find inband device' >&2\nexit 1\n"),
                "ipmimonitoring exited with status 1: ipmi_ctx_open_inband: could not find inband device; no sensor "
                "table");
  ExpectFailure(*FreeipmiPrinting(Fixture("probe_ipmitool/statuses.txt")), "no sensor table");
}

TEST_F(IpmiCollectorTest, UnknownBackendIsAnOptionError) {
  try {
    harness_.Make("ipmi", {{"backend", "openipmi"}});
    ADD_FAILURE() << "expected an option error";
  } catch (const CollectorOptionError& error) {
    EXPECT_EQ(error.option(), "backend");
    EXPECT_STREQ(error.what(), "expected \"ipmitool\" or \"freeipmi\", got \"openipmi\"");
  }
}

TEST(IpmiCollectorTable, IsOffByDefault) {
  const CollectorInfo* info = FindCollector("ipmi");
  ASSERT_NE(info, nullptr);
  EXPECT_FALSE(info->enabled_by_default);
  EXPECT_EQ(info->default_ttl, 60s);
}

}  // namespace
}  // namespace hw_exporter::testing

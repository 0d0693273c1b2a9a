// The IPMI collectors in the running daemon with backend freeipmi, over stand-in FreeIPMI tools printing real
// captures: ipmi_exporter's families and labels, `id` included, in /metrics; the tools run with ipmi_exporter's
// flags; and a tool that starts failing keeps its collector's last good data, reported as a failure.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "hw_exporter/core/fs.h"
#include "probe/stand_in.h"
#include "support/daemon.h"
#include "support/exposition_parser.h"

namespace hw_exporter::testing {
namespace {

using namespace std::chrono_literals;

std::string Capture(const std::string& name) {
  std::string path = SharedFixture("ipmi/" + name);
  return path.empty() || !PathExists(path) ? "" : path;
}

// The value of the sample of that name and exactly those labels, or nullopt.
std::optional<double> Value(const ParsedExposition& exposition, const std::string& name, const SeriesLabels& labels) {
  for (const ParsedSample& sample : exposition.samples) {
    if (sample.name == name && sample.labels == labels) return sample.value;
  }
  return std::nullopt;
}

nlohmann::json Slot(Daemon& daemon, const std::string& collector) {
  nlohmann::json stats = nlohmann::json::parse(daemon.Get("/cache/stats").body);
  for (const auto& slot : stats["family_cache"]["collectors"]) {
    if (slot["name"] == collector) return slot;
  }
  return nullptr;
}

// The collector has data, and its last refresh succeeded or failed as asked.
bool HasData(Daemon& daemon, const std::string& collector, bool last_success) {
  nlohmann::json slot = Slot(daemon, collector);
  return slot.is_object() && slot["has_data"] == true && slot["last_success"] == last_success;
}

TEST(IpmiDaemon, FreeipmiBackendServesIpmiExportersSeries) {
  const std::string sensors = Capture(
      "ipmimonitoring_csv_output-event-bitmask_exporter-flags__huawei-ibmc-inferred_part1__ipmi_exporter-issue95.txt");
  const std::string discrete = Capture(
      "ipmimonitoring_csv_output-event-bitmask_exporter-flags__huawei-ibmc-inferred_part2-discrete__ipmi_exporter-"
      "issue95.txt");
  const std::string bmc = Capture("bmc-info__supermicro-excerpt-no-system-fw-version__ipmi_exporter-issue57.txt");
  const std::string chassis = Capture("ipmi-chassis_get-chassis-status__unknown__ipmi_exporter-issue144.txt");
  const std::string sel = Capture("ipmi-sel_info__quantagrid-q72d-2u__freeipmi-mirror-issue35.txt");
  if (sensors.empty()) GTEST_SKIP() << "shared IPMI captures absent";

  TempDir tools;
  const std::vector<std::pair<std::string, std::string>> collectors = {
      {"ipmi", WriteCaptureStandIn(tools, "ipmimonitoring", {sensors, discrete})},
      {"ipmi_bmc", WriteCaptureStandIn(tools, "bmc-info", {bmc})},
      {"ipmi_chassis", WriteCaptureStandIn(tools, "ipmi-chassis", {chassis})},
      {"ipmi_dcmi", WriteCaptureStandIn(tools, "ipmi-dcmi", {Fixture("probe_freeipmi/ipmi-dcmi_active.txt")})},
      // Fails from its second run on: the first SEL reading stays.
      {"ipmi_sel", WriteCaptureStandIn(tools, "ipmi-sel", {sel},
                                       "echo 'ipmi_ctx_open_inband: could not find inband device' >&2; exit 1")},
  };
  std::vector<std::string> names;
  for (const auto& [name, tool] : collectors) names.push_back(name);
  std::vector<std::string> arguments = FixtureArguments("host_a", names);
  for (const auto& [name, tool] : collectors) {
    arguments.push_back("--collector." + name + ".backend=freeipmi");
    arguments.push_back("--collector." + name + ".freeipmi-path=" + tool);
  }
  arguments.push_back("--collector.ipmi.sdr-cache-directory=" + tools.path());
  arguments.push_back("--collector.ipmi_sel.ttl=1s");
  Daemon daemon(arguments);
  ASSERT_TRUE(Eventually(
      [&] {
        for (const std::string& name : {"ipmi", "ipmi_bmc", "ipmi_chassis", "ipmi_dcmi"})
          if (!HasData(daemon, name, true)) return false;
        return true;
      },
      10s));
  ASSERT_TRUE(Eventually([&] { return HasData(daemon, "ipmi_sel", false); }, 10s))
      << "ipmi-sel fails from its second run on, and the first reading stays";

  const ParsedExposition metrics = ParseExposition(daemon.Get("/metrics").body);
  EXPECT_EQ(Value(metrics, "ipmi_temperature_celsius", {{"id", "1"}, {"name", "Inlet Temp"}}), 27);
  EXPECT_EQ(Value(metrics, "ipmi_temperature_state", {{"id", "1"}, {"name", "Inlet Temp"}}), 0);
  EXPECT_EQ(Value(metrics, "ipmi_fan_speed_rpm", {{"id", "20"}, {"name", "FAN1 Speed"}}), 5640);
  EXPECT_EQ(Value(metrics, "ipmi_voltage_volts", {{"id", "13"}, {"name", "SYS 5V"}}), 5.13);
  EXPECT_EQ(Value(metrics, "ipmi_sensor_value", {{"id", "8"}, {"name", "Cpu1 Margin"}, {"type", "Temperature"}}), -49);
  EXPECT_EQ(Value(metrics, "ipmi_sensor_state",
                  {{"id", "143"}, {"name", "Port1 Link Down"}, {"type", "Slot/Connector"}}),
            1);
  EXPECT_EQ(Value(metrics, "ipmi_bmc_info",
                  {{"bmc_url", "N/A"},
                   {"firmware_revision", "1.52"},
                   {"manufacturer_id", "Super Micro Computer Inc. (10876)"},
                   {"system_firmware_version", "N/A"}}),
            1);
  EXPECT_EQ(Value(metrics, "ipmi_chassis_power_state", {}), 1);
  EXPECT_EQ(Value(metrics, "ipmi_chassis_drive_fault_state", {}), 1);
  EXPECT_EQ(Value(metrics, "ipmi_chassis_cooling_fault_state", {}), 1);
  EXPECT_EQ(Value(metrics, "ipmi_dcmi_power_consumption_watts", {}), 72);
  EXPECT_EQ(Value(metrics, "ipmi_sel_logs_count", {}), 398) << "the last good SEL reading is kept";
  EXPECT_EQ(Value(metrics, "ipmi_sel_free_space_bytes", {}), 9198);
  EXPECT_EQ(Value(metrics, "hw_exporter_collector_success", {{"collector", "ipmi_sel"}}), 0);
  EXPECT_EQ(Value(metrics, "hw_exporter_collector_success", {{"collector", "ipmi"}}), 1);
  for (const char* collector : {"ipmi", "bmc", "chassis", "dcmi", "sel"}) {
    EXPECT_EQ(Value(metrics, "ipmi_up", {{"collector", collector}}), 1) << collector;
  }

  EXPECT_EQ(ReadFile(tools.path() + "/ipmimonitoring.calls").substr(0, 175),
            "--quiet-cache --ignore-unrecognized-events --comma-separated-output --no-header-output "
            "--sdr-cache-recreate --output-event-bitmask --output-sensor-state --sdr-cache-directory=");
  EXPECT_EQ(ReadFile(tools.path() + "/ipmi-chassis.calls").substr(0, 21), "--get-chassis-status\n");
  EXPECT_EQ(ReadFile(tools.path() + "/ipmi-dcmi.calls").substr(0, 30), "--get-system-power-statistics\n");
  EXPECT_EQ(ReadFile(tools.path() + "/ipmi-sel.calls"), "--info\n");
}

}  // namespace
}  // namespace hw_exporter::testing

// The real smartctl and ipmitool, where installed, run through the runner and read by the parsers: the command
// lines the collectors use must be accepted, and what the programs print must parse. No disk or BMC is needed.
#include <gtest/gtest.h>

#include <chrono>

#include "hw_exporter/core/fs.h"
#include "hw_exporter/probe/ipmitool_sensor.h"
#include "hw_exporter/probe/process_runner.h"
#include "hw_exporter/probe/smartctl_json.h"
#include "probe/process_hygiene.h"

namespace hw_exporter {
namespace {

using namespace std::chrono_literals;

class InstalledProbeTest : public testing::ProcessHygieneTest {
 protected:
  static void SkipUnlessInstalled(const std::string& path) {
    if (!PathExists(path)) GTEST_SKIP() << path << " is not installed";
  }
  ProcessRunner runner_{2};
};

TEST_F(InstalledProbeTest, SmartctlScanParses) {
  SkipUnlessInstalled("/usr/sbin/smartctl");
  ProcessResult result = runner_.Run({"smartctl", "--scan-open", "--json"}, 20s, 1 << 20);
  ASSERT_EQ(result.error, "");
  SmartctlScan scan = ParseSmartctlScan(result.output);
  ASSERT_TRUE(scan.version.has_value());
  EXPECT_EQ(scan.version->json_format_version, "1.0");
  EXPECT_FALSE(scan.version->smartctl_version.empty());
}

TEST_F(InstalledProbeTest, SmartctlOnAMissingDeviceReportsWhyInItsJson) {
  SkipUnlessInstalled("/usr/sbin/smartctl");
  ProcessResult result = runner_.Run({"smartctl", "--json", "--info", "--health", "--attributes",
                                      "--tolerance=verypermissive", "--nocheck=standby", "--format=brief",
                                      "--log=error", "--device=sat", "/dev/hw-exporter-no-such-disk"},
                                     20s, 1 << 20);
  ASSERT_EQ(result.error, "");
  EXPECT_NE(result.exit_status & kSmartctlFatalExitBits, 0);
  SmartctlReport report = ParseSmartctlReport(result.output);
  EXPECT_EQ(report.exit_status, result.exit_status);
  EXPECT_FALSE(report.low_power_mode.has_value());
  ASSERT_FALSE(report.error_messages.empty());
  EXPECT_NE(report.error_messages.front().find("/dev/hw-exporter-no-such-disk"), std::string::npos);
}

TEST_F(InstalledProbeTest, IpmitoolWithoutABmcPrintsNoSensorTable) {
  SkipUnlessInstalled("/usr/bin/ipmitool");
  if (PathExists("/dev/ipmi0")) GTEST_SKIP() << "this host has a BMC; its sensors vary";
  ProcessResult result = runner_.Run({"ipmitool", "sensor"}, 20s, 1 << 20);
  ASSERT_EQ(result.error, "");
  EXPECT_NE(result.exit_status, 0);
  EXPECT_TRUE(ParseIpmitoolSensor(result.output).sensors.empty());
  EXPECT_NE(result.error_output, "");
}

}  // namespace
}  // namespace hw_exporter

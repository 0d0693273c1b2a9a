// The real smartctl, ipmitool and FreeIPMI tools, where installed, run through the runner and read by the parsers:
// the command lines the collectors use must be accepted, and what the programs print must parse. No disk or BMC is
// needed: without a BMC, the IPMI tools must fail for that reason alone, not for a bad option.
#include <gtest/gtest.h>

#include <chrono>

#include "collectors/collector_harness.h"
#include "hw_exporter/core/fs.h"
#include "hw_exporter/probe/ipmitool_sensor.h"
#include "hw_exporter/probe/process_runner.h"
#include "hw_exporter/probe/smartctl_json.h"
#include "probe/process_hygiene.h"
#include "support/test_support.h"

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

// The IPMI collectors with the real tools, on a host without a BMC: each builds its exact command line, which the
// tool must accept, and fails only because there is no BMC to talk to.
class InstalledIpmiToolTest : public InstalledProbeTest {
 protected:
  void SetUp() override {
    InstalledProbeTest::SetUp();
    if (PathExists("/dev/ipmi0")) GTEST_SKIP() << "this host has a BMC; its answers vary";
  }
  std::string FailureOf(const std::string& collector, const std::string& backend,
                        std::map<std::string, std::string> options = {}) {
    options.emplace("backend", backend);
    return testing::CollectError(*harness_.Make(collector, options));
  }
  testing::TempDir dir_;
  testing::CollectorHarness harness_{dir_.path()};
};

const char* const kIpmiCollectors[] = {"ipmi", "ipmi_bmc", "ipmi_chassis", "ipmi_dcmi", "ipmi_sel"};

TEST_F(InstalledIpmiToolTest, FreeipmiAcceptsEveryCommandLineAndFailsForLackOfABmc) {
  for (const char* tool : {"/usr/sbin/ipmimonitoring", "/usr/sbin/bmc-info", "/usr/sbin/ipmi-chassis",
                           "/usr/sbin/ipmi-dcmi", "/usr/sbin/ipmi-sel"}) {
    SkipUnlessInstalled(tool);
  }
  for (const char* collector : kIpmiCollectors) {
    // With the SDR cache directory too, for ipmimonitoring: the option the hardened unit needs.
    std::map<std::string, std::string> options;
    if (std::string(collector) == "ipmi") options["sdr-cache-directory"] = dir_.path();
    const std::string error = FailureOf(collector, "freeipmi", options);
    EXPECT_NE(error.find("exited with status 1: "), std::string::npos) << collector << ": " << error;
    EXPECT_NE(error.find("could not find inband device"), std::string::npos) << collector << ": " << error;
  }
}

TEST_F(InstalledIpmiToolTest, FreeipmiRefusesABadOptionOtherwise) {
  // What the test above would see had a collector's command line an option the tool does not know.
  SkipUnlessInstalled("/usr/sbin/ipmi-sel");
  const std::string error = FailureOf("ipmi_sel", "freeipmi", {{"args", "--no-such-option"}});
  EXPECT_NE(error.find("exited with status 64: "), std::string::npos) << error;
  EXPECT_NE(error.find("unrecognized option"), std::string::npos) << error;
}

TEST_F(InstalledIpmiToolTest, IpmitoolFailsForLackOfABmc) {
  // ipmitool opens the device before it reads its subcommand, so without a BMC only that failure shows.
  SkipUnlessInstalled("/usr/bin/ipmitool");
  for (const char* collector : kIpmiCollectors) {
    const std::string error = FailureOf(collector, "ipmitool");
    EXPECT_NE(error.find("exited with status 1: Could not open device at /dev/ipmi0"), std::string::npos)
        << collector << ": " << error;
  }
}

}  // namespace
}  // namespace hw_exporter

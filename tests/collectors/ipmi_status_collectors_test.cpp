// The ipmi_bmc, ipmi_chassis, ipmi_dcmi and ipmi_sel collectors over stand-in tools printing real captures, with
// either backend: ipmi_exporter's families and values, the exact command lines, and failures that throw.
#include <gtest/gtest.h>

#include <chrono>

#include "collectors/collector_harness.h"
#include "hw_exporter/core/fs.h"
#include "probe/process_hygiene.h"
#include "probe/stand_in.h"
#include "support/test_support.h"

namespace hw_exporter::testing {
namespace {

using namespace std::chrono_literals;

class IpmiStatusCollectorTest : public ProcessHygieneTest {
 protected:
  // The collector with the backend's tool replaced by a stand-in printing the capture; its arguments are
  // appended to <dir>/calls.
  std::unique_ptr<Collector> Make(const std::string& collector, const std::string& backend, const std::string& body,
                                  std::map<std::string, std::string> options = {}) {
    std::string program = WriteStandIn(dir_, backend, "echo \"$*\" >> " + Quoted(dir_.path() + "/calls") + "\n" + body);
    options.emplace("backend", backend);
    options.emplace(backend == "freeipmi" ? "freeipmi-path" : "path", program);
    return harness_.Make(collector, options);
  }
  // Skips the test when the shared captures are absent.
  std::unique_ptr<Collector> Printing(const std::string& collector, const std::string& backend,
                                      const std::string& capture) {
    return Make(collector, backend, "cat " + Quoted(capture) + "\n");
  }
  std::string Calls() { return ReadFile(dir_.path() + "/calls"); }

  TempDir dir_;
  CollectorHarness harness_{dir_.path()};
};

std::string Capture(const std::string& name) {
  std::string path = SharedFixture("ipmi/" + name);
  return path.empty() || !PathExists(path) ? "" : path;
}

#define CAPTURE_OR_SKIP(var, name) \
  std::string var = Capture(name); \
  if (var.empty()) GTEST_SKIP() << "shared IPMI captures absent"

Labels Up(const std::string& collector) { return {{"collector", collector}}; }

TEST_F(IpmiStatusCollectorTest, BmcInfoFromFreeipmi) {
  CAPTURE_OR_SKIP(capture, "bmc-info__supermicro-excerpt-no-system-fw-version__ipmi_exporter-issue57.txt");
  Families families = Printing("ipmi_bmc", "freeipmi", capture)->Collect();
  EXPECT_EQ(SampleValue(families, "ipmi_bmc_info",
                        {{"firmware_revision", "1.52"},
                         {"manufacturer_id", "Super Micro Computer Inc. (10876)"},
                         {"system_firmware_version", "N/A"},
                         {"bmc_url", "N/A"}}),
            1);
  EXPECT_EQ(SampleValue(families, "ipmi_up", Up("bmc")), 1);
  EXPECT_EQ(Calls(), "\n");  // bmc-info without arguments, as ipmi_exporter runs it
}

TEST_F(IpmiStatusCollectorTest, BmcInfoFromIpmitool) {
  CAPTURE_OR_SKIP(capture, "ipmitool_bmc_info__supermicro__ipmi_exporter-issue197.txt");
  Families families = Printing("ipmi_bmc", "ipmitool", capture)->Collect();
  EXPECT_EQ(SampleValue(families, "ipmi_bmc_info",
                        {{"firmware_revision", "3.10"},
                         {"manufacturer_id", "Supermicro (10876)"},
                         {"system_firmware_version", "N/A"},
                         {"bmc_url", "N/A"}}),
            1);
  EXPECT_EQ(Calls(), "bmc info\n");
}

TEST_F(IpmiStatusCollectorTest, BmcInfoThatExitsNonZeroButPrintedItIsKept) {
  CAPTURE_OR_SKIP(capture, "bmc-info__supermicro-excerpt-no-system-fw-version__ipmi_exporter-issue57.txt");
  Families families = Make("ipmi_bmc", "freeipmi", "cat " + Quoted(capture) + "\nexit 1\n")->Collect();
  EXPECT_EQ(SampleValue(families, "ipmi_up", Up("bmc")), 1);
}

TEST_F(IpmiStatusCollectorTest, PartialBmcInfoFails) {
  CAPTURE_OR_SKIP(capture, "bmc-info__dell-idrac-partial-redacted-by-poster__ipmi_exporter-issue194.txt");
  EXPECT_EQ(CollectError(*Printing("ipmi_bmc", "freeipmi", capture)),
            dir_.path() + "/freeipmi exited with status 0; bmc-info: no \"Firmware Revision\" line");
}

TEST_F(IpmiStatusCollectorTest, ChassisFromBothBackends) {
  CAPTURE_OR_SKIP(freeipmi, "ipmi-chassis_get-chassis-status__unknown__ipmi_exporter-issue144.txt");
  Families on = Printing("ipmi_chassis", "freeipmi", freeipmi)->Collect();
  EXPECT_EQ(SampleValue(on, "ipmi_chassis_power_state"), 1);
  EXPECT_EQ(SampleValue(on, "ipmi_chassis_drive_fault_state"), 1);    // no fault
  EXPECT_EQ(SampleValue(on, "ipmi_chassis_cooling_fault_state"), 1);  // no fault
  EXPECT_EQ(SampleValue(on, "ipmi_up", Up("chassis")), 1);
  EXPECT_EQ(Calls(), "--get-chassis-status\n");

  CAPTURE_OR_SKIP(ipmitool, "ipmitool_chassis_status__unknown__manageiq-gems-pending.txt");
  Families off = Printing("ipmi_chassis", "ipmitool", ipmitool)->Collect();
  EXPECT_EQ(SampleValue(off, "ipmi_chassis_power_state"), 0);
  EXPECT_EQ(SampleValue(off, "ipmi_chassis_drive_fault_state"), 1);
  EXPECT_EQ(Calls(), "--get-chassis-status\nchassis status\n");
}

TEST_F(IpmiStatusCollectorTest, ChassisFaultsAreZero) {
  Families faults = Printing("ipmi_chassis", "freeipmi", Fixture("probe_freeipmi/ipmi-chassis_faults.txt"))->Collect();
  EXPECT_EQ(SampleValue(faults, "ipmi_chassis_power_state"), 0);
  EXPECT_EQ(SampleValue(faults, "ipmi_chassis_drive_fault_state"), 0);
  EXPECT_EQ(SampleValue(faults, "ipmi_chassis_cooling_fault_state"), 0);
}

TEST_F(IpmiStatusCollectorTest, DcmiPowerAndNoSampleWhenNotActive) {
  CAPTURE_OR_SKIP(reading, "ipmitool_dcmi_power_reading__unknown__rabe-zabbix-issue101.txt");
  Families active = Printing("ipmi_dcmi", "ipmitool", reading)->Collect();
  EXPECT_EQ(SampleValue(active, "ipmi_dcmi_power_consumption_watts"), 197);
  EXPECT_EQ(Calls(), "dcmi power reading\n");

  CAPTURE_OR_SKIP(deactivated,
                  "ipmitool_dcmi_power_reading__ibm-witherspoon-openbmc-deactivated__openbmc-issue3257.txt");
  Families none = Printing("ipmi_dcmi", "ipmitool", deactivated)->Collect();
  EXPECT_EQ(FindFamily(none, "ipmi_dcmi_power_consumption_watts"), nullptr);
  EXPECT_EQ(SampleValue(none, "ipmi_up", Up("dcmi")), 1);

  Families freeipmi = Printing("ipmi_dcmi", "freeipmi", Fixture("probe_freeipmi/ipmi-dcmi_active.txt"))->Collect();
  EXPECT_EQ(SampleValue(freeipmi, "ipmi_dcmi_power_consumption_watts"), 72);
  EXPECT_EQ(Calls(), "dcmi power reading\ndcmi power reading\n--get-system-power-statistics\n");
}

TEST_F(IpmiStatusCollectorTest, SelFromBothBackends) {
  CAPTURE_OR_SKIP(freeipmi, "ipmi-sel_info__quanta-inferred-sel-full__freeipmi-mirror-issue35.txt");
  Families full = Printing("ipmi_sel", "freeipmi", freeipmi)->Collect();
  EXPECT_EQ(SampleValue(full, "ipmi_sel_logs_count"), 909);
  EXPECT_EQ(SampleValue(full, "ipmi_sel_free_space_bytes"), 0);
  EXPECT_EQ(SampleValue(full, "ipmi_up", Up("sel")), 1);

  CAPTURE_OR_SKIP(ipmitool, "ipmitool_sel_info__unknown-ipmi-open__ipmitool-issue277.txt");
  Families some = Printing("ipmi_sel", "ipmitool", ipmitool)->Collect();
  EXPECT_EQ(SampleValue(some, "ipmi_sel_logs_count"), 490);
  EXPECT_EQ(SampleValue(some, "ipmi_sel_free_space_bytes"), 56682);
  EXPECT_EQ(Calls(), "--info\nsel info\n");
}

TEST_F(IpmiStatusCollectorTest, ExtraArgumentsGoBeforeIpmitoolsSubcommandAndAfterFreeipmisFlags) {
  auto ipmitool = Make("ipmi_sel", "ipmitool", "echo 'Entries : 1'; echo 'Free Space : 2 bytes'\n",
                       {{"args", "-I open"}});
  ipmitool->Collect();
  auto freeipmi = Make("ipmi_sel", "freeipmi",
                       "echo 'Number of log entries : 1'; echo 'Free space remaining : 2 bytes'\n",
                       {{"args", "-D openipmi"}});
  freeipmi->Collect();
  EXPECT_EQ(Calls(), "-I open sel info\n--info -D openipmi\n");
}

TEST_F(IpmiStatusCollectorTest, FailuresThrowWithTheToolsWords) {
  const std::string no_bmc = "echo 'ipmi_ctx_open_inband: could not find inband device' >&2\nexit 1\n";
  for (const char* collector : {"ipmi_bmc", "ipmi_chassis", "ipmi_dcmi", "ipmi_sel"}) {
    std::string error = CollectError(*Make(collector, "freeipmi", no_bmc));
    EXPECT_NE(error.find("freeipmi exited with status 1: ipmi_ctx_open_inband: could not find inband device; "),
              std::string::npos)
        << collector << ": " << error;
  }
  EXPECT_NE(CollectError(*harness_.Make("ipmi_sel", {{"path", dir_.path() + "/absent"}})).find("absent"),
            std::string::npos);
}

TEST_F(IpmiStatusCollectorTest, HangingToolIsKilledAtItsTimeout) {
  auto collector = Make("ipmi_chassis", "freeipmi", "sleep 1000 &\nwait\n", {{"command-timeout", "300ms"}});
  auto start = std::chrono::steady_clock::now();
  EXPECT_NE(CollectError(*collector), "");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST(IpmiStatusCollectorTable, OffByDefaultWithTheirTtls) {
  const std::pair<const char*, Duration> rows[] = {
      {"ipmi_bmc", 1h}, {"ipmi_chassis", 1min}, {"ipmi_dcmi", 30s}, {"ipmi_sel", 1min}};
  for (const auto& [name, ttl] : rows) {
    const CollectorInfo* info = FindCollector(name);
    ASSERT_NE(info, nullptr) << name;
    EXPECT_FALSE(info->enabled_by_default) << name;
    EXPECT_EQ(info->default_ttl, ttl) << name;
  }
}

}  // namespace
}  // namespace hw_exporter::testing

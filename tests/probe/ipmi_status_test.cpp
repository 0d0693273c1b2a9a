// The parsers of the BMC's identity, the chassis status, the DCMI power reading and the SEL's fill, on real
// captures (values read off them by hand) and on the project's own malformed outputs.
#include <gtest/gtest.h>

#include "hw_exporter/core/fs.h"
#include "hw_exporter/probe/bmc_info.h"
#include "hw_exporter/probe/chassis_status.h"
#include "hw_exporter/probe/dcmi_power.h"
#include "hw_exporter/probe/sel_info.h"
#include "support/test_support.h"

namespace hw_exporter {
namespace {

// The shared capture's text, or nullopt when the captures are absent.
std::optional<std::string> Shared(const std::string& name) {
  std::string path = testing::SharedFixture("ipmi/" + name);
  if (path.empty() || !PathExists(path)) return std::nullopt;
  return ReadFile(path);
}

std::string Own(const std::string& name) { return ReadFile(testing::Fixture("probe_freeipmi/" + name)); }

template <typename Parse>
std::string ErrorOf(Parse parse, std::string_view text) {
  try {
    parse(text);
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  return "";
}

#define SHARED_OR_SKIP(var, name) \
  auto var = Shared(name);        \
  if (!var) GTEST_SKIP() << "shared IPMI captures absent"

TEST(BmcInfo, FreeipmiWithoutSystemFirmwareVersion) {
  SHARED_OR_SKIP(text, "bmc-info__supermicro-excerpt-no-system-fw-version__ipmi_exporter-issue57.txt");
  BmcInfo info = ParseFreeipmiBmcInfo(*text);
  EXPECT_EQ(info.firmware_revision, "1.52");
  EXPECT_EQ(info.manufacturer_id, "Super Micro Computer Inc. (10876)");
  EXPECT_EQ(info.system_firmware_version, "N/A");
  EXPECT_EQ(info.bmc_url, "N/A");
}

TEST(BmcInfo, FreeipmiSystemFirmwareVersionAndUrl) {
  // The Dell post starts below "Firmware Revision"; with that line put back, its other fields are read.
  SHARED_OR_SKIP(text, "bmc-info__dell-idrac-partial-redacted-by-poster__ipmi_exporter-issue194.txt");
  EXPECT_EQ(ErrorOf(ParseFreeipmiBmcInfo, *text), "bmc-info: no \"Firmware Revision\" line");
  BmcInfo info = ParseFreeipmiBmcInfo("Firmware Revision     : 7.00\n" + *text);
  EXPECT_EQ(info.firmware_revision, "7.00");
  EXPECT_EQ(info.manufacturer_id, "Dell Inc. (674)");
  EXPECT_EQ(info.system_firmware_version, "2.17.1");
  EXPECT_EQ(info.bmc_url, "https://172.....");
}

TEST(BmcInfo, Ipmitool) {
  SHARED_OR_SKIP(text, "ipmitool_bmc_info__supermicro__ipmi_exporter-issue197.txt");
  BmcInfo info = ParseIpmitoolBmcInfo(*text);
  EXPECT_EQ(info.firmware_revision, "3.10");
  EXPECT_EQ(info.manufacturer_id, "Supermicro (10876)");
  EXPECT_EQ(info.system_firmware_version, "N/A");
  EXPECT_EQ(info.bmc_url, "N/A");
  auto dell = Shared("ipmitool_mc_info__dell-idrac__manageiq-gems-pending.txt");
  ASSERT_TRUE(dell);
  EXPECT_EQ(ParseIpmitoolBmcInfo(*dell).firmware_revision, "1.57");
  EXPECT_EQ(ParseIpmitoolBmcInfo(*dell).manufacturer_id, "DELL Inc (674)");
  EXPECT_EQ(ParseIpmitoolBmcInfo("Firmware Revision : 2.1\nManufacturer ID : 343\n").manufacturer_id, "343");
  EXPECT_EQ(ErrorOf(ParseIpmitoolBmcInfo, "Firmware Revision : 2.1\n"),
            "ipmitool bmc info: no \"Manufacturer ID\" line");
}

TEST(ChassisStatus, FreeipmiAndIpmitool) {
  SHARED_OR_SKIP(freeipmi, "ipmi-chassis_get-chassis-status__unknown__ipmi_exporter-issue144.txt");
  ChassisStatus on = ParseFreeipmiChassisStatus(*freeipmi);
  EXPECT_TRUE(on.power_on);
  EXPECT_FALSE(on.drive_fault);
  EXPECT_FALSE(on.cooling_fault);
  auto off = Shared("ipmitool_chassis_status__unknown__manageiq-gems-pending.txt");
  ASSERT_TRUE(off);
  EXPECT_FALSE(ParseIpmitoolChassisStatus(*off).power_on);
  auto intel = Shared("ipmitool_chassis_status__intel-s2600-server-board__intel-ctrlsys-actsys.txt");
  ASSERT_TRUE(intel);
  EXPECT_TRUE(ParseIpmitoolChassisStatus(*intel).power_on);
}

TEST(ChassisStatus, FaultsAndUnknownValues) {
  ChassisStatus faults = ParseFreeipmiChassisStatus(Own("ipmi-chassis_faults.txt"));
  EXPECT_FALSE(faults.power_on);
  EXPECT_TRUE(faults.drive_fault);
  EXPECT_TRUE(faults.cooling_fault);
  EXPECT_EQ(ErrorOf(ParseFreeipmiChassisStatus, Own("ipmi-chassis_unknown-power.txt")),
            "ipmi-chassis:1: System Power: expected \"on\" or \"off\", got \"unknown\"");
  EXPECT_EQ(ErrorOf(ParseIpmitoolChassisStatus, "System Power : on\nDrive Fault : false\n"),
            "ipmitool chassis status: no \"Cooling/Fan Fault\" line");
}

TEST(DcmiPower, Ipmitool) {
  SHARED_OR_SKIP(text, "ipmitool_dcmi_power_reading__unknown__lovoo-ipmi_exporter-issue18.txt");
  EXPECT_EQ(ParseIpmitoolDcmiPower(*text).current_watts, 215.0);
  // Two lines run together by a newer ipmitool: the reading is on a line of its own still.
  auto run_together =
      Shared("ipmitool_dcmi_power_reading__unknown-newer-ipmitool-missing-newline__ha-addons-issue38.txt");
  ASSERT_TRUE(run_together);
  EXPECT_EQ(ParseIpmitoolDcmiPower(*run_together).current_watts, 186.0);
  // Deactivated: the 319 W it prints is not a measurement.
  auto deactivated = Shared("ipmitool_dcmi_power_reading__ibm-witherspoon-openbmc-deactivated__openbmc-issue3257.txt");
  ASSERT_TRUE(deactivated);
  EXPECT_FALSE(ParseIpmitoolDcmiPower(*deactivated).current_watts.has_value());
}

TEST(DcmiPower, Freeipmi) {
  EXPECT_EQ(ParseFreeipmiDcmiPower(Own("ipmi-dcmi_active.txt")).current_watts, 72.0);
  EXPECT_FALSE(ParseFreeipmiDcmiPower(Own("ipmi-dcmi_not-available.txt")).current_watts.has_value());
  EXPECT_EQ(ErrorOf(ParseFreeipmiDcmiPower, Own("ipmi-dcmi_unreadable.txt")),
            "ipmi-dcmi:1: Current Power: expected a number of Watts, got \"many Watts\"");
  EXPECT_EQ(ErrorOf(ParseFreeipmiDcmiPower, "Power Measurement : Maybe\n"),
            "ipmi-dcmi:1: Power Measurement: expected \"Active\" or \"Not Available\", got \"Maybe\"");
  EXPECT_EQ(ErrorOf(ParseFreeipmiDcmiPower, ""), "ipmi-dcmi: no \"Power Measurement\" line");
}

TEST(SelInfo, FreeipmiAndIpmitool) {
  SHARED_OR_SKIP(freeipmi, "ipmi-sel_info__quantagrid-q72d-2u__freeipmi-mirror-issue35.txt");
  SelInfo info = ParseFreeipmiSelInfo(*freeipmi);
  EXPECT_EQ(info.entries, 398);
  EXPECT_EQ(info.free_bytes, 9198);
  auto ipmitool = Shared("ipmitool_sel_info__unknown-ipmi-open__ipmitool-issue277.txt");
  ASSERT_TRUE(ipmitool);
  EXPECT_EQ(ParseIpmitoolSelInfo(*ipmitool).entries, 490);
  EXPECT_EQ(ParseIpmitoolSelInfo(*ipmitool).free_bytes, 56682);
  auto full = Shared("ipmitool_sel_info__hpe-proliant-ml30-gen9-inferred-overflow__ipmitool-issue335.txt");
  ASSERT_TRUE(full);
  EXPECT_EQ(ParseIpmitoolSelInfo(*full).entries, 64);
  EXPECT_EQ(ParseIpmitoolSelInfo(*full).free_bytes, 0);
}

TEST(SelInfo, UnreadableNumbers) {
  EXPECT_EQ(ErrorOf(ParseFreeipmiSelInfo, Own("ipmi-sel_unreadable.txt")),
            "ipmi-sel:2: expected a number of entries, got \"-3\"");
  EXPECT_EQ(ErrorOf(ParseIpmitoolSelInfo, "Entries : 3\nFree Space : 12 kB\n"),
            "ipmitool sel info:2: Free Space: expected a number of bytes, got \"12 kB\"");
  EXPECT_EQ(ErrorOf(ParseIpmitoolSelInfo, "Could not open device at /dev/ipmi0\n"),
            "ipmitool sel info: no \"Entries\" line");
}

}  // namespace
}  // namespace hw_exporter

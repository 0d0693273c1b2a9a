// Every real capture of ../shared/fixtures/ipmi and ../shared/fixtures/ipmitool is accounted for: read by the
// parser its name calls for, with what it reads (or the precise error, for excerpts that lack what the parser
// needs) written down here, or listed as read by no parser, with the reason. A capture added to the folders fails
// the test until it is one or the other.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "hw_exporter/core/fs.h"
#include "hw_exporter/probe/bmc_info.h"
#include "hw_exporter/probe/chassis_status.h"
#include "hw_exporter/probe/dcmi_power.h"
#include "hw_exporter/probe/ipmimonitoring.h"
#include "hw_exporter/probe/ipmitool_sensor.h"
#include "hw_exporter/probe/sel_info.h"
#include "support/test_support.h"

namespace hw_exporter {
namespace {

// What a parser read, in one line, so that a table below can say what each capture holds.
using Summarize = std::function<std::string(std::string_view)>;

std::string Number(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

std::string SummarizeIpmitoolSensor(std::string_view text) {
  IpmitoolSensorTable table = ParseIpmitoolSensor(text);
  return "sensors=" + std::to_string(table.sensors.size()) + " skipped=" + std::to_string(table.skipped_lines.size());
}

std::string SummarizeIpmimonitoring(std::string_view text) {
  IpmimonitoringTable table = ParseIpmimonitoring(text);
  return "sensors=" + std::to_string(table.sensors.size()) + " skipped=" + std::to_string(table.skipped_lines.size());
}

template <BmcInfo (*Parse)(std::string_view)>
std::string SummarizeBmcInfo(std::string_view text) {
  BmcInfo info = Parse(text);
  return "firmware_revision=" + info.firmware_revision + " manufacturer_id=" + info.manufacturer_id +
         " system_firmware_version=" + info.system_firmware_version + " bmc_url=" + info.bmc_url;
}

template <ChassisStatus (*Parse)(std::string_view)>
std::string SummarizeChassis(std::string_view text) {
  ChassisStatus status = Parse(text);
  return std::string("power_on=") + (status.power_on ? "1" : "0") + " drive_fault=" + (status.drive_fault ? "1" : "0") +
         " cooling_fault=" + (status.cooling_fault ? "1" : "0");
}

template <DcmiPower (*Parse)(std::string_view)>
std::string SummarizeDcmi(std::string_view text) {
  DcmiPower power = Parse(text);
  return "watts=" + (power.current_watts ? Number(*power.current_watts) : std::string("none"));
}

template <SelInfo (*Parse)(std::string_view)>
std::string SummarizeSel(std::string_view text) {
  SelInfo info = Parse(text);
  return "entries=" + Number(info.entries) + " free_bytes=" + Number(info.free_bytes);
}

// Which parser reads a capture, by the start of its path below the shared fixtures.
const std::vector<std::pair<std::string, Summarize>> kReaders = {
    {"ipmitool/", SummarizeIpmitoolSensor},
    {"ipmi/ipmitool_sensor", SummarizeIpmitoolSensor},
    {"ipmi/ipmimonitoring_csv_", SummarizeIpmimonitoring},
    {"ipmi/bmc-info__", SummarizeBmcInfo<ParseFreeipmiBmcInfo>},
    {"ipmi/ipmitool_bmc_info__", SummarizeBmcInfo<ParseIpmitoolBmcInfo>},
    {"ipmi/ipmitool_mc_info__", SummarizeBmcInfo<ParseIpmitoolBmcInfo>},
    {"ipmi/ipmi-chassis_get-chassis-status__", SummarizeChassis<ParseFreeipmiChassisStatus>},
    {"ipmi/ipmitool_chassis_status__", SummarizeChassis<ParseIpmitoolChassisStatus>},
    {"ipmi/ipmitool_dcmi_power_reading__", SummarizeDcmi<ParseIpmitoolDcmiPower>},
    {"ipmi/ipmi-sel_info__", SummarizeSel<ParseFreeipmiSelInfo>},
    {"ipmi/ipmitool_sel_info__", SummarizeSel<ParseIpmitoolSelInfo>},
};

// Captures no parser reads, by the start of their path, and why.
const std::vector<std::pair<std::string, std::string>> kNotRead = {
    {"ipmi/SOURCES.tsv", "the list of sources, not a capture"},
    {"ipmi/ipmitool_sdr",
     "the ipmitool backend reads `ipmitool sensor`; `sdr` prints no thresholds, and the hex "
     "column of `sdr elist` is the sensor number, not the SDR record id ipmi_exporter labels with"},
    {"ipmi/ipmitool_sel_elist__", "SEL entries: no collector reads them (ipmi_exporter's sel-events is not ported)"},
    {"ipmi/ipmitool_sel_list_", "SEL entries: no collector reads them (ipmi_exporter's sel-events is not ported)"},
    {"ipmi/ipmi-sel_csv_", "SEL entries: no collector reads them (ipmi_exporter's sel-events is not ported)"},
    {"ipmi/ipmimonitoring_default-table__",
     "ipmimonitoring's default table: the collector runs it with --comma-separated-output"},
    {"ipmi/ipmi-sensors_table_", "ipmi-sensors' threshold table: no collector runs ipmi-sensors"},
};

// What each capture that a parser reads holds, checked against the capture by hand. Of note: the partial bmc-info
// posts start below "Firmware Revision", which ipmi_exporter requires too; the Supermicro X9 table lacks its last
// newline, so its last row (PS2 Status) counts as cut short; the AMI table's extra line is ipmitool's stderr; the
// OpenBMC DCMI reading is "deactivated", so no power is read from it.
const std::map<std::string, std::string> kExpected = {
    {"ipmi/bmc-info__dell-idrac-partial-redacted-by-poster__ipmi_exporter-issue194.txt",
     "error: bmc-info: no \"Firmware Revision\" line"},
    {"ipmi/bmc-info__supermicro-excerpt-no-system-fw-version__ipmi_exporter-issue57.txt",
     "firmware_revision=1.52 manufacturer_id=Super Micro Computer Inc. (10876) system_firmware_version=N/A "
     "bmc_url=N/A"},
    {"ipmi/bmc-info__supermicro-partial-redacted-by-poster__ipmi_exporter-issue194.txt",
     "error: bmc-info: no \"Firmware Revision\" line"},
    {"ipmi/ipmi-chassis_get-chassis-status__unknown__ipmi_exporter-issue144.txt",
     "power_on=1 drive_fault=0 cooling_fault=0"},
    {"ipmi/ipmi-sel_info__quanta-inferred-sel-full__freeipmi-mirror-issue35.txt", "entries=909 free_bytes=0"},
    {"ipmi/ipmi-sel_info__quantagrid-q72d-2u__freeipmi-mirror-issue35.txt", "entries=398 free_bytes=9198"},
    {"ipmi/ipmimonitoring_csv_event-strings__huawei-ibmc-inferred_part1__ipmi_exporter-issue108.txt",
     "sensors=27 skipped=0"},
    {"ipmi/ipmimonitoring_csv_event-strings__huawei-ibmc-inferred_part2-discrete__ipmi_exporter-issue108.txt",
     "sensors=24 skipped=0"},
    {"ipmi/"
     "ipmimonitoring_csv_output-event-bitmask_exporter-flags__huawei-ibmc-inferred_part1__ipmi_exporter-issue95.txt",
     "sensors=23 skipped=0"},
    {"ipmi/"
     "ipmimonitoring_csv_output-event-bitmask_exporter-flags__huawei-ibmc-inferred_part2-discrete__ipmi_exporter-"
     "issue95.txt",
     "sensors=26 skipped=0"},
    {"ipmi/"
     "ipmimonitoring_csv_output-sensor-state_single-line-multi-event__supermicro-h8dgu-old-bmc__ipmi_exporter-issue30."
     "txt",
     "sensors=1 skipped=0"},
    {"ipmi/ipmitool_bmc_info__supermicro__ipmi_exporter-issue197.txt",
     "firmware_revision=3.10 manufacturer_id=Supermicro (10876) system_firmware_version=N/A bmc_url=N/A"},
    {"ipmi/ipmitool_chassis_status__intel-s2600-server-board__intel-ctrlsys-actsys.txt",
     "power_on=1 drive_fault=0 cooling_fault=0"},
    {"ipmi/ipmitool_chassis_status__unknown__manageiq-gems-pending.txt", "power_on=0 drive_fault=0 cooling_fault=0"},
    {"ipmi/ipmitool_dcmi_power_reading__ibm-witherspoon-openbmc-deactivated__openbmc-issue3257.txt", "watts=none"},
    {"ipmi/ipmitool_dcmi_power_reading__unknown-newer-ipmitool-missing-newline__ha-addons-issue38.txt", "watts=186"},
    {"ipmi/ipmitool_dcmi_power_reading__unknown__lovoo-ipmi_exporter-issue18.txt", "watts=215"},
    {"ipmi/ipmitool_dcmi_power_reading__unknown__rabe-zabbix-issue101.txt", "watts=197"},
    {"ipmi/ipmitool_dcmi_power_reading__unknown__telegraf.txt", "watts=167"},
    {"ipmi/ipmitool_mc_info__dell-idrac__manageiq-gems-pending.txt",
     "firmware_revision=1.57 manufacturer_id=DELL Inc (674) system_firmware_version=N/A bmc_url=N/A"},
    {"ipmi/ipmitool_sel_info__hpe-proliant-ml30-gen9-inferred-overflow__ipmitool-issue335.txt",
     "entries=64 free_bytes=0"},
    {"ipmi/ipmitool_sel_info__ibm-witherspoon-openbmc__openbmc-issue3258.txt", "entries=2 free_bytes=0"},
    {"ipmi/ipmitool_sel_info__unknown-ipmi-open__ipmitool-issue277.txt", "entries=490 free_bytes=56682"},
    {"ipmi/ipmitool_sensor__ami-megarac-sp-board-unidentified-with-stderr-line__ha-ipmi-issue25.txt",
     "sensors=10 skipped=1"},
    {"ipmi/ipmitool_sensor__hpe-proliant-dl360p-gen8-excerpt__pve-mods-issue93.txt", "sensors=10 skipped=0"},
    {"ipmi/ipmitool_sensor__hpe-proliant-ilo__mjkelly-ipmi_exporter.txt", "sensors=18 skipped=0"},
    {"ipmi/ipmitool_sensor__ibm-rainier-openbmc-fans-excerpt__ibm-openbmc-dev-issue3594.txt", "sensors=9 skipped=0"},
    {"ipmi/ipmitool_sensor__intel-s2600wttr-discrete-excerpt__ha-ipmi-issue27.txt", "sensors=9 skipped=0"},
    {"ipmi/ipmitool_sensor__supermicro-x9-dual__lovoo-ipmi_exporter.txt", "sensors=64 skipped=1"},
    {"ipmi/ipmitool_sensor_via-shell__intel-5500-ioh-era-board-voltage-excerpt__ha-ipmi-issue33.txt",
     "sensors=5 skipped=0"},
    {"ipmitool/hpe-proliant-sensor.txt", "sensors=44 skipped=0"},
    {"ipmitool/supermicro-sensor.txt", "sensors=25 skipped=0"},
};

template <typename Table>
const typename Table::value_type* Lookup(const Table& table, const std::string& path) {
  for (const auto& row : table) {
    if (path.starts_with(row.first)) return &row;
  }
  return nullptr;
}

TEST(IpmiCaptures, EveryCaptureIsReadAsWrittenDownOrListedAsNotRead) {
  const std::string root = testing::SharedFixture("");
  if (root.empty() || !PathExists(root + "/ipmi")) GTEST_SKIP() << "shared IPMI captures absent";
  std::set<std::string> seen;
  for (const char* folder : {"ipmi", "ipmitool"}) {
    for (const auto& entry : std::filesystem::directory_iterator(root + "/" + folder)) {
      const std::string path = std::string(folder) + "/" + entry.path().filename().string();
      if (Lookup(kNotRead, path)) continue;
      const auto* reader = Lookup(kReaders, path);
      if (!reader) {
        ADD_FAILURE() << path << ": not accounted for: give it a parser or a reason in kNotRead";
        continue;
      }
      std::string summary;
      try {
        summary = reader->second(ReadFile(entry.path().string()));
      } catch (const std::exception& error) {
        summary = std::string("error: ") + error.what();
      }
      seen.insert(path);
      auto expected = kExpected.find(path);
      if (expected == kExpected.end()) {
        ADD_FAILURE() << path << ": read but not written down: {\"" << path << "\", \"" << summary << "\"},";
        continue;
      }
      EXPECT_EQ(summary, expected->second) << path;
    }
  }
  for (const auto& [path, summary] : kExpected) EXPECT_TRUE(seen.contains(path)) << path << " is gone";
}

}  // namespace
}  // namespace hw_exporter

#include "hw_exporter/probe/smartctl_json.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "hw_exporter/core/fs.h"
#include "support/test_support.h"

namespace hw_exporter {
namespace {

SmartctlReport Own(const std::string& name) {
  return ParseSmartctlReport(ReadFile(testing::Fixture("probe_smartctl/" + name)));
}

// A shared capture, or nullopt (the test then skips).
std::optional<SmartctlReport> Shared(const std::string& name) {
  std::string path = testing::SharedFixture("smartctl/" + name);
  if (path.empty() || !PathExists(path)) return std::nullopt;
  return ParseSmartctlReport(ReadFile(path));
}

std::optional<double> Named(const std::vector<SmartctlNamedValue>& values, const std::string& name) {
  for (const auto& value : values)
    if (value.name == name) return value.value;
  return std::nullopt;
}

const SmartctlAttribute* Attribute(const SmartctlReport& report, const std::string& id) {
  for (const auto& attribute : report.attributes)
    if (attribute.id == id) return &attribute;
  return nullptr;
}

TEST(SmartctlJson, EveryCaptureParsesWithoutThrowingOrDuplicateSeries) {
  std::string folder = testing::SharedFixture("smartctl");
  if (folder.empty() || !std::filesystem::is_directory(folder)) GTEST_SKIP() << "shared smartctl captures absent";
  size_t parsed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.path().extension() != ".json") continue;
    SCOPED_TRACE(entry.path().filename().string());
    SmartctlReport report;
    ASSERT_NO_THROW(report = ParseSmartctlReport(ReadFile(entry.path().string())));
    EXPECT_FALSE(report.device_name.empty());
    EXPECT_TRUE(report.exit_status.has_value());
    EXPECT_TRUE(report.smart_passed.has_value());
    EXPECT_FALSE(report.low_power_mode.has_value());
    // Each attribute and statistic becomes series told apart by these labels only.
    std::set<std::pair<std::string, std::string>> attributes;
    for (const auto& attribute : report.attributes) {
      EXPECT_TRUE(attributes.emplace(attribute.id, attribute.name).second) << attribute.name;
    }
    std::set<std::pair<std::string, std::string>> statistics;
    for (const auto& statistic : report.statistics) {
      EXPECT_TRUE(statistics.emplace(statistic.table, statistic.name).second) << statistic.name;
    }
    ++parsed;
  }
  EXPECT_EQ(parsed, 168u);
}

TEST(SmartctlJson, AtaDiskWithErrorLog) {
  auto report = Shared("HGST_HUS724020ALE640_28.json");
  if (!report) GTEST_SKIP() << "shared smartctl captures absent";
  EXPECT_EQ(report->exit_status, 64);  // bit 6: the error log has entries
  EXPECT_EQ(report->device_name, "/dev/sdb");
  EXPECT_EQ(report->device_type, "sat");
  EXPECT_EQ(report->info.protocol, "ATA");
  EXPECT_EQ(report->info.model_family, "Hitachi/HGST Ultrastar 7K4000");
  EXPECT_EQ(report->info.model_name, "HGST HUS724020ALE640");
  EXPECT_EQ(report->info.ata_version, "ATA8-ACS T13/1699-D revision 4");
  EXPECT_EQ(report->info.sata_version, "SATA 3.0");
  EXPECT_EQ(report->info.form_factor, "3.5 inches");
  EXPECT_FALSE(report->info.ata_additional_product_id.has_value());
  EXPECT_EQ(Named(report->error_log_counts, "summary"), 12);
  EXPECT_EQ(report->smart_passed, 1);
  EXPECT_EQ(report->power_on_seconds, 83425.0 * 3600);
  EXPECT_EQ(report->power_cycle_count, 81);
  EXPECT_EQ(report->rotation_rate, 7200);
  EXPECT_EQ(report->capacity_blocks, 3907029168.0);
  EXPECT_EQ(report->capacity_bytes, 2000398934016.0);
  EXPECT_EQ(Named(report->block_sizes, "logical"), 512);
  EXPECT_EQ(Named(report->block_sizes, "physical"), 4096);
  EXPECT_EQ(Named(report->interface_speeds, "max"), 6e9);
  EXPECT_EQ(Named(report->interface_speeds, "current"), 3e9);
  EXPECT_EQ(Named(report->temperatures, "current"), 26);
  ASSERT_EQ(report->attributes.size(), 17u);
  const SmartctlAttribute* crc = Attribute(*report, "199");
  ASSERT_NE(crc, nullptr);
  EXPECT_EQ(crc->name, "UDMA_CRC_Error_Count");
  EXPECT_EQ(crc->flags_short, "-O-R--");
  EXPECT_EQ(crc->flags_long, "updated_online,error_rate");
  EXPECT_EQ(Named(crc->values, "value"), 200);
  EXPECT_EQ(Named(crc->values, "worst"), 200);
  EXPECT_EQ(Named(crc->values, "thresh"), 0);
  EXPECT_EQ(Named(crc->values, "raw"), 12);
  const SmartctlAttribute* read_errors = Attribute(*report, "1");
  ASSERT_NE(read_errors, nullptr);
  EXPECT_EQ(read_errors->flags_long, "prefailure,updated_online,error_rate");
  EXPECT_EQ(Named(read_errors->values, "thresh"), 16);
  EXPECT_FALSE(report->nvme_health.has_value());
  EXPECT_FALSE(report->bytes_read.has_value());
  ASSERT_TRUE(report->version.has_value());
  EXPECT_EQ(report->version->json_format_version, "1.0");
  EXPECT_EQ(report->version->smartctl_version, "7.3");
  EXPECT_EQ(report->version->svn_revision, "5338");
}

TEST(SmartctlJson, ScsiDisk) {
  auto report = Shared("HITACHI_H109060SESUN600G_10.json");
  if (!report) GTEST_SKIP() << "shared smartctl captures absent";
  EXPECT_EQ(report->exit_status, 0);
  EXPECT_EQ(report->info.interface_type, "scsi");
  EXPECT_EQ(report->info.model_name, "HITACHI H109060SESUN600G");  // from scsi_model_name
  EXPECT_FALSE(report->info.model_family.has_value());
  EXPECT_EQ(report->info.scsi_vendor, "HITACHI");
  EXPECT_EQ(report->info.scsi_product, "H109060SESUN600G");
  EXPECT_EQ(report->info.scsi_revision, "A31A");
  EXPECT_EQ(report->info.scsi_version, "SPC-4");
  EXPECT_EQ(report->power_on_seconds, 22364.0 * 3600 + 52 * 60);
  EXPECT_EQ(report->rotation_rate, 10020);
  EXPECT_EQ(Named(report->temperatures, "current"), 26);
  EXPECT_EQ(Named(report->temperatures, "drive_trip"), 85);
  EXPECT_EQ(report->power_cycle_count, 70);  // accumulated start-stop cycles
  EXPECT_EQ(report->scsi_grown_defect_list, 0);
  ASSERT_TRUE(report->scsi_read_errors.has_value());
  EXPECT_EQ(report->scsi_read_errors->corrected_by_eccdelayed, 40247);
  EXPECT_EQ(report->scsi_read_errors->corrected_by_eccfast, 0);
  EXPECT_EQ(report->scsi_read_errors->total_uncorrected, 0);
  ASSERT_TRUE(report->scsi_write_errors.has_value());
  EXPECT_EQ(report->scsi_write_errors->corrected_by_eccdelayed, 26762907);
  EXPECT_DOUBLE_EQ(*report->bytes_read, 162438.759e9);  // a number in a string
  EXPECT_DOUBLE_EQ(*report->bytes_written, 127551.260e9);
  EXPECT_EQ(report->capacity_bytes, 600127266816.0);
  EXPECT_TRUE(report->attributes.empty());
}

TEST(SmartctlJson, NvmeDiskWithCriticalWarning) {
  auto report = Shared("nvme-null-SAMSUNG_MZWLL3T2HAJQ-00005-nvme0.json");
  if (!report) GTEST_SKIP() << "shared smartctl captures absent";
  EXPECT_EQ(report->exit_status, 8);  // bit 3: the health self-assessment failed
  EXPECT_EQ(report->smart_passed, 0);
  EXPECT_EQ(report->info.model_name, "SAMSUNG MZWLL3T2HAJQ-00005");
  EXPECT_EQ(report->nvme_capacity_bytes, 3200631791616.0);
  ASSERT_TRUE(report->nvme_health.has_value());
  EXPECT_EQ(report->nvme_health->critical_warning, 16);
  EXPECT_EQ(report->nvme_health->available_spare, 100);
  EXPECT_EQ(report->nvme_health->available_spare_threshold, 10);
  EXPECT_EQ(report->nvme_health->percentage_used, 0);
  EXPECT_EQ(report->nvme_health->media_errors, 0);
  EXPECT_EQ(report->nvme_health->num_err_log_entries, 0);
  EXPECT_EQ(report->bytes_read, 146935678.0 * 512000);
  EXPECT_EQ(report->bytes_written, 147556750.0 * 512000);
  EXPECT_EQ(report->power_on_seconds, 18376.0 * 3600);
  EXPECT_EQ(report->power_cycle_count, 6);
  EXPECT_EQ(Named(report->temperatures, "current"), 40);
  EXPECT_FALSE(report->capacity_bytes.has_value());
}

TEST(SmartctlJson, OwnAtaFixtureCoversStatisticsLogsAndErc) {
  SmartctlReport report = Own("ata.json");
  EXPECT_EQ(report.info.model_family, "Example Disks 7K ");  // trimmed where the label is made
  EXPECT_EQ(report.info.model_name, "EXAMPLE HD2000");
  EXPECT_EQ(report.info.serial_number, "SN-0001");
  EXPECT_EQ(report.power_on_seconds, 1000.0 * 3600 + 30 * 60);
  EXPECT_EQ(report.sct_device_state, 0);
  EXPECT_EQ(Named(report.erc_seconds, "read"), 7.0);
  EXPECT_EQ(Named(report.erc_seconds, "write"), 6.5);
  ASSERT_EQ(report.self_test_logs.size(), 1u);
  EXPECT_EQ(report.self_test_logs[0].type, "standard");
  EXPECT_EQ(report.self_test_logs[0].count, 2);
  EXPECT_EQ(report.self_test_logs[0].error_count_total, 1);
  // The vendor page is left out; the SATA PHY counters come last.
  ASSERT_EQ(report.statistics.size(), 3u);
  EXPECT_EQ(report.statistics[1].name, "Power-on Hours");
  EXPECT_EQ(report.statistics[1].flags_short, "VN--");
  EXPECT_EQ(report.statistics[1].flags_long, "valid,normalized");
  EXPECT_EQ(report.statistics[1].value, 1000);
  EXPECT_EQ(report.statistics[2].table, "SATA PHY Event Counters");
  EXPECT_EQ(report.statistics[2].flags_long, "valid");
  EXPECT_EQ(report.statistics[2].value, 12);
  const SmartctlAttribute* temperature = Attribute(report, "194");
  ASSERT_NE(temperature, nullptr);
  EXPECT_EQ(Named(temperature->values, "raw"), 279176151075.0);
}

TEST(SmartctlJson, StandbyIsRecognised) {
  SmartctlReport report = Own("standby.json");
  EXPECT_EQ(report.low_power_mode, "STANDBY");
  EXPECT_EQ(report.exit_status, 2);
  EXPECT_TRUE(report.error_messages.empty());
  EXPECT_FALSE(report.smart_passed.has_value());
}

TEST(SmartctlJson, OpenFailureCarriesItsMessage) {
  SmartctlReport report = Own("open_failed.json");
  EXPECT_FALSE(report.low_power_mode.has_value());
  ASSERT_EQ(report.error_messages.size(), 1u);
  EXPECT_EQ(report.error_messages[0], "Smartctl open device: /dev/sda failed: No such device");
}

TEST(SmartctlJson, FieldsOfUnexpectedTypesAreSkipped) {
  SmartctlReport report;
  ASSERT_NO_THROW(report = Own("odd_types.json"));
  EXPECT_FALSE(report.exit_status.has_value());
  EXPECT_EQ(report.device_name, "");
  EXPECT_EQ(report.info.model_name, "12");
  EXPECT_EQ(report.info.serial_number, "");
  EXPECT_FALSE(report.capacity_blocks.has_value());
  EXPECT_EQ(report.power_on_seconds, 90.0 * 60);
  ASSERT_EQ(report.temperatures.size(), 1u);  // "hot" and the object are no temperatures
  EXPECT_EQ(Named(report.temperatures, "lifetime_max"), 51);
  EXPECT_FALSE(report.smart_passed.has_value());
  ASSERT_EQ(report.attributes.size(), 2u);  // the string in the table is no attribute
  EXPECT_EQ(Named(report.attributes[0].values, "raw"), std::nullopt) << "raw is a string, not {value}";
  EXPECT_EQ(report.attributes[0].flags_short, "");
  EXPECT_TRUE(report.attributes[1].values.empty());
  EXPECT_TRUE(report.error_log_counts.empty());
  ASSERT_EQ(report.self_test_logs.size(), 1u);
  EXPECT_FALSE(report.self_test_logs[0].count.has_value());
  EXPECT_TRUE(report.statistics.empty());
  ASSERT_TRUE(report.nvme_health.has_value());
  EXPECT_EQ(report.nvme_health->media_errors, 5);
  EXPECT_FALSE(report.scsi_read_errors.has_value());
  ASSERT_TRUE(report.version.has_value());
  EXPECT_EQ(report.version->smartctl_version, "");
}

TEST(SmartctlJson, GarbageTruncatedAndEmptyOutputAreClearErrors) {
  for (const char* name : {"truncated.json", "garbage.txt"}) {
    SCOPED_TRACE(name);
    try {
      Own(name);
      ADD_FAILURE() << "parsed";
    } catch (const SmartctlParseError& error) {
      EXPECT_NE(std::string(error.what()).find("not valid JSON"), std::string::npos) << error.what();
    }
  }
  EXPECT_THROW(ParseSmartctlReport(""), SmartctlParseError);
  EXPECT_THROW(ParseSmartctlReport("[1, 2]"), SmartctlParseError);
  EXPECT_THROW(ParseSmartctlScan("{\"devices\": ["), SmartctlParseError);
}

TEST(SmartctlJson, OldSmartctlPrefixBeforeTheJsonIsTolerated) {
  SmartctlReport report = ParseSmartctlReport("  Pending defect count:{\"device\": {\"name\": \"/dev/sdc\"}}");
  EXPECT_EQ(report.device_name, "/dev/sdc");
}

TEST(SmartctlJson, ScanListsDevicesAndSetsAsideThoseItCouldNotOpen) {
  SmartctlScan scan = ParseSmartctlScan(ReadFile(testing::Fixture("probe_smartctl/scan.json")));
  ASSERT_EQ(scan.devices.size(), 3u);
  EXPECT_EQ(scan.devices[0].name, "/dev/sda");
  EXPECT_EQ(scan.devices[0].type, "sat");
  EXPECT_EQ(scan.devices[2].name, "/dev/bus/0");
  EXPECT_EQ(scan.devices[2].type, "megaraid,1");
  ASSERT_EQ(scan.open_errors.size(), 1u);
  EXPECT_EQ(scan.open_errors[0], "/dev/sdq: No such device");
  ASSERT_TRUE(scan.version.has_value());
  EXPECT_EQ(scan.version->build_info, "(local build)");
}

TEST(SmartctlJson, DeviceLabelsAreThoseOfSmartctlExporter) {
  EXPECT_EQ(SmartctlDeviceLabel("/dev/sda", "sat"), "sda");
  EXPECT_EQ(SmartctlDeviceLabel("/dev/nvme0", "nvme"), "nvme0");
  EXPECT_EQ(SmartctlDeviceLabel("/dev/bus/0", "megaraid,1"), "bus_0_megaraid_1");
  EXPECT_EQ(SmartctlDeviceLabel("/dev/disk/by-id/ata-EXAMPLE_SN1", "auto"), "ata-EXAMPLE_SN1");
  EXPECT_EQ(SmartctlDeviceLabel("/dev/disk/by-path/pci-0000:00:17.0-ata-1", "sat"), "pci-0000:00:17.0-ata-1");
  EXPECT_EQ(SmartctlDeviceLabel("/dev/sg1", "sat,12"), "sg1_sat_12");
}

}  // namespace
}  // namespace hw_exporter

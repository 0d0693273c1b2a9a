#include <gtest/gtest.h>

#include <chrono>

#include "collectors/collector_harness.h"
#include "hw_exporter/core/fs.h"
#include "probe/process_hygiene.h"
#include "probe/stand_in.h"
#include "support/fake_clock.h"
#include "support/test_support.h"

namespace hw_exporter::testing {
namespace {

using namespace std::chrono_literals;

Labels Device(const std::string& device) { return {{"device", device}}; }

// Collects with a stand-in smartctl that answers --scan-open with <dir>/scan.json, and a device's call with
// <dir>/<device basename>.out and the exit status in <dir>/<device basename>.status (hanging while a
// <basename>.hang exists). Every call's arguments are appended to <dir>/calls.
class SmartctlCollectorTest : public ProcessHygieneTest {
 protected:
  void SetUp() override {
    ProcessHygieneTest::SetUp();
    std::string dir = Quoted(dir_.path());
    program_ = WriteStandIn(dir_, "smartctl",
                            "dir=" + dir +
                                "\n"
                                "echo \"$*\" >> \"$dir/calls\"\n"
                                "if [ \"$1\" = --scan-open ]; then cat \"$dir/scan.json\"; exit 0; fi\n"
                                "for last; do :; done\n"
                                "name=$(basename \"$last\")\n"
                                "if [ -e \"$dir/$name.hang\" ]; then sleep 1000; fi\n"
                                "cat \"$dir/$name.out\"\n"
                                "exit \"$(cat \"$dir/$name.status\")\"\n");
    Scan("scan.json");
    Answer("sda", "ata.json", 0);
    Answer("nvme0", "nvme.json", 0);
    Answer("0", "megaraid.json", 0);  // /dev/bus/0
  }

  void Scan(const std::string& fixture) { dir_.Write("scan.json", ReadFile(Fixture("probe_smartctl/" + fixture))); }
  void Answer(const std::string& device, const std::string& fixture, int status) {
    dir_.Write(device + ".out", ReadFile(Fixture("probe_smartctl/" + fixture)));
    dir_.Write(device + ".status", std::to_string(status));
  }

  std::unique_ptr<Collector> Make(std::map<std::string, std::string> options = {}) {
    options.emplace("path", program_);
    return harness_.Make("smartctl", options);
  }

  std::string Calls() { return TryReadFile(dir_.path() + "/calls").value_or(""); }

  TempDir dir_;
  FakeClock clock_;
  CollectorHarness harness_{dir_.path(), clock_};
  std::string program_;
};

TEST_F(SmartctlCollectorTest, ReportsEveryDeviceUnderSmartctlExporterNames) {
  Families families = Make()->Collect();

  EXPECT_EQ(SampleValue(families, "smartctl_devices"), 3);
  EXPECT_EQ(SampleValue(families, "smartctl_version",
                        {{"json_format_version", "1.0"},
                         {"smartctl_version", "7.3"},
                         {"svn_revision", "5338"},
                         {"build_info", "(local build)"}}),
            1);
  EXPECT_EQ(SampleValue(families, "smartctl_device",
                        {{"device", "sda"},
                         {"interface", "sat"},
                         {"protocol", "ATA"},
                         {"model_family", "Example Disks 7K"},
                         {"model_name", "EXAMPLE HD2000"},
                         {"serial_number", "SN-0001"},
                         {"ata_additional_product_id", "unknown"},
                         {"firmware_version", "FW01"},
                         {"ata_version", "ACS-3"},
                         {"sata_version", "SATA 3.2"},
                         {"form_factor", "3.5 inches"},
                         {"scsi_vendor", ""},
                         {"scsi_product", ""},
                         {"scsi_revision", ""},
                         {"scsi_version", ""}}),
            1);
  EXPECT_EQ(SampleValue(families, "smartctl_device_attribute",
                        {{"device", "sda"},
                         {"attribute_name", "Reallocated_Sector_Ct"},
                         {"attribute_flags_short", "PO--CK"},
                         {"attribute_flags_long", "prefailure,updated_online,event_count,auto_keep"},
                         {"attribute_value_type", "raw"},
                         {"attribute_id", "5"}}),
            8);
  EXPECT_EQ(SeriesCount(families, "smartctl_device_attribute"), 2u * 4u);
  EXPECT_EQ(SampleValue(families, "smartctl_device_temperature", {{"device", "sda"}, {"temperature_type", "current"}}),
            35);
  EXPECT_EQ(SampleValue(families, "smartctl_device_power_on_seconds", Device("sda")), 1000 * 3600 + 30 * 60);
  EXPECT_EQ(FindFamily(families, "smartctl_device_power_on_seconds")->type, prometheus::MetricType::Counter);
  EXPECT_EQ(SampleValue(families, "smartctl_device_power_cycle_count", Device("sda")), 42);
  EXPECT_EQ(SampleValue(families, "smartctl_device_smart_status", Device("sda")), 1);
  EXPECT_EQ(SampleValue(families, "smartctl_device_error_log_count",
                        {{"device", "sda"}, {"error_log_type", "summary"}}),
            3);
  EXPECT_EQ(SampleValue(families, "smartctl_device_erc_seconds", {{"device", "sda"}, {"op_type", "write"}}), 6.5);
  EXPECT_EQ(SampleValue(families, "smartctl_device_interface_speed", {{"device", "sda"}, {"speed_type", "max"}}), 6e9);
  EXPECT_EQ(SampleValue(families, "smartctl_device_block_size", {{"device", "sda"}, {"blocks_type", "physical"}}),
            4096);
  EXPECT_EQ(SampleValue(families, "smartctl_device_rotation_rate", Device("sda")), 7200);

  EXPECT_EQ(SampleValue(families, "smartctl_device_smart_status", Device("nvme0")), 0);
  EXPECT_EQ(SampleValue(families, "smartctl_device_critical_warning", Device("nvme0")), 4);
  EXPECT_EQ(SampleValue(families, "smartctl_device_media_errors", Device("nvme0")), 3);
  EXPECT_EQ(SampleValue(families, "smartctl_device_percentage_used", Device("nvme0")), 7);
  EXPECT_EQ(SampleValue(families, "smartctl_device_available_spare", Device("nvme0")), 90);
  EXPECT_EQ(SampleValue(families, "smartctl_device_bytes_read", Device("nvme0")), 2000.0 * 512000);
  EXPECT_FALSE(SampleValue(families, "smartctl_device_bytes_written", Device("nvme0"))) << "0 means not reported";
  EXPECT_EQ(SampleValue(families, "smartctl_device_nvme_capacity_bytes", Device("nvme0")), 1000204886016.0);
  EXPECT_FALSE(SampleValue(families, "smartctl_device_rotation_rate", Device("nvme0")));

  const std::string raid = "bus_0_megaraid_1";
  EXPECT_EQ(SampleValue(families, "smartctl_scsi_grown_defect_list", Device(raid)), 2);
  EXPECT_EQ(SampleValue(families, "smartctl_read_errors_corrected_by_rereads_rewrites", Device(raid)), 3);
  EXPECT_EQ(SampleValue(families, "smartctl_read_total_uncorrected_errors", Device(raid)), 4);
  EXPECT_EQ(SampleValue(families, "smartctl_write_errors_corrected_by_eccfast", Device(raid)), 5);
  EXPECT_EQ(SampleValue(families, "smartctl_write_total_uncorrected_errors", Device(raid)), 8);
  EXPECT_EQ(SampleValue(families, "smartctl_device_bytes_read", Device(raid)), 1.5e9);
  EXPECT_EQ(SampleValue(families, "smartctl_device_power_cycle_count", Device(raid)), 17);

  for (const char* device : {"sda", "nvme0", "bus_0_megaraid_1"}) {
    EXPECT_EQ(SampleValue(families, "smartctl_device_smartctl_exit_status", Device(device)), 0) << device;
    EXPECT_EQ(SampleValue(families, "smartctl_device_standby", Device(device)), 0) << device;
  }
  EXPECT_EQ(Calls(),
            "--scan-open --json\n"
            "--json --info --health --attributes --tolerance=verypermissive --nocheck=standby --format=brief "
            "--log=error --device=megaraid,1 /dev/bus/0\n"
            "--json --info --health --attributes --tolerance=verypermissive --nocheck=standby --format=brief "
            "--log=error --device=nvme /dev/nvme0\n"
            "--json --info --health --attributes --tolerance=verypermissive --nocheck=standby --format=brief "
            "--log=error --device=sat /dev/sda\n");
}

TEST_F(SmartctlCollectorTest, ExitStatusBitsTwoToSevenComeWithDataBitsZeroAndOneDoNot) {
  auto collector = Make();
  for (int bit = 0; bit <= 7; ++bit) {
    SCOPED_TRACE("bit " + std::to_string(bit));
    int status = 1 << bit;
    Answer("sda", "ata.json", status);
    Families families = collector->Collect();
    EXPECT_EQ(SampleValue(families, "smartctl_device_smartctl_exit_status", Device("sda")), status);
    EXPECT_EQ(SampleValue(families, "smartctl_device_smart_status", Device("sda")).has_value(), bit >= 2);
    EXPECT_EQ(SampleValue(families, "smartctl_device_standby", Device("sda")), 0);
    EXPECT_EQ(SampleValue(families, "smartctl_device_smart_status", Device("nvme0")), 0) << "others unaffected";
  }
}

TEST_F(SmartctlCollectorTest, OpenFailureDropsTheDevicesData) {
  auto collector = Make();
  EXPECT_TRUE(SampleValue(collector->Collect(), "smartctl_device_smart_status", Device("sda")));
  Answer("sda", "open_failed.json", 2);
  Families families = collector->Collect();
  EXPECT_FALSE(SampleValue(families, "smartctl_device_smart_status", Device("sda")));
  EXPECT_EQ(SampleValue(families, "smartctl_device_smartctl_exit_status", Device("sda")), 2);
  EXPECT_EQ(SampleValue(families, "smartctl_device_standby", Device("sda")), 0);
  EXPECT_EQ(SampleValue(families, "smartctl_devices"), 3) << "the device is still listed";
}

TEST_F(SmartctlCollectorTest, DiskInStandbyKeepsItsLastDataMarked) {
  auto collector = Make();
  collector->Collect();
  Answer("sda", "standby.json", 2);
  Families families = collector->Collect();
  EXPECT_EQ(SampleValue(families, "smartctl_device_standby", Device("sda")), 1);
  EXPECT_EQ(SampleValue(families, "smartctl_device_smartctl_exit_status", Device("sda")), 2);
  EXPECT_EQ(SampleValue(families, "smartctl_device_smart_status", Device("sda")), 1) << "kept from before";
  EXPECT_EQ(SampleValue(families, "smartctl_device_power_on_seconds", Device("sda")), 1000 * 3600 + 30 * 60);

  Answer("sda", "ata.json", 0);
  EXPECT_EQ(SampleValue(collector->Collect(), "smartctl_device_standby", Device("sda")), 0) << "awake again";
}

TEST_F(SmartctlCollectorTest, DiskAsleepFromTheStartHasOnlyItsStandbyMark) {
  Answer("sda", "standby.json", 2);
  Families families = Make()->Collect();
  EXPECT_EQ(SampleValue(families, "smartctl_device_standby", Device("sda")), 1);
  EXPECT_EQ(SeriesCount(families, "smartctl_device"), 2u) << "identity known for nvme0 and the RAID disk only";
  EXPECT_FALSE(SampleValue(families, "smartctl_device_smart_status", Device("sda")));
}

TEST_F(SmartctlCollectorTest, GarbageOrTruncatedOutputFailsOnlyThatDevice) {
  Answer("sda", "garbage.txt", 0);
  Answer("nvme0", "truncated.json", 0);
  Families families = Make()->Collect();
  EXPECT_FALSE(SampleValue(families, "smartctl_device_smart_status", Device("sda")));
  EXPECT_FALSE(SampleValue(families, "smartctl_device_smart_status", Device("nvme0")));
  EXPECT_EQ(SampleValue(families, "smartctl_device_smart_status", Device("bus_0_megaraid_1")), 1);
  EXPECT_EQ(SampleValue(families, "smartctl_device_smartctl_exit_status", Device("sda")), 0);
  EXPECT_EQ(SampleValue(families, "smartctl_devices"), 3);
}

TEST_F(SmartctlCollectorTest, NoReadableDeviceIsTheCollectorsFailure) {
  for (const char* device : {"sda", "nvme0", "0"}) Answer(device, "garbage.txt", 0);
  try {
    Make()->Collect();
    ADD_FAILURE() << "expected a failure";
  } catch (const std::runtime_error& error) {
    EXPECT_STREQ(error.what(), "smartctl could read none of the 3 devices (see the log)");
  }
}

TEST_F(SmartctlCollectorTest, HangingDeviceIsKilledAtItsTimeout) {
  dir_.Write("sda.hang", "");
  auto start = std::chrono::steady_clock::now();
  Families families = Make({{"device-timeout", "500ms"}})->Collect();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_EQ(SampleValue(families, "smartctl_device_smartctl_exit_status", Device("sda")), -1);
  EXPECT_FALSE(SampleValue(families, "smartctl_device_smart_status", Device("sda")));
  EXPECT_EQ(SampleValue(families, "smartctl_device_smart_status", Device("nvme0")), 0);
}

TEST_F(SmartctlCollectorTest, FiltersDevicesByLabel) {
  Families excluded = Make({{"device-exclude", "^nvme"}})->Collect();
  EXPECT_EQ(SampleValue(excluded, "smartctl_devices"), 2);
  EXPECT_FALSE(SampleValue(excluded, "smartctl_device_smartctl_exit_status", Device("nvme0")));
  EXPECT_EQ(Calls().find("/dev/nvme0"), std::string::npos) << "an excluded device is not even asked";

  Families included = Make({{"device-include", "^sda$"}})->Collect();
  EXPECT_EQ(SampleValue(included, "smartctl_devices"), 1);
  EXPECT_TRUE(SampleValue(included, "smartctl_device_smart_status", Device("sda")));
}

TEST_F(SmartctlCollectorTest, RescansOnItsOwnInterval) {
  auto collector = Make({{"scan-ttl", "10m"}});
  EXPECT_EQ(SampleValue(collector->Collect(), "smartctl_devices"), 3);
  dir_.Write("scan.json", R"({"devices": [{"name": "/dev/sda", "type": "sat"}]})");
  clock_.Advance(9min);
  EXPECT_EQ(SampleValue(collector->Collect(), "smartctl_devices"), 3) << "rescanned before its interval";

  clock_.Advance(1min);
  Families families = collector->Collect();
  EXPECT_EQ(SampleValue(families, "smartctl_devices"), 1);
  EXPECT_FALSE(SampleValue(families, "smartctl_device_smartctl_exit_status", Device("nvme0")));
  EXPECT_TRUE(SampleValue(families, "smartctl_version",
                          {{"json_format_version", "1.0"},
                           {"smartctl_version", "7.3"},
                           {"svn_revision", "5338"},
                           {"build_info", "(local build)"}}))
      << "the version of the last scan that had one";

  // A scan that fails later is the collector's failure: the family cache keeps the last good data.
  Scan("garbage.txt");
  clock_.Advance(10min);
  EXPECT_THROW(collector->Collect(), std::exception);
}

TEST_F(SmartctlCollectorTest, FailedFirstScanIsTheCollectorsError) {
  Scan("garbage.txt");
  EXPECT_THROW(Make()->Collect(), std::exception);
  EXPECT_THROW(Make({{"path", dir_.path() + "/absent"}})->Collect(), std::exception);
}

TEST_F(SmartctlCollectorTest, BadOptionsNameTheOption) {
  for (const auto& [option, value] : std::vector<std::pair<std::string, std::string>>{
           {"scan-ttl", "soon"}, {"device-timeout", "0s"}, {"device-include", "("}}) {
    try {
      Make({{option, value}});
      ADD_FAILURE() << option << "=" << value << " accepted";
    } catch (const CollectorOptionError& error) {
      EXPECT_EQ(error.option(), option);
    }
  }
}

TEST(SmartctlCollectorTable, IsOffByDefaultWithSlowDefaults) {
  const CollectorInfo* info = FindCollector("smartctl");
  ASSERT_NE(info, nullptr);
  EXPECT_FALSE(info->enabled_by_default);
  EXPECT_EQ(info->default_ttl, 30min);
}

}  // namespace
}  // namespace hw_exporter::testing

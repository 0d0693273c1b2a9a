#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <map>

#include "collectors/collector_harness.h"
#include "hw_exporter/core/fs.h"
#include "hw_exporter/core/incomplete_refresh.h"
#include "probe/process_hygiene.h"
#include "probe/stand_in.h"
#include "support/fake_clock.h"
#include "support/test_support.h"

namespace hw_exporter::testing {
namespace {

using namespace std::chrono_literals;

Labels Device(const std::string& device) { return {{"device", device}}; }

// The families a refresh publishes: all of them, or, when a disk was not read, those of an incomplete refresh.
Families Published(Collector& collector) {
  try {
    return collector.Collect();
  } catch (IncompleteRefresh& incomplete) {
    return std::move(incomplete.families);
  }
}

// Collects with a stand-in smartctl that answers --scan-open with <dir>/scan.json, and a device's call with
// <dir>/<device basename>.out and the exit status in <dir>/<device basename>.status (hanging while a
// <basename>.hang exists, waiting for others while a <basename>.barrier does). Every call's arguments are appended
// to <dir>/calls.
class SmartctlCollectorTest : public ProcessHygieneTest {
 protected:
  void SetUp() override {
    ProcessHygieneTest::SetUp();
    std::string dir = Quoted(dir_.path());
    program_ =
        WriteStandIn(dir_, "smartctl",
                     "dir=" + dir +
                         "\n"
                         "echo \"$*\" >> \"$dir/calls\"\n"
                         "if [ \"$1\" = --scan-open ]; then cat \"$dir/scan.json\"; exit 0; fi\n"
                         "for last; do :; done\n"
                         "name=$(basename \"$last\")\n"
                         "if [ -e \"$dir/$name.hang\" ]; then sleep 1000; fi\n"
                         // With <basename>.barrier holding N: wait (20 s at most) until N devices are
                         // being probed at once.
                         "if [ -e \"$dir/$name.barrier\" ]; then\n"
                         "  touch \"$dir/$name.started\"; i=0\n"
                         "  while [ $(ls \"$dir\" | grep -c '[.]started$') -lt $(cat \"$dir/$name.barrier\") ] &&"
                         "  [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done\n"
                         "fi\n"
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

// Bits 0 and 1 mean smartctl could not read the device (bad command line, open failed): its data is not new.
TEST_F(SmartctlCollectorTest, ExitStatusBitsTwoToSevenComeWithDataBitsZeroAndOneDoNot) {
  auto collector = Make();
  for (int bit = 0; bit <= 7; ++bit) {
    SCOPED_TRACE("bit " + std::to_string(bit));
    int status = 1 << bit;
    Answer("sda", "ata.json", status);
    Families families = Published(*collector);
    EXPECT_EQ(SampleValue(families, "smartctl_device_smartctl_exit_status", Device("sda")), status);
    EXPECT_EQ(SampleValue(families, "smartctl_device_probe_success", Device("sda")), bit >= 2 ? 1 : 0);
    EXPECT_EQ(SampleValue(families, "smartctl_device_probe_failure", {{"device", "sda"}, {"reason", "exit_status"}})
                  .has_value(),
              bit < 2);
    EXPECT_EQ(SampleValue(families, "smartctl_device_standby", Device("sda")), 0);
    EXPECT_EQ(SampleValue(families, "smartctl_device_smart_status", Device("nvme0")), 0) << "others unaffected";
  }
}

// A disk not read keeps its last data until max-staleness, marked (probe_success 0, the reason, the data's age),
// and the refresh is incomplete: it publishes every disk and says which was not read.
TEST_F(SmartctlCollectorTest, AnUnreadDiskKeepsItsLastDataMarkedUntilMaxStaleness) {
  auto collector = Make();
  EXPECT_EQ(SampleValue(collector->Collect(), "smartctl_device_data_age_seconds", Device("sda")), 0);
  Answer("sda", "open_failed.json", 2);
  clock_.Advance(1h);
  try {
    collector->Collect();
    ADD_FAILURE() << "a refresh that did not read sda is complete";
  } catch (IncompleteRefresh& incomplete) {
    EXPECT_EQ(std::string(incomplete.what())
                  .find("smartctl read 2 of 3 devices; not read: sda: exit_status "
                        "(smartctl exited with status 2: "),
              0u)
        << incomplete.what();
    const Families& families = incomplete.families;
    EXPECT_EQ(SampleValue(families, "smartctl_device_smart_status", Device("sda")), 1) << "kept from before";
    EXPECT_EQ(SampleValue(families, "smartctl_device_data_age_seconds", Device("sda")), 3600);
    EXPECT_EQ(SampleValue(families, "smartctl_device_probe_success", Device("sda")), 0);
    EXPECT_EQ(SampleValue(families, "smartctl_device_probe_failure", {{"device", "sda"}, {"reason", "exit_status"}}),
              1);
    EXPECT_EQ(SampleValue(families, "smartctl_device_smartctl_exit_status", Device("sda")), 2);
    EXPECT_EQ(SampleValue(families, "smartctl_device_probe_success", Device("nvme0")), 1);
    EXPECT_FALSE(SampleValue(families, "smartctl_device_probe_failure",
                             {{"device", "nvme0"}, {"reason", "exit_status"}}));
  }
  ASSERT_EQ(collector->Problems().size(), 1u);
  EXPECT_EQ(collector->Problems()[0].find("sda: exit_status (smartctl exited with status 2"), 0u);

  clock_.Advance(1h + 1s);  // past the default max-staleness, four TTLs
  Families families = Published(*collector);
  EXPECT_FALSE(SampleValue(families, "smartctl_device_smart_status", Device("sda")));
  EXPECT_FALSE(SampleValue(families, "smartctl_device_data_age_seconds", Device("sda")));
  EXPECT_EQ(SampleValue(families, "smartctl_devices"), 3) << "the device is still listed";

  Answer("sda", "ata.json", 0);
  EXPECT_EQ(SampleValue(collector->Collect(), "smartctl_device_probe_success", Device("sda")), 1) << "read again";
  EXPECT_TRUE(collector->Problems().empty());
}

TEST_F(SmartctlCollectorTest, DiskInStandbyKeepsItsLastDataMarked) {
  auto collector = Make();
  collector->Collect();
  Answer("sda", "standby.json", 2);
  Families families = collector->Collect();
  EXPECT_EQ(SampleValue(families, "smartctl_device_standby", Device("sda")), 1);
  EXPECT_EQ(SampleValue(families, "smartctl_device_probe_success", Device("sda")), 1) << "smartctl answered";
  EXPECT_EQ(SampleValue(families, "smartctl_device_power_mode", {{"device", "sda"}, {"power_mode", "STANDBY"}}), 1);
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
  Families families = Published(*Make());
  EXPECT_FALSE(SampleValue(families, "smartctl_device_smart_status", Device("sda")));
  EXPECT_FALSE(SampleValue(families, "smartctl_device_smart_status", Device("nvme0")));
  EXPECT_EQ(SampleValue(families, "smartctl_device_probe_failure", {{"device", "nvme0"}, {"reason", "unparsable"}}), 1);
  EXPECT_EQ(SampleValue(families, "smartctl_device_smart_status", Device("bus_0_megaraid_1")), 1);
  EXPECT_EQ(SampleValue(families, "smartctl_device_smartctl_exit_status", Device("sda")), 0);
  EXPECT_EQ(SampleValue(families, "smartctl_devices"), 3);
}

TEST_F(SmartctlCollectorTest, NoReadableDeviceIsAnIncompleteRefresh) {
  for (const char* device : {"sda", "nvme0", "0"}) Answer(device, "garbage.txt", 0);
  try {
    Make()->Collect();
    ADD_FAILURE() << "expected a failure";
  } catch (const IncompleteRefresh& error) {
    EXPECT_EQ(std::string(error.what())
                  .find("smartctl read 0 of 3 devices; not read: bus_0_megaraid_1: unparsable "
                        "(smartctl: not valid JSON"),
              0u)
        << error.what();
  }
}

TEST_F(SmartctlCollectorTest, HangingDeviceIsKilledAtItsTimeout) {
  dir_.Write("sda.hang", "");
  auto start = std::chrono::steady_clock::now();
  Families families = Published(*Make({{"device-timeout", "500ms"}}));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_EQ(SampleValue(families, "smartctl_device_smartctl_exit_status", Device("sda")), -1);
  EXPECT_EQ(SampleValue(families, "smartctl_device_probe_failure", {{"device", "sda"}, {"reason", "timeout"}}), 1);
  EXPECT_FALSE(SampleValue(families, "smartctl_device_smart_status", Device("sda")));
  EXPECT_EQ(SampleValue(families, "smartctl_device_smart_status", Device("nvme0")), 0);
}

// Disks are probed side by side: each of the three waits until all three are being probed, which one at a time
// would never be (each would time out instead).
TEST_F(SmartctlCollectorTest, ProbesDisksSideBySide) {
  for (const char* device : {"sda", "nvme0", "0"}) dir_.Write(std::string(device) + ".barrier", "3");
  CollectorHarness harness(dir_.path(), clock_, /*max_processes=*/3);
  Families families = harness.Make("smartctl", {{"path", program_}, {"device-timeout", "10s"}})->Collect();
  for (const char* device : {"sda", "nvme0", "bus_0_megaraid_1"})
    EXPECT_EQ(SampleValue(families, "smartctl_device_probe_success", Device(device)), 1) << device;
}

// Disks that answer, hang, fail with an exit status bit or print garbage, in one refresh: each gets its reason,
// and those that answered are published.
TEST_F(SmartctlCollectorTest, EveryKindOfDiskInOneRefresh) {
  dir_.Write("scan.json", R"({"devices": [{"name": "/dev/sda", "type": "sat"}, {"name": "/dev/sdb", "type": "sat"},
    {"name": "/dev/sdc", "type": "sat"}, {"name": "/dev/sdd", "type": "sat"}, {"name": "/dev/nvme0", "type": "nvme"}]})");
  dir_.Write("sdb.hang", "");
  Answer("sdb", "ata.json", 0);
  Answer("sdc", "open_failed.json", 2);
  Answer("sdd", "garbage.txt", 0);
  CollectorHarness harness(dir_.path(), clock_, /*max_processes=*/2);
  auto collector = harness.Make("smartctl", {{"path", program_}, {"device-timeout", "3s"}});
  Families families;
  try {
    collector->Collect();
    ADD_FAILURE() << "complete";
  } catch (IncompleteRefresh& incomplete) {
    EXPECT_EQ(std::string(incomplete.what()).find("smartctl read 2 of 5 devices; not read: sdb: timeout"), 0u)
        << incomplete.what();
    families = std::move(incomplete.families);
  }
  const std::map<std::string, std::string> reasons{{"sdb", "timeout"}, {"sdc", "exit_status"}, {"sdd", "unparsable"}};
  for (const auto& [device, reason] : reasons) {
    EXPECT_EQ(SampleValue(families, "smartctl_device_probe_failure", {{"device", device}, {"reason", reason}}), 1)
        << device;
    EXPECT_EQ(SampleValue(families, "smartctl_device_probe_success", Device(device)), 0) << device;
  }
  EXPECT_EQ(SampleValue(families, "smartctl_device_smart_status", Device("sda")), 1);
  EXPECT_EQ(SampleValue(families, "smartctl_device_smart_status", Device("nvme0")), 0);
  EXPECT_EQ(harness.runner().running(), 0);
}

// No probe outlives its refresh: a disk that hangs is killed when what is left of the collector's timeout runs
// out, though its own device-timeout is longer, and the disks read in time are published.
TEST_F(SmartctlCollectorTest, NoProbeOutlivesItsRefresh) {
  dir_.Write("sda.hang", "");
  CollectorContext context = harness_.Context("smartctl", {{"path", program_}, {"device-timeout", "1h"}});
  context.timeout = 2s;
  auto collector = FindCollector("smartctl")->factory(context);
  Families families = Published(*collector);
  EXPECT_EQ(harness_.runner().running(), 0) << "a probe is still running after its refresh";
  EXPECT_EQ(SampleValue(families, "smartctl_device_probe_failure", {{"device", "sda"}, {"reason", "timeout"}}), 1);
  EXPECT_EQ(SampleValue(families, "smartctl_device_probe_success", Device("nvme0")), 1);
}

// A disk that keeps timing out is skipped for 1, 3, 7, then 15 refreshes, so that it does not hold a probe place
// at every refresh; the back-off shows in a gauge and in the collector's problems, and ends once it answers.
TEST_F(SmartctlCollectorTest, ADiskThatKeepsHangingIsBackedOff) {
  dir_.Write("scan.json", R"({"devices": [{"name": "/dev/sda", "type": "sat"}]})");
  dir_.Write("sda.hang", "");
  auto collector = Make({{"device-timeout", "1s"}});
  auto sda_calls = [&] {
    std::string calls = Calls();
    size_t count = 0;
    for (size_t at = calls.find("/dev/sda\n"); at != std::string::npos; at = calls.find("/dev/sda\n", at + 1)) ++count;
    return count;
  };
  auto skipped = [&](const Families& families) {
    return SampleValue(families, "smartctl_device_probe_skipped_refreshes", Device("sda")).value_or(-1);
  };
  // Probed and timed out, probed and timed out: skipped for one refresh.
  EXPECT_EQ(skipped(Published(*collector)), 0);
  EXPECT_EQ(skipped(Published(*collector)), 1);
  Families backed_off = Published(*collector);
  EXPECT_EQ(SampleValue(backed_off, "smartctl_device_probe_failure", {{"device", "sda"}, {"reason", "backed_off"}}), 1);
  EXPECT_EQ(sda_calls(), 2u);
  // The third timeout in a row: three refreshes skipped.
  EXPECT_EQ(skipped(Published(*collector)), 3);
  EXPECT_EQ(collector->Problems(),
            std::vector<std::string>{
                "sda: timeout (timed out after 1s; its process group was killed), skipped for the next 3 refreshes"});
  for (int left = 2; left >= 0; --left) EXPECT_EQ(skipped(Published(*collector)), left);
  EXPECT_EQ(sda_calls(), 3u);

  std::filesystem::remove(dir_.path() + "/sda.hang");
  Families families = collector->Collect();
  EXPECT_EQ(SampleValue(families, "smartctl_device_probe_success", Device("sda")), 1);
  EXPECT_EQ(skipped(families), 0);
  EXPECT_EQ(sda_calls(), 4u);
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

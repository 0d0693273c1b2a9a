#include <gtest/gtest.h>

#include "collectors/collector_harness.h"
#include "support/test_support.h"

namespace hw_exporter::testing {
namespace {

Labels Device(const std::string& device) { return {{"device", device}}; }

Families Collect(const std::map<std::string, std::string>& options = {}) {
  CollectorHarness harness(Fixture("storage_network"));
  return harness.Make("diskstats", options)->Collect();
}

TEST(DiskstatsCollector, ConvertsSectorsToBytesAndTicksToSeconds) {
  Families families = Collect();
  EXPECT_EQ(SampleValue(families, "node_disk_reads_completed_total", Device("sda")), 1000);
  EXPECT_EQ(SampleValue(families, "node_disk_read_bytes_total", Device("sda")), 40000.0 * 512);
  EXPECT_EQ(SampleValue(families, "node_disk_written_bytes_total", Device("sda")), 80000.0 * 512);
  EXPECT_EQ(SampleValue(families, "node_disk_read_time_seconds_total", Device("sda")), 1.5);
  EXPECT_EQ(SampleValue(families, "node_disk_io_now", Device("sda")), 3);
  EXPECT_EQ(SampleValue(families, "node_disk_io_time_weighted_seconds_total", Device("sda")), 4.1);
  EXPECT_EQ(FindFamily(families, "node_disk_io_now")->type, prometheus::MetricType::Gauge);
  EXPECT_EQ(FindFamily(families, "node_disk_reads_completed_total")->type, prometheus::MetricType::Counter);
}

TEST(DiskstatsCollector, ExportsTheStatisticsEachLineHas) {
  Families families = Collect();
  EXPECT_EQ(SeriesCount(families, "node_disk_reads_completed_total"), 5u);
  EXPECT_EQ(SeriesCount(families, "node_disk_discards_completed_total"), 3u);
  EXPECT_EQ(SeriesCount(families, "node_disk_flush_requests_total"), 2u);
  EXPECT_FALSE(SampleValue(families, "node_disk_discards_completed_total", Device("sda")));
  // Discarded sectors stay in sectors, as in node_exporter.
  EXPECT_EQ(SampleValue(families, "node_disk_discarded_sectors_total", Device("dm-0")), 56);
  EXPECT_DOUBLE_EQ(SampleValue(families, "node_disk_discard_time_seconds_total", Device("dm-0")).value_or(-1), 0.009);
  EXPECT_EQ(SampleValue(families, "node_disk_flush_requests_total", Device("nvme0n1")), 15);
  EXPECT_EQ(SampleValue(families, "node_disk_flush_requests_time_seconds_total", Device("sdaa")), 0.017);
  EXPECT_EQ(SampleValue(families, "node_disk_reads_completed_total", Device("nvme0n1")), 18446744073709551615.0);
}

TEST(DiskstatsCollector, ExcludesPartitionsAndVirtualDevicesByDefault) {
  Families families = Collect();
  for (const char* device : {"loop0", "sda1", "nvme0n1p1", "sda2"}) {
    EXPECT_FALSE(SampleValue(families, "node_disk_reads_completed_total", Device(device))) << device;
  }
  EXPECT_TRUE(SampleValue(families, "node_disk_reads_completed_total", Device("cciss!c0d0")));
}

TEST(DiskstatsCollector, InfoCarriesUdevIdentityAndIsEmptyWithoutAnEntry) {
  Families families = Collect();
  EXPECT_EQ(SampleValue(families, "node_disk_info",
                        {{"device", "sda"},
                         {"major", "8"},
                         {"minor", "0"},
                         {"path", "pci-0000:00:17.0-ata-1"},
                         {"wwn", "0x5000000000000001"},
                         {"model", "EXAMPLE_SSD"},
                         {"serial", "S123"},
                         {"revision", "1.0"}}),
            1);
  EXPECT_EQ(SampleValue(families, "node_disk_info",
                        {{"device", "cciss!c0d0"},
                         {"major", "104"},
                         {"minor", "0"},
                         {"path", ""},
                         {"wwn", ""},
                         {"model", ""},
                         {"serial", ""},
                         {"revision", ""}}),
            1);
  EXPECT_EQ(SeriesCount(families, "node_disk_info"), 5u);
}

TEST(DiskstatsCollector, ExportsFilesystemDeviceMapperAndAtaPropertiesWhereUdevHasThem) {
  Families families = Collect();
  EXPECT_EQ(SampleValue(families, "node_disk_filesystem_info",
                        {{"device", "dm-0"},
                         {"type", "ext4"},
                         {"usage", "filesystem"},
                         {"uuid", "1111-2222"},
                         {"version", "1.0"}}),
            1);
  EXPECT_EQ(SeriesCount(families, "node_disk_filesystem_info"), 2u);
  EXPECT_EQ(SampleValue(families, "node_disk_device_mapper_info",
                        {{"device", "dm-0"},
                         {"name", "vg0-root"},
                         {"uuid", "LVM-abc"},
                         {"vg_name", "vg0"},
                         {"lv_name", "root"},
                         {"lv_layer", ""}}),
            1);
  EXPECT_EQ(SeriesCount(families, "node_disk_device_mapper_info"), 1u);
  EXPECT_EQ(SampleValue(families, "node_disk_ata_write_cache_enabled", Device("sda")), 1);
  EXPECT_EQ(SampleValue(families, "node_disk_ata_rotation_rate_rpm", Device("sda")), 0);
  // nvme0n1's entry has a rotation rate but is not an ATA disk.
  EXPECT_EQ(SeriesCount(families, "node_disk_ata_rotation_rate_rpm"), 1u);
}

TEST(DiskstatsCollector, IncludeReplacesTheDefaultExclude) {
  Families families = Collect({{"device-include", "^(sda1|loop0)$"}});
  EXPECT_EQ(SeriesCount(families, "node_disk_reads_completed_total"), 2u);
  EXPECT_TRUE(SampleValue(families, "node_disk_reads_completed_total", Device("loop0")));
}

TEST(DiskstatsCollector, ExcludeAndIncludeAreMutuallyExclusive) {
  CollectorHarness harness(Fixture("storage_network"));
  try {
    harness.Make("diskstats", {{"device-include", "^sd"}, {"device-exclude", "^loop"}});
    FAIL() << "expected a CollectorOptionError";
  } catch (const CollectorOptionError& error) {
    EXPECT_EQ(error.option(), "device-include");
  }
}

TEST(DiskstatsCollector, RejectsAnInvalidPattern) {
  CollectorHarness harness(Fixture("storage_network"));
  try {
    harness.Make("diskstats", {{"device-exclude", "(sd"}});
    FAIL() << "expected a CollectorOptionError";
  } catch (const CollectorOptionError& error) {
    EXPECT_EQ(error.option(), "device-exclude");
  }
}

TEST(DiskstatsCollector, FailsWithoutDiskstats) {
  TempDir root;
  CollectorHarness harness(root.path());
  EXPECT_THROW(harness.Make("diskstats")->Collect(), std::exception);
}

// The values node_exporter 1.5.0 reports for the same capture.
TEST(DiskstatsCollector, MatchesNodeExporterOnARealCapture) {
  const std::string root = NodeTree();
  if (root.empty()) GTEST_SKIP() << kNoNodeTree;
  CollectorHarness harness(root);
  Families families = harness.Make("diskstats")->Collect();
  size_t series = 0;
  for (const auto& family : families) series += family.metric.size();
  EXPECT_EQ(series, 215u);
  EXPECT_EQ(SampleValue(families, "node_disk_flush_requests_time_seconds_total", Device("sdc")), 1.944);
  EXPECT_EQ(SampleValue(families, "node_disk_read_bytes_total", Device("vda")), 1.6727491584e+10);
  EXPECT_EQ(SampleValue(families, "node_disk_ata_rotation_rate_rpm", Device("sda")), 7200);
  EXPECT_EQ(SeriesCount(families, "node_disk_device_mapper_info"), 6u);
  EXPECT_EQ(SeriesCount(families, "node_disk_filesystem_info"), 10u);
}

}  // namespace
}  // namespace hw_exporter::testing

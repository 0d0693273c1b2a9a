#include <gtest/gtest.h>

#include "collectors/collector_harness.h"
#include "support/test_support.h"

namespace hw_exporter::testing {
namespace {

TEST(NvmeCollector, ExportsOneInfoSeriesPerController) {
  CollectorHarness harness(Fixture("platform"));
  Families families = harness.Make("nvme")->Collect();
  ASSERT_NE(FindFamily(families, "node_nvme_info"), nullptr);
  EXPECT_EQ(FindFamily(families, "node_nvme_info")->type, prometheus::MetricType::Gauge);
  EXPECT_EQ(SeriesCount(families, "node_nvme_info"), 2u);  // not the nvme-fabrics control device
  EXPECT_EQ(SampleValue(families, "node_nvme_info",
                        {{"device", "nvme0"},
                         {"firmware_revision", "GPJA0B3Q"},
                         {"model", "SAMSUNG MZVL2512HCJQ-00BL7"},
                         {"serial", "S64KNX0T123456"},
                         {"state", "live"}}),
            1);
  EXPECT_EQ(SampleValue(families, "node_nvme_info",
                        {{"device", "nvme1"},
                         {"firmware_revision", "4.0"},
                         {"model", "WD_BLACK SN850X 2000GB"},
                         {"serial", "22517C800123"},
                         {"state", "resetting"}}),
            1);
}

TEST(NvmeCollector, NoNvmeMeansNoSeries) {
  TempDir root;
  CollectorHarness harness(root.path());
  EXPECT_TRUE(harness.Make("nvme")->Collect().empty());
}

}  // namespace
}  // namespace hw_exporter::testing

#include <gtest/gtest.h>

#include "collectors/collector_harness.h"
#include "support/test_support.h"

namespace hw_exporter::testing {
namespace {

TEST(EdacCollector, ExportsControllerAndCsrowCounters) {
  CollectorHarness harness(Fixture("platform"));
  Families families = harness.Make("edac")->Collect();
  EXPECT_EQ(SampleValue(families, "node_edac_correctable_errors_total", {{"controller", "0"}}), 7);
  EXPECT_EQ(SampleValue(families, "node_edac_uncorrectable_errors_total", {{"controller", "1"}}), 3);
  EXPECT_EQ(SampleValue(families, "node_edac_csrow_correctable_errors_total", {{"controller", "0"}, {"csrow", "0"}}),
            5);
  EXPECT_EQ(SampleValue(families, "node_edac_csrow_uncorrectable_errors_total", {{"controller", "0"}, {"csrow", "0"}}),
            1);
  for (const char* name : {"node_edac_correctable_errors_total", "node_edac_uncorrectable_errors_total",
                           "node_edac_csrow_correctable_errors_total", "node_edac_csrow_uncorrectable_errors_total"}) {
    ASSERT_NE(FindFamily(families, name), nullptr) << name;
    EXPECT_EQ(FindFamily(families, name)->type, prometheus::MetricType::Counter) << name;
  }
  // Two controllers; csrow series: mc0 has csrow0, csrow1 and "unknown", mc1 only "unknown".
  EXPECT_EQ(SeriesCount(families, "node_edac_correctable_errors_total"), 2u);
  EXPECT_EQ(SeriesCount(families, "node_edac_csrow_correctable_errors_total"), 4u);
  EXPECT_EQ(SeriesCount(families, "node_edac_csrow_uncorrectable_errors_total"), 4u);
}

TEST(EdacCollector, CountsErrorsWithoutARowUnderCsrowUnknown) {
  CollectorHarness harness(Fixture("platform"));
  Families families = harness.Make("edac")->Collect();
  EXPECT_EQ(SampleValue(families, "node_edac_csrow_correctable_errors_total",
                        {{"controller", "0"}, {"csrow", "unknown"}}),
            2);
  EXPECT_EQ(SampleValue(families, "node_edac_csrow_uncorrectable_errors_total",
                        {{"controller", "1"}, {"csrow", "unknown"}}),
            3);
}

TEST(EdacCollector, NoEdacMeansNoSeries) {
  TempDir root;
  CollectorHarness harness(root.path());
  EXPECT_TRUE(harness.Make("edac")->Collect().empty());
}

TEST(EdacCollector, BrokenControllerFailsTheCollection) {
  TempDir root;
  root.Write("sys/devices/system/edac/mc/mc0/ce_count", "oops\n");
  CollectorHarness harness(root.path());
  EXPECT_THROW(harness.Make("edac")->Collect(), std::runtime_error);
}

}  // namespace
}  // namespace hw_exporter::testing

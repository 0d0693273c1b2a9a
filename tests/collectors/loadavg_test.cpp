#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "collectors/collector_harness.h"
#include "support/test_support.h"

namespace hw_exporter::testing {
namespace {

TEST(LoadavgCollector, ExportsThreeGauges) {
  CollectorHarness harness(Fixture("host_a"));
  Families families = harness.Make("loadavg")->Collect();
  ASSERT_EQ(families.size(), 3u);
  EXPECT_EQ(SampleValue(families, "node_load1"), 1.5);
  EXPECT_EQ(SampleValue(families, "node_load5"), 0.75);
  EXPECT_EQ(SampleValue(families, "node_load15"), 0.25);
  EXPECT_EQ(FindFamily(families, "node_load1")->type, prometheus::MetricType::Gauge);
}

TEST(LoadavgCollector, MissingFileIsAnErrorNamingIt) {
  TempDir root;
  CollectorHarness harness(root.path());
  EXPECT_THAT(CollectError(*harness.Make("loadavg")), ::testing::HasSubstr(root.path() + "/proc/loadavg"));
}

TEST(LoadavgCollector, MatchesNodeExporterOnTheSharedCapture) {
  std::string root = NodeTree();
  if (root.empty()) GTEST_SKIP() << kNoNodeTree;
  CollectorHarness harness(root);
  Families families = harness.Make("loadavg")->Collect();
  EXPECT_EQ(SampleValue(families, "node_load1"), 0.21);
  EXPECT_EQ(SampleValue(families, "node_load15"), 0.39);
}

}  // namespace
}  // namespace hw_exporter::testing

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "collectors/collector_harness.h"
#include "support/test_support.h"

namespace hw_exporter::testing {
namespace {

TEST(StatCollector, ExportsKernelActivity) {
  CollectorHarness harness(Fixture("host_a"));
  Families families = harness.Make("stat")->Collect();
  EXPECT_EQ(families.size(), 6u);
  EXPECT_EQ(SampleValue(families, "node_intr_total"), 123456.0);
  EXPECT_EQ(SampleValue(families, "node_context_switches_total"), 987654.0);
  EXPECT_EQ(SampleValue(families, "node_forks_total"), 4321.0);
  EXPECT_EQ(SampleValue(families, "node_boot_time_seconds"), 1700000000.0);
  EXPECT_EQ(SampleValue(families, "node_procs_running"), 3.0);
  EXPECT_EQ(SampleValue(families, "node_procs_blocked"), 1.0);
  EXPECT_EQ(FindFamily(families, "node_forks_total")->type, prometheus::MetricType::Counter);
  EXPECT_EQ(FindFamily(families, "node_boot_time_seconds")->type, prometheus::MetricType::Gauge);
  // Off by default, as in node_exporter.
  EXPECT_FALSE(FindFamily(families, "node_softirqs_total"));
}

TEST(StatCollector, SoftirqsPerVectorWhenAskedFor) {
  CollectorHarness harness(Fixture("host_a"));
  Families families = harness.Make("stat", {{"softirq", "true"}})->Collect();
  EXPECT_EQ(SeriesCount(families, "node_softirqs_total"), 10u);
  EXPECT_EQ(SampleValue(families, "node_softirqs_total", {{"vector", "hi"}}), 1.0);
  EXPECT_EQ(SampleValue(families, "node_softirqs_total", {{"vector", "net_rx"}}), 400.0);
  EXPECT_EQ(SampleValue(families, "node_softirqs_total", {{"vector", "rcu"}}), 75.0);
}

TEST(StatCollector, LinesTheKernelDidNotPrintGiveNoSeries) {
  TempDir root;
  root.Write("proc/stat", "cpu 1 2 3 4\nctxt 5\n");
  CollectorHarness harness(root.path());
  Families families = harness.Make("stat")->Collect();
  ASSERT_EQ(families.size(), 1u);
  EXPECT_EQ(SampleValue(families, "node_context_switches_total"), 5.0);
}

TEST(StatCollector, MissingOrMalformedFileIsAnError) {
  TempDir root;
  CollectorHarness harness(root.path());
  EXPECT_THAT(CollectError(*harness.Make("stat")), ::testing::HasSubstr("/proc/stat"));
  root.Write("proc/stat", "ctxt 5\nbtime soon\n");
  EXPECT_THAT(CollectError(*harness.Make("stat")), ::testing::HasSubstr("/proc/stat:2: "));
}

TEST(StatCollector, MatchesNodeExporterOnTheSharedCapture) {
  std::string root = NodeTree();
  if (root.empty()) GTEST_SKIP() << kNoNodeTree;
  CollectorHarness harness(root);
  Families families = harness.Make("stat", {{"softirq", "true"}})->Collect();
  EXPECT_EQ(families.size(), 7u);
  EXPECT_EQ(SampleValue(families, "node_intr_total"), 8885917.0);
  EXPECT_EQ(SampleValue(families, "node_boot_time_seconds"), 1418183276.0);
  EXPECT_EQ(SampleValue(families, "node_softirqs_total", {{"vector", "rcu"}}), 508444.0);
}

}  // namespace
}  // namespace hw_exporter::testing

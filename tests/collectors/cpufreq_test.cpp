#include <gtest/gtest.h>

#include "collectors/collector_harness.h"
#include "support/test_support.h"

namespace hw_exporter {
namespace {

using testing::CollectorHarness;
using testing::SampleValue;
using testing::SeriesCount;

TEST(CpufreqCollector, KilohertzBecomeHertz) {
  CollectorHarness harness(testing::Fixture("sensors"));
  Families families = harness.Make("cpufreq")->Collect();
  EXPECT_EQ(SampleValue(families, "node_cpu_frequency_hertz", {{"cpu", "0"}}), 1.8e9);
  EXPECT_EQ(SampleValue(families, "node_cpu_frequency_min_hertz", {{"cpu", "0"}}), 4e8);
  EXPECT_EQ(SampleValue(families, "node_cpu_frequency_max_hertz", {{"cpu", "1"}}), 3.6e9);
  EXPECT_EQ(SampleValue(families, "node_cpu_scaling_frequency_hertz", {{"cpu", "0"}}), 1.799998e9);
  EXPECT_EQ(SampleValue(families, "node_cpu_scaling_frequency_min_hertz", {{"cpu", "1"}}), 8e8);
  EXPECT_EQ(SampleValue(families, "node_cpu_scaling_frequency_max_hertz", {{"cpu", "1"}}), 3.6e9);
  // cpu1's cpuinfo_cur_freq is absent (root-only on most systems): no series rather than a zero.
  EXPECT_EQ(SeriesCount(families, "node_cpu_frequency_hertz"), 1u);
  EXPECT_EQ(SeriesCount(families, "node_cpu_scaling_frequency_hertz"), 2u);
}

TEST(CpufreqCollector, SharedCaptureMatchesNodeExporter) {
  std::string root = testing::NodeTree();
  if (root.empty()) GTEST_SKIP() << testing::kNoNodeTree;
  CollectorHarness harness(root);
  Families families = harness.Make("cpufreq")->Collect();
  EXPECT_EQ(SampleValue(families, "node_cpu_scaling_frequency_hertz", {{"cpu", "0"}}), 1.699981e9);
  EXPECT_EQ(SampleValue(families, "node_cpu_scaling_frequency_hertz", {{"cpu", "3"}}), 8e6);
  EXPECT_EQ(SampleValue(families, "node_cpu_scaling_frequency_max_hertz", {{"cpu", "2"}}), 4.2e9);
  EXPECT_EQ(SampleValue(families, "node_cpu_scaling_frequency_min_hertz", {{"cpu", "2"}}), 1e6);
  EXPECT_EQ(SeriesCount(families, "node_cpu_scaling_frequency_min_hertz"), 4u);
  EXPECT_EQ(SeriesCount(families, "node_cpu_frequency_hertz"), 0u);
}

}  // namespace
}  // namespace hw_exporter

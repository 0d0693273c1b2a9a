#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "collectors/collector_harness.h"
#include "support/test_support.h"

namespace hw_exporter::testing {
namespace {

TEST(PressureCollector, ExportsNodeExportersSeriesInSeconds) {
  CollectorHarness harness(Fixture("host_a"));
  Families families = harness.Make("pressure")->Collect();
  EXPECT_EQ(families.size(), 5u);
  EXPECT_EQ(SampleValue(families, "node_pressure_cpu_waiting_seconds_total"), 2.5);
  EXPECT_EQ(SampleValue(families, "node_pressure_io_waiting_seconds_total"), 159886802.0 / 1000.0 / 1000.0);
  EXPECT_EQ(SampleValue(families, "node_pressure_io_stalled_seconds_total"), 159229614.0 / 1000.0 / 1000.0);
  EXPECT_EQ(SampleValue(families, "node_pressure_memory_waiting_seconds_total"), 3.0);
  EXPECT_EQ(SampleValue(families, "node_pressure_memory_stalled_seconds_total"), 1.0);
  // node_exporter 1.5 has no series for the "full" line of cpu.
  EXPECT_FALSE(FindFamily(families, "node_pressure_cpu_stalled_seconds_total"));
  EXPECT_EQ(FindFamily(families, "node_pressure_cpu_waiting_seconds_total")->type, prometheus::MetricType::Counter);
}

TEST(PressureCollector, NoPressureDirectoryMeansNoSeriesAndNoError) {
  TempDir root;
  root.Write("proc/stat", "ctxt 1\n");
  CollectorHarness harness(root.path());
  EXPECT_TRUE(harness.Make("pressure")->Collect().empty());
}

TEST(PressureCollector, AResourceWithoutAFileIsSkipped) {
  TempDir root;
  root.Write("proc/pressure/memory",
             "some avg10=0 avg60=0 avg300=0 total=2000000\n"
             "full avg10=0 avg60=0 avg300=0 total=1000000\n");
  CollectorHarness harness(root.path());
  Families families = harness.Make("pressure")->Collect();
  EXPECT_EQ(families.size(), 2u);
  EXPECT_EQ(SampleValue(families, "node_pressure_memory_waiting_seconds_total"), 2.0);
}

TEST(PressureCollector, MalformedFileIsAnErrorNamingFileAndLine) {
  TempDir root;
  root.Write("proc/pressure/io", "some avg10=0 avg60=0 avg300=0 total=1\nfull garbage\n");
  CollectorHarness harness(root.path());
  EXPECT_THAT(CollectError(*harness.Make("pressure")), ::testing::HasSubstr("/proc/pressure/io:2: "));
}

TEST(PressureCollector, MatchesNodeExporterOnTheSharedCapture) {
  std::string root = NodeTree();
  if (root.empty()) GTEST_SKIP() << kNoNodeTree;
  CollectorHarness harness(root);
  Families families = harness.Make("pressure")->Collect();
  EXPECT_EQ(families.size(), 5u);  // the irq file is not read by node_exporter 1.5
  EXPECT_EQ(SampleValue(families, "node_pressure_cpu_waiting_seconds_total"), 14.036781000000001);
  EXPECT_EQ(SampleValue(families, "node_pressure_io_stalled_seconds_total"), 159.229614);
}

}  // namespace
}  // namespace hw_exporter::testing

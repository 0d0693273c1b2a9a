#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "collectors/collector_harness.h"
#include "support/test_support.h"

namespace hw_exporter::testing {
namespace {

Labels CpuMode(const std::string& cpu, const std::string& mode) { return {{"cpu", cpu}, {"mode", mode}}; }

TEST(CpuCollector, ExportsEveryModeOfEveryOnlineCpu) {
  CollectorHarness harness(Fixture("host_a"));
  Families families = harness.Make("cpu")->Collect();
  EXPECT_EQ(SeriesCount(families, "node_cpu_seconds_total"), 3u * 8u);
  EXPECT_EQ(SampleValue(families, "node_cpu_seconds_total", CpuMode("3", "user")), 4.0);
  EXPECT_EQ(SampleValue(families, "node_cpu_seconds_total", CpuMode("0", "steal")), 0.03);
  // cpu2 is offline: it has no line in /proc/stat and gets no series.
  EXPECT_FALSE(SampleValue(families, "node_cpu_seconds_total", CpuMode("2", "user")));
  EXPECT_EQ(FindFamily(families, "node_cpu_seconds_total")->type, prometheus::MetricType::Counter);
}

TEST(CpuCollector, ExportsGuestTimeApartUnlessDisabled) {
  CollectorHarness harness(Fixture("host_a"));
  Families families = harness.Make("cpu")->Collect();
  EXPECT_EQ(SeriesCount(families, "node_cpu_guest_seconds_total"), 3u * 2u);
  EXPECT_EQ(SampleValue(families, "node_cpu_guest_seconds_total", CpuMode("0", "user")), 0.2);
  EXPECT_EQ(SampleValue(families, "node_cpu_guest_seconds_total", CpuMode("0", "nice")), 0.01);

  Families without = harness.Make("cpu", {{"guest", "false"}})->Collect();
  EXPECT_FALSE(FindFamily(without, "node_cpu_guest_seconds_total"));
}

TEST(CpuCollector, RejectsANonBooleanOption) {
  CollectorHarness harness(Fixture("host_a"));
  EXPECT_THROW(harness.Make("cpu", {{"guest", "yes"}}), CollectorOptionError);
}

TEST(CpuCollector, CountersNeverGoBackwardsAcrossRefreshes) {
  TempDir root;
  CollectorHarness harness(root.path());
  root.Write("proc/stat", "cpu0 100 0 50 100000 900 0 0 0 0 0\n");
  auto collector = harness.Make("cpu");
  collector->Collect();
  // iowait went down by 1 s (sampled racily by the kernel), user went up.
  root.Write("proc/stat", "cpu0 120 0 50 100010 800 0 0 0 0 0\n");
  Families second = collector->Collect();
  EXPECT_EQ(SampleValue(second, "node_cpu_seconds_total", CpuMode("0", "iowait")), 9.0);
  EXPECT_EQ(SampleValue(second, "node_cpu_seconds_total", CpuMode("0", "user")), 1.2);
  EXPECT_EQ(SampleValue(second, "node_cpu_seconds_total", CpuMode("0", "idle")), 1000.1);
}

TEST(CpuCollector, SmallIdleDropIsHeldButALargeOneMeansHotplug) {
  TempDir root;
  CollectorHarness harness(root.path());
  root.Write("proc/stat", "cpu0 100 0 50 100000 900 0 0 0 0 0\n");
  auto collector = harness.Make("cpu");
  collector->Collect();
  root.Write("proc/stat", "cpu0 100 0 50 99900 900 0 0 0 0 0\n");  // idle 1 s lower: held at 1000
  EXPECT_EQ(SampleValue(collector->Collect(), "node_cpu_seconds_total", CpuMode("0", "idle")), 1000.0);
  root.Write("proc/stat", "cpu0 5 0 2 100 1 0 0 0 0 0\n");  // idle 999 s lower: the CPU was replugged
  Families replugged = collector->Collect();
  EXPECT_EQ(SampleValue(replugged, "node_cpu_seconds_total", CpuMode("0", "idle")), 1.0);
  EXPECT_EQ(SampleValue(replugged, "node_cpu_seconds_total", CpuMode("0", "user")), 0.05);
}

TEST(CpuCollector, ACpuThatGoesOfflineStartsAfreshWhenItReturns) {
  TempDir root;
  CollectorHarness harness(root.path());
  root.Write("proc/stat", "cpu0 100 0 0 500 0 0 0 0 0 0\ncpu1 100 0 0 500 0 0 0 0 0 0\n");
  auto collector = harness.Make("cpu");
  collector->Collect();
  root.Write("proc/stat", "cpu0 110 0 0 510 0 0 0 0 0 0\n");
  Families offline = collector->Collect();
  EXPECT_FALSE(SampleValue(offline, "node_cpu_seconds_total", CpuMode("1", "user")));
  root.Write("proc/stat", "cpu0 120 0 0 520 0 0 0 0 0 0\ncpu1 50 0 0 499 0 0 0 0 0 0\n");
  Families back = collector->Collect();
  EXPECT_EQ(SampleValue(back, "node_cpu_seconds_total", CpuMode("1", "user")), 0.5);
}

TEST(CpuCollector, MissingProcStatIsAnErrorNamingTheFile) {
  TempDir root;
  CollectorHarness harness(root.path());
  EXPECT_THAT(CollectError(*harness.Make("cpu")), ::testing::HasSubstr(root.path() + "/proc/stat"));
}

}  // namespace
}  // namespace hw_exporter::testing

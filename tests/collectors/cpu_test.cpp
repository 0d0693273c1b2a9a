#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "collectors/collector_harness.h"
#include "hw_exporter/core/strings.h"
#include "support/test_support.h"

namespace hw_exporter::testing {
namespace {

Labels CpuMode(const std::string& cpu, const std::string& mode) { return {{"cpu", cpu}, {"mode", mode}}; }

// /proc/stat as the kernel prints it: the "cpu" line with every mode summed over the CPUs, then the CPUs' lines.
std::string ProcStat(const std::string& cpu_lines) {
  std::vector<unsigned long long> total;
  for (std::string_view line : SplitLines(cpu_lines)) {
    std::vector<std::string_view> fields = SplitFields(line);
    total.resize(std::max(total.size(), fields.size() - 1));
    for (size_t i = 1; i < fields.size(); ++i) total[i - 1] += ParseUnsigned(fields[i]).value();
  }
  std::string text = "cpu ";
  for (unsigned long long ticks : total) text += " " + std::to_string(ticks);
  return text + "\n" + cpu_lines;
}

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
  root.Write("proc/stat", ProcStat("cpu0 100 0 50 100000 900 0 0 0 0 0\n"));
  auto collector = harness.Make("cpu");
  collector->Collect();
  // iowait went down by 1 s (sampled racily by the kernel), user went up.
  root.Write("proc/stat", ProcStat("cpu0 120 0 50 100010 800 0 0 0 0 0\n"));
  Families second = collector->Collect();
  EXPECT_EQ(SampleValue(second, "node_cpu_seconds_total", CpuMode("0", "iowait")), 9.0);
  EXPECT_EQ(SampleValue(second, "node_cpu_seconds_total", CpuMode("0", "user")), 1.2);
  EXPECT_EQ(SampleValue(second, "node_cpu_seconds_total", CpuMode("0", "idle")), 1000.1);
}

TEST(CpuCollector, SmallIdleDropIsHeldButALargeOneMeansHotplug) {
  TempDir root;
  CollectorHarness harness(root.path());
  root.Write("proc/stat", ProcStat("cpu0 100 0 50 100000 900 0 0 0 0 0\n"));
  auto collector = harness.Make("cpu");
  collector->Collect();
  root.Write("proc/stat", ProcStat("cpu0 100 0 50 99900 900 0 0 0 0 0\n"));  // idle 1 s lower: held at 1000
  EXPECT_EQ(SampleValue(collector->Collect(), "node_cpu_seconds_total", CpuMode("0", "idle")), 1000.0);
  root.Write("proc/stat", ProcStat("cpu0 5 0 2 100 1 0 0 0 0 0\n"));  // idle 999 s lower: the CPU was replugged
  Families replugged = collector->Collect();
  EXPECT_EQ(SampleValue(replugged, "node_cpu_seconds_total", CpuMode("0", "idle")), 1.0);
  EXPECT_EQ(SampleValue(replugged, "node_cpu_seconds_total", CpuMode("0", "user")), 0.05);
}

TEST(CpuCollector, ACpuThatGoesOfflineStartsAfreshWhenItReturns) {
  TempDir root;
  CollectorHarness harness(root.path());
  root.Write("proc/stat", ProcStat("cpu0 100 0 0 500 0 0 0 0 0 0\ncpu1 100 0 0 500 0 0 0 0 0 0\n"));
  auto collector = harness.Make("cpu");
  collector->Collect();
  root.Write("proc/stat", ProcStat("cpu0 110 0 0 510 0 0 0 0 0 0\n"));
  Families offline = collector->Collect();
  EXPECT_FALSE(SampleValue(offline, "node_cpu_seconds_total", CpuMode("1", "user")));
  root.Write("proc/stat", ProcStat("cpu0 120 0 0 520 0 0 0 0 0 0\ncpu1 50 0 0 499 0 0 0 0 0 0\n"));
  Families back = collector->Collect();
  EXPECT_EQ(SampleValue(back, "node_cpu_seconds_total", CpuMode("1", "user")), 0.5);
}

TEST(CpuCollector, MissingProcStatIsAnErrorNamingTheFile) {
  TempDir root;
  CollectorHarness harness(root.path());
  EXPECT_THAT(CollectError(*harness.Make("cpu")), ::testing::HasSubstr(root.path() + "/proc/stat"));
}

TEST(CpuCollector, ACorruptProcStatIsAFailureNotAnEmptySuccess) {
  TempDir root;
  root.Write("proc/stat", "");
  CollectorHarness harness(root.path());
  EXPECT_THAT(CollectError(*harness.Make("cpu")), ::testing::HasSubstr("no \"cpu\" line"));
  EXPECT_THAT(CollectError(*harness.Make("stat")), ::testing::HasSubstr("no \"cpu\" line"));
}

TEST(CpuCollector, InfoIsOffByDefault) {
  CollectorHarness harness(Fixture("host_a"));
  Families families = harness.Make("cpu")->Collect();
  EXPECT_FALSE(FindFamily(families, "node_cpu_info"));
  EXPECT_FALSE(FindFamily(families, "node_cpu_flag_info"));
}

TEST(CpuCollector, InfoHasOneSeriesPerProcessor) {
  CollectorHarness harness(Fixture("host_a"));
  Families families = harness.Make("cpu", {{"info", "true"}})->Collect();
  EXPECT_EQ(SeriesCount(families, "node_cpu_info"), 3u);
  Labels cpu3 = {{"cachesize", "8192 KB"},
                 {"core", "0"},
                 {"cpu", "3"},
                 {"family", "6"},
                 {"microcode", "0xb6"},
                 {"model", "142"},
                 {"model_name", "Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz"},
                 {"package", "1"},
                 {"stepping", "11"},
                 {"vendor", "GenuineIntel"}};
  EXPECT_EQ(SampleValue(families, "node_cpu_info", cpu3), 1.0);
  EXPECT_FALSE(FindFamily(families, "node_cpu_flag_info"));  // no flags-include
}

TEST(CpuCollector, FlagsAndBugsIncludeSelectWordsAndImplyInfo) {
  CollectorHarness harness(Fixture("host_a"));
  Families families = harness.Make("cpu", {{"flags-include", "^sse"}, {"bugs-include", "spectre"}})->Collect();
  EXPECT_EQ(SeriesCount(families, "node_cpu_info"), 3u);
  EXPECT_EQ(SeriesCount(families, "node_cpu_flag_info"), 2u);
  EXPECT_EQ(SampleValue(families, "node_cpu_flag_info", {{"flag", "sse2"}}), 1.0);
  EXPECT_FALSE(SampleValue(families, "node_cpu_flag_info", {{"flag", "avx"}}));
  EXPECT_EQ(SeriesCount(families, "node_cpu_bug_info"), 2u);
  EXPECT_EQ(SampleValue(families, "node_cpu_bug_info", {{"bug", "spectre_v1"}}), 1.0);
  EXPECT_THROW(harness.Make("cpu", {{"flags-include", "[unclosed"}}), CollectorOptionError);
}

TEST(CpuCollector, InfoWithoutCpuinfoIsAnError) {
  TempDir root;
  root.Write("proc/stat", ProcStat("cpu0 1 2 3 4\n"));
  CollectorHarness harness(root.path());
  EXPECT_THAT(CollectError(*harness.Make("cpu", {{"info", "true"}})), ::testing::HasSubstr("/proc/cpuinfo"));
}

TEST(CpuCollector, IsolatedCpus) {
  CollectorHarness harness(Fixture("host_a"));
  Families families = harness.Make("cpu")->Collect();
  EXPECT_EQ(SeriesCount(families, "node_cpu_isolated"), 2u);
  EXPECT_EQ(SampleValue(families, "node_cpu_isolated", {{"cpu", "1"}}), 1.0);
  EXPECT_EQ(SampleValue(families, "node_cpu_isolated", {{"cpu", "3"}}), 1.0);
}

TEST(CpuCollector, ThrottlesPerCoreAndPackage) {
  CollectorHarness harness(Fixture("host_a"));
  Families families = harness.Make("cpu")->Collect();
  EXPECT_EQ(SeriesCount(families, "node_cpu_core_throttles_total"), 3u);
  EXPECT_EQ(SampleValue(families, "node_cpu_core_throttles_total", {{"core", "1"}, {"package", "0"}}), 7.0);
  EXPECT_EQ(SampleValue(families, "node_cpu_core_throttles_total", {{"core", "0"}, {"package", "1"}}), 11.0);
  EXPECT_EQ(SeriesCount(families, "node_cpu_package_throttles_total"), 2u);
  EXPECT_EQ(SampleValue(families, "node_cpu_package_throttles_total", {{"package", "0"}}), 30.0);
  EXPECT_EQ(FindFamily(families, "node_cpu_package_throttles_total")->type, prometheus::MetricType::Counter);
}

TEST(CpuCollector, SysfsPartsAreOptional) {
  TempDir root;
  root.Write("proc/stat", ProcStat("cpu0 1 2 3 4\n"));
  CollectorHarness harness(root.path());
  Families families = harness.Make("cpu")->Collect();
  ASSERT_EQ(families.size(), 2u);  // node_cpu_seconds_total and node_cpu_guest_seconds_total only
  EXPECT_EQ(SeriesCount(families, "node_cpu_seconds_total"), 8u);
}

TEST(CpuCollector, MalformedIsolatedListIsAnError) {
  TempDir root;
  root.Write("proc/stat", ProcStat("cpu0 1 2 3 4\n"));
  root.Write("sys/devices/system/cpu/isolated", "2-x\n");
  CollectorHarness harness(root.path());
  EXPECT_THAT(CollectError(*harness.Make("cpu")), ::testing::HasSubstr("/sys/devices/system/cpu/isolated:1: "));
}

TEST(CpuCollector, MatchesNodeExporterOnTheSharedCapture) {
  std::string root = NodeTree();
  if (root.empty()) GTEST_SKIP() << kNoNodeTree;
  CollectorHarness harness(root);
  Families families = harness.Make("cpu", {{"info", "true"}})->Collect();
  // Series counts and values as node_exporter 1.5 exports them for this tree.
  EXPECT_EQ(SeriesCount(families, "node_cpu_seconds_total"), 64u);
  EXPECT_EQ(SeriesCount(families, "node_cpu_guest_seconds_total"), 16u);
  EXPECT_EQ(SeriesCount(families, "node_cpu_info"), 8u);
  EXPECT_EQ(SeriesCount(families, "node_cpu_isolated"), 5u);
  EXPECT_EQ(SeriesCount(families, "node_cpu_core_throttles_total"), 4u);
  EXPECT_EQ(SeriesCount(families, "node_cpu_package_throttles_total"), 2u);
  EXPECT_EQ(SampleValue(families, "node_cpu_seconds_total", CpuMode("0", "idle")), 10870.69);
  EXPECT_EQ(SampleValue(families, "node_cpu_guest_seconds_total", CpuMode("7", "user")), 0.09);
  EXPECT_EQ(SampleValue(families, "node_cpu_isolated", {{"cpu", "9"}}), 1.0);
  EXPECT_EQ(SampleValue(families, "node_cpu_core_throttles_total", {{"core", "1"}, {"package", "1"}}), 9.0);
  EXPECT_EQ(SampleValue(families, "node_cpu_package_throttles_total", {{"package", "0"}}), 30.0);
}

}  // namespace
}  // namespace hw_exporter::testing

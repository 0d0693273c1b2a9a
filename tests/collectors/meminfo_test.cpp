#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "collectors/collector_harness.h"
#include "support/test_support.h"

namespace hw_exporter::testing {
namespace {

TEST(MeminfoCollector, MangledNamesAndBytes) {
  CollectorHarness harness(Fixture("host_a"));
  Families families = harness.Make("meminfo")->Collect();
  EXPECT_EQ(families.size(), 7u);
  EXPECT_EQ(SampleValue(families, "node_memory_MemTotal_bytes"), 8000000.0 * 1024);
  EXPECT_EQ(SampleValue(families, "node_memory_Active_anon_bytes"), 123456.0 * 1024);
  EXPECT_EQ(SampleValue(families, "node_memory_Inactive_file_bytes"), 10.0 * 1024);
  // Counts without a unit keep their name and value.
  EXPECT_EQ(SampleValue(families, "node_memory_HugePages_Total"), 4.0);
  EXPECT_EQ(SampleValue(families, "node_memory_Hugepagesize_bytes"), 2048.0 * 1024);
  const auto* family = FindFamily(families, "node_memory_Active_anon_bytes");
  ASSERT_TRUE(family);
  EXPECT_EQ(family->type, prometheus::MetricType::Gauge);
  EXPECT_EQ(family->help, "Memory information field Active_anon_bytes.");
}

TEST(MeminfoCollector, ParenthesesAsNodeExportersRegexReplacesThem) {
  // node_exporter replaces \((.*)\) with _$1: from the first "(" to the last ")", greedily.
  TempDir root;
  root.Write("proc/meminfo", "A(b)c(d): 1 kB\nOpen(only: 2 kB\nClose)only: 3\nBack)wards(: 4\n");
  CollectorHarness harness(root.path());
  Families families = harness.Make("meminfo")->Collect();
  EXPECT_EQ(SampleValue(families, "node_memory_A_b)c(d_bytes"), 1024.0);
  EXPECT_EQ(SampleValue(families, "node_memory_Open(only_bytes"), 2048.0);
  EXPECT_EQ(SampleValue(families, "node_memory_Close)only"), 3.0);
  EXPECT_EQ(SampleValue(families, "node_memory_Back)wards("), 4.0);
}

TEST(MeminfoCollector, AFieldPrintedTwiceGivesOneSeries) {
  TempDir root;
  root.Write("proc/meminfo", "MemFree: 1 kB\nMemFree: 2 kB\n");
  CollectorHarness harness(root.path());
  Families families = harness.Make("meminfo")->Collect();
  EXPECT_EQ(SeriesCount(families, "node_memory_MemFree_bytes"), 1u);
  EXPECT_EQ(SampleValue(families, "node_memory_MemFree_bytes"), 2048.0);
}

TEST(MeminfoCollector, AFieldThatGainsOrLosesItsUnitIsNamedAnewAtTheNextRefresh) {
  TempDir root;
  root.Write("proc/meminfo", "Foo: 1 kB\nBar: 2\n");
  CollectorHarness harness(root.path());
  auto collector = harness.Make("meminfo");
  Families first = collector->Collect();
  EXPECT_EQ(SampleValue(first, "node_memory_Foo_bytes"), 1024.0);
  EXPECT_EQ(SampleValue(first, "node_memory_Bar"), 2.0);
  root.Write("proc/meminfo", "Foo: 3\nBar: 4 kB\n");
  Families second = collector->Collect();
  EXPECT_EQ(SampleValue(second, "node_memory_Foo"), 3.0);
  EXPECT_EQ(SampleValue(second, "node_memory_Bar_bytes"), 4096.0);
  EXPECT_EQ(FindFamily(second, "node_memory_Foo_bytes"), nullptr);
  ASSERT_TRUE(FindFamily(second, "node_memory_Bar_bytes"));
  EXPECT_EQ(FindFamily(second, "node_memory_Bar_bytes")->help, "Memory information field Bar_bytes.");
}

TEST(MeminfoCollector, MissingFileIsAnErrorNamingIt) {
  TempDir root;
  CollectorHarness harness(root.path());
  EXPECT_THAT(CollectError(*harness.Make("meminfo")), ::testing::HasSubstr(root.path() + "/proc/meminfo"));
}

TEST(MeminfoCollector, MalformedFileIsAnError) {
  TempDir root;
  root.Write("proc/meminfo", "MemFree: 1 kB\ngarbage\n");
  CollectorHarness harness(root.path());
  EXPECT_THAT(CollectError(*harness.Make("meminfo")), ::testing::HasSubstr("/proc/meminfo:2: "));
}

TEST(MeminfoCollector, MatchesNodeExporterOnTheSharedCapture) {
  std::string root = NodeTree();
  if (root.empty()) GTEST_SKIP() << kNoNodeTree;
  CollectorHarness harness(root);
  Families families = harness.Make("meminfo")->Collect();
  EXPECT_EQ(families.size(), 42u);
  EXPECT_EQ(SampleValue(families, "node_memory_Active_anon_bytes"), 2068484096.0);
  EXPECT_EQ(SampleValue(families, "node_memory_VmallocChunk_bytes"), 35183963009024.0);
  EXPECT_EQ(SampleValue(families, "node_memory_HugePages_Rsvd"), 0.0);
}

}  // namespace
}  // namespace hw_exporter::testing

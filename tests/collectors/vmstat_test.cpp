#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "collectors/collector_harness.h"
#include "support/test_support.h"

namespace hw_exporter::testing {
namespace {

TEST(VmstatCollector, DefaultFieldsAreNodeExportersOnes) {
  CollectorHarness harness(Fixture("host_a"));
  Families families = harness.Make("vmstat")->Collect();
  std::vector<std::string> names;
  for (const auto& family : families) names.push_back(family.name);
  EXPECT_THAT(names, ::testing::UnorderedElementsAre("node_vmstat_pgpgin", "node_vmstat_pgpgout", "node_vmstat_pswpin",
                                                     "node_vmstat_pswpout", "node_vmstat_pgfault",
                                                     "node_vmstat_pgmajfault", "node_vmstat_oom_kill"));
  EXPECT_EQ(SampleValue(families, "node_vmstat_pgpgout"), 1541180581.0);
  const auto* family = FindFamily(families, "node_vmstat_oom_kill");
  EXPECT_EQ(family->type, prometheus::MetricType::Untyped);
  EXPECT_EQ(family->help, "/proc/vmstat information field oom_kill.");
}

TEST(VmstatCollector, FieldsOptionChoosesOthers) {
  CollectorHarness harness(Fixture("host_a"));
  Families families = harness.Make("vmstat", {{"fields", "^nr_"}})->Collect();
  ASSERT_EQ(families.size(), 1u);
  EXPECT_EQ(SampleValue(families, "node_vmstat_nr_free_pages"), 977769.0);
  // An empty pattern selects every field.
  EXPECT_EQ(harness.Make("vmstat", {{"fields", ""}})->Collect().size(), 10u);
}

TEST(VmstatCollector, RejectsAnInvalidRegex) {
  CollectorHarness harness(Fixture("host_a"));
  EXPECT_THROW(harness.Make("vmstat", {{"fields", "(unclosed"}}), CollectorOptionError);
}

TEST(VmstatCollector, MissingFileIsAnErrorNamingIt) {
  TempDir root;
  CollectorHarness harness(root.path());
  EXPECT_THAT(CollectError(*harness.Make("vmstat")), ::testing::HasSubstr(root.path() + "/proc/vmstat"));
}

TEST(VmstatCollector, MatchesNodeExporterOnTheSharedCapture) {
  std::string root = NodeTree();
  if (root.empty()) GTEST_SKIP() << kNoNodeTree;
  CollectorHarness harness(root);
  Families families = harness.Make("vmstat")->Collect();
  EXPECT_EQ(families.size(), 7u);
  EXPECT_EQ(SampleValue(families, "node_vmstat_pgfault"), 2320168809.0);
  EXPECT_EQ(SampleValue(families, "node_vmstat_oom_kill"), 0.0);
}

}  // namespace
}  // namespace hw_exporter::testing

// NormalizeFamilies + MergeNormalized (the render path's merge, which copies nothing) against MergeFamilies (the
// reference rules): the same exposition for the same parts, whatever the parts hold.
#include <gtest/gtest.h>

#include "hw_exporter/core/fs.h"
#include "hw_exporter/exposition/merge.h"
#include "hw_exporter/exposition/self_metrics.h"
#include "hw_exporter/exposition/text_format.h"
#include "support/test_support.h"

namespace hw_exporter {
namespace {

using prometheus::MetricFamily;
using prometheus::MetricType;

Families Gauges(std::string_view name, std::string_view help, const std::vector<std::pair<Labels, double>>& series) {
  FamilySet set;
  for (const auto& [labels, value] : series) set.Gauge(name, help, value, labels);
  return set.Take();
}

Families Counters(std::string_view name, std::string_view help, const std::vector<std::pair<Labels, double>>& series) {
  FamilySet set;
  for (const auto& [labels, value] : series) set.Counter(name, help, value, labels);
  return set.Take();
}

std::string ThroughMergeNormalized(const std::vector<Families>& parts) {
  std::vector<Families> normalized;
  for (const auto& part : parts) normalized.push_back(NormalizeFamilies(part));
  std::vector<const Families*> pointers;
  for (const auto& part : normalized) pointers.push_back(&part);
  std::string out;
  AppendText(out, MergeNormalized(pointers));
  return out;
}

void ExpectSameAsMergeFamilies(const std::vector<Families>& parts) {
  std::string expected = SerializeText(MergeFamilies(parts));
  EXPECT_FALSE(expected.empty());
  EXPECT_EQ(ThroughMergeNormalized(parts), expected);
}

TEST(MergeNormalized, JoinsSortsAndDeduplicatesSeriesAcrossParts) {
  ExpectSameAsMergeFamilies({
      Gauges("temp", "first help", {{{{"chip", "b"}}, 2}, {{{"chip", "a"}}, 1}, {{{"chip", "b"}}, 9}}),
      Gauges("temp", "second help", {{{{"chip", "c"}}, 3}, {{{"chip", "a"}}, 8}}),
      Gauges("fan", "f", {{{{"sensor", "2"}, {"chip", "x"}}, 5}}),
      Gauges("temp", "third help", {{{{"chip", "0"}}, 0}}),
  });
}

TEST(MergeNormalized, DropsALaterFamilyWithAnotherTypeAndWhatAScraperWouldReject) {
  ExpectSameAsMergeFamilies({
      Gauges("g", "as a gauge", {{{{"chip", "a"}}, 1}, {{{"bad-label", "x"}}, 2}}),
      Counters("g", "as a counter", {{{{"chip", "b"}}, 3}}),
      Gauges("0invalid", "h", {{{}, 1}}),
      Gauges("ok", "bad \xff help", {{{{"model", "SSD \xc3"}}, 4}}),
  });
}

// A family whose every series is dropped still claims its name: its HELP and TYPE win over a later part's, as
// in MergeFamilies, where the family is only found empty after it has been joined with the later ones.
TEST(MergeNormalized, AFamilyEmptiedByNormalizationStillClaimsItsName) {
  std::vector<Families> parts = {
      Gauges("g", "the first", {{{{"__reserved", "x"}}, 1}}),
      Gauges("g", "the second", {{{{"chip", "a"}}, 2}}),
  };
  Families normalized = NormalizeFamilies(parts[0]);
  ASSERT_EQ(normalized.size(), 1u);
  EXPECT_TRUE(normalized[0].metric.empty());
  ExpectSameAsMergeFamilies(parts);
  EXPECT_NE(ThroughMergeNormalized(parts).find("# HELP g the first\n"), std::string::npos);

  parts[1] = Counters("g", "a counter", {{{{"chip", "a"}}, 2}});
  EXPECT_EQ(ThroughMergeNormalized(parts), "");
  EXPECT_EQ(SerializeText(MergeFamilies(parts)), "");
}

TEST(MergeNormalized, AnEmptyFamilyDoesNotClaimAName) {
  MetricFamily empty{"g", "declared as a counter", MetricType::Counter, {}};
  ExpectSameAsMergeFamilies({{empty}, Gauges("g", "a gauge", {{{}, 1}})});
}

TEST(MergeNormalized, PointsIntoThePartsInsteadOfCopying) {
  Families part = NormalizeFamilies(Gauges("g", "h", {{{{"chip", "a"}}, 1}, {{{"chip", "b"}}, 2}}));
  const Families* parts[] = {&part};
  MergedFamilies merged = MergeNormalized(parts);
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0].family, &part[0]);
  ASSERT_EQ(merged[0].series.size(), 2u);
  EXPECT_EQ(merged[0].series[0], &part[0].metric[0]);
  EXPECT_EQ(merged[0].series[1], &part[0].metric[1]);
}

TEST(NormalizeFamilies, IsIdempotent) {
  Families once = NormalizeFamilies(Gauges("g", "h", {{{{"b", "2"}, {"a", "1"}}, 1}, {{{"a", "0"}}, 2}}));
  EXPECT_EQ(SerializeText(NormalizeFamilies(once)), SerializeText(once));
}

TEST(ReadBootTime, IsTheBtimeOfTheProcRoot) {
  EXPECT_EQ(ReadBootTime(testing::Fixture("proc_self")), 1700000000u);
  testing::TempDir empty;
  EXPECT_THROW(ReadBootTime(empty.path()), FsError);
}

TEST(ReadProcessFamilies, WithAKnownBootTimeGivesWhatReadingItGives) {
  std::string root = testing::Fixture("proc_self");
  EXPECT_EQ(SerializeText(ReadProcessFamilies(root, ReadBootTime(root))), SerializeText(ReadProcessFamilies(root)));
}

}  // namespace
}  // namespace hw_exporter

#include <gtest/gtest.h>

#include <algorithm>

#include "hw_exporter/exposition/merge.h"
#include "hw_exporter/exposition/text_format.h"

namespace hw_exporter {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

Families Gauges(std::string_view name, std::string_view help, const std::vector<std::pair<Labels, double>>& series) {
  FamilySet set;
  for (const auto& [labels, value] : series) set.Gauge(name, help, value, labels);
  return set.Take();
}

std::vector<std::string> Names(const Families& families) {
  std::vector<std::string> names;
  for (const auto& family : families) names.push_back(family.name);
  return names;
}

TEST(MergeFamilies, JoinsFamiliesOfTheSameNameKeepingTheFirstHelp) {
  Families merged = MergeFamilies({Gauges("temp", "first help", {{{{"chip", "a"}}, 1}}),
                                   Gauges("temp", "second help", {{{{"chip", "b"}}, 2}})});
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0].help, "first help");
  ASSERT_EQ(merged[0].metric.size(), 2u);
  EXPECT_EQ(merged[0].metric[0].gauge.value, 1);
  EXPECT_EQ(merged[0].metric[1].gauge.value, 2);
}

TEST(MergeFamilies, DropsTheSamplesOfALaterFamilyWithAnotherType) {
  FamilySet counters;
  counters.Counter("temp", "as a counter", 5, {{"chip", "b"}});
  Families merged = MergeFamilies({Gauges("temp", "as a gauge", {{{{"chip", "a"}}, 1}}), counters.Take()});
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0].type, MetricType::Gauge);
  ASSERT_EQ(merged[0].metric.size(), 1u);
  EXPECT_EQ(merged[0].metric[0].label[0].value, "a");
}

TEST(MergeFamilies, SortsFamiliesByName) {
  Families merged = MergeFamilies({Gauges("node_b", "h", {{{}, 1}}), Gauges("hw_a", "h", {{{}, 1}}),
                                   Gauges("node_a", "h", {{{}, 1}})});
  EXPECT_EQ(Names(merged), (std::vector<std::string>{"hw_a", "node_a", "node_b"}));
}

TEST(MergeFamilies, SortsLabelsByNameAndSeriesByLabelSet) {
  Families merged = MergeFamilies({Gauges("g", "h",
                                          {{{{"sensor", "temp2"}, {"chip", "b"}}, 1},
                                           {{{"sensor", "temp1"}, {"chip", "b"}}, 2},
                                           {{{"sensor", "temp9"}, {"chip", "a"}}, 3}})});
  EXPECT_EQ(SerializeText(merged),
            "# HELP g h\n"
            "# TYPE g gauge\n"
            "g{chip=\"a\",sensor=\"temp9\"} 3\n"
            "g{chip=\"b\",sensor=\"temp1\"} 2\n"
            "g{chip=\"b\",sensor=\"temp2\"} 1\n");
}

TEST(MergeFamilies, KeepsTheFirstOfDuplicateSeries) {
  Families merged = MergeFamilies({Gauges("g", "h", {{{{"chip", "a"}, {"sensor", "1"}}, 1}}),
                                   Gauges("g", "h", {{{{"sensor", "1"}, {"chip", "a"}}, 2}, {{{"chip", "b"}}, 3}})});
  ASSERT_EQ(merged.size(), 1u);
  ASSERT_EQ(merged[0].metric.size(), 2u);
  EXPECT_EQ(merged[0].metric[0].gauge.value, 1);
  EXPECT_EQ(merged[0].metric[1].gauge.value, 3);
}

TEST(MergeFamilies, DropsWhatAScraperWouldReject) {
  MetricFamily histogram{"h_seconds", "h", MetricType::Histogram, {}};
  histogram.metric.resize(2);
  histogram.metric[0].label = {{"le", "1"}};  // collides with the bucket label
  histogram.metric[1].label = {{"path", "/"}};
  Families merged = MergeFamilies({
      Gauges("0starts_with_digit", "h", {{{}, 1}}),
      Gauges("has-dash", "h", {{{}, 1}}),
      Gauges("__reserved", "h", {{{}, 1}}),
      Gauges("ok:recorded", "h",
             {{{{"bad-label", "x"}}, 1}, {{{"a", "1"}, {"a", "2"}}, 2}, {{{"__name__", "x"}}, 3}, {{{"a", "3"}}, 4}}),
      {histogram},
  });
  EXPECT_EQ(Names(merged), (std::vector<std::string>{"h_seconds", "ok:recorded"}));
  ASSERT_EQ(merged[0].metric.size(), 1u);
  EXPECT_EQ(merged[0].metric[0].label[0].name, "path");
  ASSERT_EQ(merged[1].metric.size(), 1u);
  EXPECT_EQ(merged[1].metric[0].gauge.value, 4);
}

TEST(MergeFamilies, AnEmptyFamilyDoesNotClaimAName) {
  MetricFamily empty{"g", "declared as a counter", MetricType::Counter, {}};
  Families merged = MergeFamilies({{empty}, Gauges("g", "a gauge", {{{}, 1}})});
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0].type, MetricType::Gauge);
  EXPECT_EQ(merged[0].help, "a gauge");
}

TEST(MergeFamilies, ReplacesBytesThatAreNotUtf8) {
  Families merged = MergeFamilies({Gauges("g", "bad \xff help",
                                          {{{{"model", "Samsung \xe2\x80\x93 SSD \xc3"}}, 1},
                                           {{{"model", "ok \xc3\xa9 \xf0\x9f\x92\xbe"}}, 2},
                                           {{{"model", "overlong \xc0\xaf surrogate \xed\xa0\x80"}}, 3}})});
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0].help, "bad \xef\xbf\xbd help");
  ASSERT_EQ(merged[0].metric.size(), 3u);
  EXPECT_EQ(merged[0].metric[0].label[0].value, "Samsung \xe2\x80\x93 SSD \xef\xbf\xbd");
  EXPECT_EQ(merged[0].metric[1].label[0].value, "ok \xc3\xa9 \xf0\x9f\x92\xbe");
  EXPECT_EQ(merged[0].metric[2].label[0].value,
            "overlong \xef\xbf\xbd\xef\xbf\xbd surrogate \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
}

// The same families handed over in any order and grouping give the same bytes.
TEST(MergeFamilies, OutputDoesNotDependOnInputOrder) {
  std::vector<Families> parts = {
      Gauges("node_hwmon_temp_celsius", "t", {{{{"chip", "b"}, {"sensor", "temp1"}}, 41}, {{{"chip", "a"}}, 40}}),
      Gauges("node_hwmon_temp_celsius", "t", {{{{"sensor", "temp2"}, {"chip", "b"}}, 42}}),
      Gauges("node_edac_correctable_errors_total", "e", {{{{"controller", "0"}}, 0}}),
      Gauges("hw_exporter_build_info", "b", {{{{"version", "1"}, {"compiler", "c"}}, 1}}),
  };
  const std::string expected = SerializeText(MergeFamilies(parts));
  std::sort(parts.begin(), parts.end(), [](const Families& a, const Families& b) {
    return a.front().metric.front().gauge.value < b.front().metric.front().gauge.value;
  });
  do {
    std::vector<Families> shuffled = parts;
    for (auto& part : shuffled) {
      for (auto& family : part) std::reverse(family.metric.begin(), family.metric.end());
    }
    EXPECT_EQ(SerializeText(MergeFamilies(parts)), expected);
    EXPECT_EQ(SerializeText(MergeFamilies(shuffled)), expected);
  } while (std::next_permutation(parts.begin(), parts.end(), [](const Families& a, const Families& b) {
    return a.front().metric.front().gauge.value < b.front().metric.front().gauge.value;
  }));
  EXPECT_NE(expected.find("node_hwmon_temp_celsius{chip=\"a\"} 40\n"
                          "node_hwmon_temp_celsius{chip=\"b\",sensor=\"temp1\"} 41\n"
                          "node_hwmon_temp_celsius{chip=\"b\",sensor=\"temp2\"} 42\n"),
            std::string::npos)
      << expected;
}

}  // namespace
}  // namespace hw_exporter

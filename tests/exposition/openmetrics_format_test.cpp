#include "hw_exporter/exposition/openmetrics_format.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "hw_exporter/exposition/merge.h"
#include "hw_exporter/exposition/text_format.h"
#include "support/exposition_parser.h"
#include "support/test_support.h"

namespace hw_exporter {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

std::string ReadFixture(const std::string& relative) {
  std::ifstream file(testing::Fixture(relative));
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// Every kind of family the exporter writes, and the names OpenMetrics treats apart.
Families EveryKind() {
  FamilySet set;
  set.Counter("node_cpu_seconds_total", "Seconds the CPUs spent in each mode.", 1234.5,
              {{"cpu", "0"}, {"mode", "idle"}});
  set.Counter("node_intr", "A counter without the suffix.", 7);
  set.Counter("jobs_total", "Clashes with the gauge named jobs.", 3);
  set.Gauge("jobs", "Jobs waiting.", 2);
  set.Gauge("node_uname_info", "Labeled system information, as \"uname\" gives it.", 1,
            {{"release", "6.1.0"}, {"sysname", "Linux"}});
  set.Gauge("node_hwmon_temp_celsius", "A \\ backslash and a\nnewline.", 41.5, {{"chip", "a\\b\"c\nd"}});
  set.Untyped("node_vmstat_pgfault", "/proc/vmstat information field pgfault.", 1e20);
  set.Gauge("odd_values", "", std::numeric_limits<double>::quiet_NaN(), {{"k", "nan"}});
  set.Gauge("odd_values", "", -std::numeric_limits<double>::infinity(), {{"k", "negative"}});
  Families families = set.Take();

  MetricFamily summary{"rpc_duration_seconds", "RPC latency.", MetricType::Summary, {}};
  ClientMetric& quantiles = summary.metric.emplace_back();
  quantiles.summary.quantile = {{0.5, 0.012}, {0.99, 0.25}};
  quantiles.summary.sample_sum = 17.5;
  quantiles.summary.sample_count = 1000;
  families.push_back(summary);
  MetricFamily histogram{"request_size_bytes", "Request sizes.", MetricType::Histogram, {}};
  ClientMetric& buckets = histogram.metric.emplace_back();
  buckets.histogram.bucket = {{3, 100}, {7, 1000}};
  buckets.histogram.sample_sum = 4200.5;
  buckets.histogram.sample_count = 9;
  families.push_back(histogram);
  return MergeFamilies({std::move(families)});
}

TEST(OpenMetricsFormat, MatchesItsGoldenFile) {
  EXPECT_EQ(SerializeOpenMetrics(EveryKind()), ReadFixture("exposition/every_kind.om"));
}

TEST(OpenMetricsFormat, TheTextFormatOfTheSameFamiliesMatchesItsGoldenFile) {
  EXPECT_EQ(SerializeText(EveryKind()), ReadFixture("exposition/every_kind.txt"));
}

// What Prometheus stores from a scrape: each sample's name, labels and value. Both formats must give the same.
TEST(OpenMetricsFormat, EverySampleIsTheTextFormatsSample) {
  auto text = testing::ParseExposition(SerializeText(EveryKind())).samples;
  auto openmetrics = testing::ParseExposition(SerializeOpenMetrics(EveryKind())).samples;
  ASSERT_EQ(openmetrics.size(), text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    EXPECT_EQ(openmetrics[i].name, text[i].name);
    EXPECT_EQ(openmetrics[i].labels, text[i].labels);
    if (!std::isnan(text[i].value)) {
      EXPECT_EQ(openmetrics[i].value, text[i].value) << text[i].name;
    }
  }
}

TEST(OpenMetricsFormat, TimestampsAreInSeconds) {
  FamilySet set;
  set.Gauge("stamped", "", 1);
  Families families = set.Take();
  families[0].metric[0].timestamp_ms = 1700000000123;
  EXPECT_EQ(SerializeOpenMetrics(families), "# TYPE stamped gauge\nstamped 1 1700000000.123\n# EOF\n");
  EXPECT_EQ(SerializeText(families), "# TYPE stamped gauge\nstamped 1 1700000000123\n");
}

TEST(OpenMetricsFormat, EndsWithEofAlsoWhenEmpty) {
  EXPECT_EQ(SerializeOpenMetrics({}), "# EOF\n");
  EXPECT_TRUE(SerializeOpenMetrics(EveryKind()).ends_with("\n# EOF\n"));
}

TEST(OpenMetricsFormat, CountersAreDeclaredWithoutTotalUnlessThatNameIsTaken) {
  const std::string body = SerializeOpenMetrics(EveryKind());
  EXPECT_NE(body.find("# TYPE node_cpu_seconds counter\n"), std::string::npos);
  EXPECT_NE(body.find("\nnode_cpu_seconds_total{cpu=\"0\",mode=\"idle\"} 1234.5\n"), std::string::npos);
  EXPECT_NE(body.find("# TYPE node_intr unknown\n"), std::string::npos) << "no _total: its samples keep their name";
  EXPECT_NE(body.find("# TYPE jobs_total unknown\n"), std::string::npos) << "jobs is a gauge's name";
  EXPECT_NE(body.find("# TYPE node_vmstat_pgfault unknown\n"), std::string::npos);
  EXPECT_EQ(body.find("_created"), std::string::npos);
  EXPECT_EQ(body.find("# UNIT"), std::string::npos);
}

}  // namespace
}  // namespace hw_exporter

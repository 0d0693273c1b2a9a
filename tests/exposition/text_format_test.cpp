#include "hw_exporter/exposition/text_format.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace hw_exporter {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

MetricFamily Summary() {
  MetricFamily family{"rpc_duration_seconds", "RPC latency.", MetricType::Summary, {}};
  ClientMetric& metric = family.metric.emplace_back();
  metric.label = {{"method", "get"}};
  metric.summary.quantile = {{0.5, 0.012}, {0.99, 0.25}};
  metric.summary.sample_sum = 17.5;
  metric.summary.sample_count = 1000;
  return family;
}

MetricFamily Histogram(bool with_inf_bucket) {
  MetricFamily family{"request_size_bytes", "Request sizes.", MetricType::Histogram, {}};
  ClientMetric& metric = family.metric.emplace_back();
  metric.histogram.bucket = {{3, 100}, {7, 1000}};
  if (with_inf_bucket) metric.histogram.bucket.push_back({9, std::numeric_limits<double>::infinity()});
  metric.histogram.sample_sum = 4200.5;
  metric.histogram.sample_count = 9;
  return family;
}

// The text written for a gauge of that value, without the newline.
std::string GaugeValueText(double value) {
  FamilySet set;
  set.Gauge("g", "", value);
  std::string text = SerializeText(set.Take());
  std::string_view sample = std::string_view(text).substr(text.find("\ng ") + 3);
  return std::string(sample.substr(0, sample.size() - 1));
}

TEST(TextFormat, WritesCountersGaugesAndUntypedWithHelpTypeAndLabels) {
  FamilySet set;
  set.Counter("node_cpu_seconds_total", "Seconds the CPUs spent in each mode.", 1234.5,
              {{"cpu", "0"}, {"mode", "idle"}});
  set.Counter("node_cpu_seconds_total", "Seconds the CPUs spent in each mode.", 7, {{"cpu", "0"}, {"mode", "user"}});
  set.Gauge("node_memory_MemFree_bytes", "Memory information field MemFree_bytes.", 8.5e9);
  set.Untyped("thing", "An untyped value.", -3);
  EXPECT_EQ(SerializeText(set.Take()),
            "# HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.\n"
            "# TYPE node_cpu_seconds_total counter\n"
            "node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"} 1234.5\n"
            "node_cpu_seconds_total{cpu=\"0\",mode=\"user\"} 7\n"
            "# HELP node_memory_MemFree_bytes Memory information field MemFree_bytes.\n"
            "# TYPE node_memory_MemFree_bytes gauge\n"
            "node_memory_MemFree_bytes 8.5e+09\n"
            "# HELP thing An untyped value.\n"
            "# TYPE thing untyped\n"
            "thing -3\n");
}

TEST(TextFormat, WritesSummariesWithQuantileLabelSumAndCount) {
  EXPECT_EQ(SerializeText({Summary()}),
            "# HELP rpc_duration_seconds RPC latency.\n"
            "# TYPE rpc_duration_seconds summary\n"
            "rpc_duration_seconds{method=\"get\",quantile=\"0.5\"} 0.012\n"
            "rpc_duration_seconds{method=\"get\",quantile=\"0.99\"} 0.25\n"
            "rpc_duration_seconds_sum{method=\"get\"} 17.5\n"
            "rpc_duration_seconds_count{method=\"get\"} 1000\n");
}

TEST(TextFormat, WritesHistogramsWithCumulativeBucketsSumAndCount) {
  const std::string expected =
      "# HELP request_size_bytes Request sizes.\n"
      "# TYPE request_size_bytes histogram\n"
      "request_size_bytes_bucket{le=\"100\"} 3\n"
      "request_size_bytes_bucket{le=\"1000\"} 7\n"
      "request_size_bytes_bucket{le=\"+Inf\"} 9\n"
      "request_size_bytes_sum 4200.5\n"
      "request_size_bytes_count 9\n";
  EXPECT_EQ(SerializeText({Histogram(true)}), expected);
  // The +Inf bucket is required by the format; without one in the data it is made from the count.
  EXPECT_EQ(SerializeText({Histogram(false)}), expected);
}

TEST(TextFormat, EscapesBackslashAndNewlineInHelp) {
  FamilySet set;
  set.Gauge("g", "C:\\temp\nsecond \"line\"", 1);
  EXPECT_EQ(SerializeText(set.Take()),
            "# HELP g C:\\\\temp\\nsecond \"line\"\n"
            "# TYPE g gauge\n"
            "g 1\n");
}

TEST(TextFormat, EscapesBackslashQuoteAndNewlineInLabelValues) {
  FamilySet set;
  set.Gauge("g", "h", 1, {{"path", "C:\\dir"}, {"model", "say \"hi\"\nbye"}});
  EXPECT_EQ(SerializeText(set.Take()),
            "# HELP g h\n"
            "# TYPE g gauge\n"
            "g{path=\"C:\\\\dir\",model=\"say \\\"hi\\\"\\nbye\"} 1\n");
}

TEST(TextFormat, SpellsNaNAndInfinitiesAsPrometheusDoes) {
  EXPECT_EQ(GaugeValueText(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(GaugeValueText(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(GaugeValueText(-std::numeric_limits<double>::infinity()), "-Inf");
}

TEST(TextFormat, WritesTheShortestDoubleThatRoundTrips) {
  EXPECT_EQ(GaugeValueText(0.1), "0.1");
  EXPECT_EQ(GaugeValueText(1e-300), "1e-300");
  EXPECT_EQ(GaugeValueText(0), "0");
  EXPECT_EQ(GaugeValueText(9007199254740993.0), "9007199254740992");          // 2^53+1 rounds to 2^53 as a double
  EXPECT_EQ(GaugeValueText(18446744073709551615.0), "18446744073709551616");  // 2^64, exact and short
  const double awkward[] = {0.1,
                            0.1 + 0.2,
                            1.0 / 3,
                            1e-300,
                            5e-324,
                            std::numeric_limits<double>::max(),
                            std::numeric_limits<double>::min(),
                            9007199254740993.0,
                            9007199254740991.0,
                            -2.5e-10,
                            123456789.123456789,
                            1.7976931348623157e308};
  for (double value : awkward) {
    std::string text = GaugeValueText(value);
    double parsed = std::strtod(text.c_str(), nullptr);
    EXPECT_EQ(std::memcmp(&parsed, &value, sizeof value), 0) << text;
  }
}

TEST(TextFormat, WritesTimestampsOnlyWhenSet) {
  MetricFamily family{"g", "h", MetricType::Gauge, {}};
  family.metric.resize(2);
  family.metric[0].gauge.value = 1;
  family.metric[0].label = {{"a", "1"}};
  family.metric[1].gauge.value = 2;
  family.metric[1].label = {{"a", "2"}};
  family.metric[1].timestamp_ms = 1700000000123;
  EXPECT_EQ(SerializeText({family}),
            "# HELP g h\n"
            "# TYPE g gauge\n"
            "g{a=\"1\"} 1\n"
            "g{a=\"2\"} 2 1700000000123\n");
}

TEST(TextFormat, LeavesOutTheHelpLineWhenThereIsNoHelp) {
  FamilySet set;
  set.Gauge("g", "", 1);
  EXPECT_EQ(SerializeText(set.Take()), "# TYPE g gauge\ng 1\n");
}

TEST(TextFormat, AppendsAfterWhatIsAlreadyThere) {
  FamilySet set;
  set.Gauge("g", "h", 1);
  std::string out = "# already here\n";
  AppendText(out, set.Take());
  EXPECT_EQ(out, "# already here\n# HELP g h\n# TYPE g gauge\ng 1\n");
}

TEST(TextFormat, EmptyInputIsAnEmptyBody) { EXPECT_EQ(SerializeText({}), ""); }

}  // namespace
}  // namespace hw_exporter

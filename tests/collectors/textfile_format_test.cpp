#include "collectors/textfile_format.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "collectors/collector_harness.h"
#include "hw_exporter/core/parse_error.h"

namespace hw_exporter::testing {
namespace {

using prometheus::MetricType;
using ::testing::HasSubstr;

// The message ParseTextfile throws, or "" when it parses.
std::string ParseFailure(const std::string& text) {
  try {
    ParseTextfile(text, "/var/lib/node-exporter/x.prom");
  } catch (const ParseError& error) {
    return error.what();
  }
  return {};
}

TEST(TextfileFormat, ReadsWhatCronJobsWrite) {
  const Families families = ParseTextfile(
      "# HELP node_md_disks Disks of a RAID array.\n"
      "# TYPE node_md_disks gauge\n"
      "node_md_disks{device=\"md0\",state=\"active\"} 2\n"
      "node_md_disks{device=\"md0\", state=\"failed\",} 0\n"
      "\n"
      "# a comment\n"
      "apt_upgrades_pending{arch=\"amd64\",origin=\"Debian:bookworm/stable\"} 14\n"
      "# TYPE backup_bytes_total counter\n"
      "backup_bytes_total 1.5e9\n"
      "  indented_untyped +Inf\n",
      "x.prom");
  ASSERT_EQ(families.size(), 4u);
  EXPECT_EQ(families[0].name, "node_md_disks");
  EXPECT_EQ(families[0].help, "Disks of a RAID array.");
  EXPECT_EQ(families[0].type, MetricType::Gauge);
  EXPECT_EQ(SampleValue(families, "node_md_disks", {{"device", "md0"}, {"state", "failed"}}), 0);
  EXPECT_EQ(families[1].name, "apt_upgrades_pending");
  EXPECT_EQ(families[1].type, MetricType::Untyped);
  EXPECT_EQ(families[1].help, "");
  EXPECT_EQ(SampleValue(families, "apt_upgrades_pending", {{"arch", "amd64"}, {"origin", "Debian:bookworm/stable"}}),
            14);
  EXPECT_EQ(SampleValue(families, "backup_bytes_total"), 1.5e9);
  EXPECT_EQ(families[2].type, MetricType::Counter);
  EXPECT_TRUE(std::isinf(*SampleValue(families, "indented_untyped")));
}

TEST(TextfileFormat, EscapesInHelpAndLabelValues) {
  const Families families = ParseTextfile(
      "# HELP a Line one\\nback\\\\slash\n"
      "a{path=\"C:\\\\x\",quote=\"say \\\"hi\\\"\",nl=\"1\\n2\"} NaN\n",
      "x.prom");
  ASSERT_EQ(families.size(), 1u);
  EXPECT_EQ(families[0].help, "Line one\nback\\slash");
  const auto& labels = families[0].metric[0].label;  // sorted by name
  EXPECT_EQ(labels[0].name, "nl");
  EXPECT_EQ(labels[0].value, "1\n2");
  EXPECT_EQ(labels[1].value, "C:\\x");
  EXPECT_EQ(labels[2].value, "say \"hi\"");
  EXPECT_TRUE(std::isnan(families[0].metric[0].untyped.value));
}

TEST(TextfileFormat, HistogramsAndSummaries) {
  const Families families = ParseTextfile(
      "# TYPE backup_duration_seconds histogram\n"
      "backup_duration_seconds_bucket{job=\"home\",le=\"60\"} 3\n"
      "backup_duration_seconds_bucket{job=\"home\",le=\"10\"} 1\n"
      "backup_duration_seconds_bucket{job=\"home\",le=\"+Inf\"} 4\n"
      "backup_duration_seconds_sum{job=\"home\"} 200.5\n"
      "backup_duration_seconds_count{job=\"home\"} 4\n"
      "# TYPE rpc_seconds summary\n"
      "rpc_seconds{quantile=\"0.99\"} 0.3\n"
      "rpc_seconds{quantile=\"0.5\"} 0.1\n"
      "rpc_seconds_sum 12\n"
      "rpc_seconds_count 100\n",
      "x.prom");
  ASSERT_EQ(families.size(), 2u);
  const auto& histogram = families[0].metric.at(0).histogram;
  EXPECT_EQ(families[0].type, MetricType::Histogram);
  ASSERT_EQ(families[0].metric.size(), 1u);
  ASSERT_EQ(histogram.bucket.size(), 3u);
  EXPECT_EQ(histogram.bucket[0].upper_bound, 10);
  EXPECT_EQ(histogram.bucket[0].cumulative_count, 1u);
  EXPECT_TRUE(std::isinf(histogram.bucket[2].upper_bound));
  EXPECT_EQ(histogram.sample_count, 4u);
  EXPECT_EQ(histogram.sample_sum, 200.5);
  const auto& summary = families[1].metric.at(0).summary;
  ASSERT_EQ(summary.quantile.size(), 2u);
  EXPECT_EQ(summary.quantile[0].quantile, 0.5);
  EXPECT_EQ(summary.quantile[1].value, 0.3);
  EXPECT_EQ(summary.sample_count, 100u);
}

TEST(TextfileFormat, OpenMetricsBecomesWhatTheTextFormatCarries) {
  const Families families = ParseTextfile(
      "# TYPE backups counter\n"
      "# UNIT backups bytes\n"
      "# HELP backups Backups made.\n"
      "backups_total{job=\"home\"} 17 # {trace_id=\"abc\"} 1.0\n"
      "backups_created{job=\"home\"} 1700000000\n"
      "# TYPE raid info\n"
      "raid_info{level=\"1\"} 1\n"
      "# TYPE disk_state stateset\n"
      "disk_state{disk_state=\"ok\"} 1\n"
      "disk_state{disk_state=\"degraded\"} 0\n"
      "# TYPE temperature unknown\n"
      "temperature 21.5\n"
      "# EOF\n",
      "x.prom");
  ASSERT_EQ(families.size(), 4u);
  EXPECT_EQ(families[0].name, "backups_total");
  EXPECT_EQ(families[0].type, MetricType::Counter);
  EXPECT_EQ(families[0].help, "Backups made.");
  EXPECT_EQ(SampleValue(families, "backups_total", {{"job", "home"}}), 17);
  EXPECT_EQ(families[1].name, "raid_info");
  EXPECT_EQ(families[1].type, MetricType::Gauge);
  EXPECT_EQ(SampleValue(families, "disk_state", {{"disk_state", "degraded"}}), 0);
  EXPECT_EQ(families[3].type, MetricType::Untyped);
}

TEST(TextfileFormat, AnEmptyFileHasNoFamilies) {
  EXPECT_TRUE(ParseTextfile("", "x.prom").empty());
  EXPECT_TRUE(ParseTextfile("# only a comment\n", "x.prom").empty());
  EXPECT_TRUE(ParseTextfile("# TYPE declared_only gauge\n", "x.prom").empty());
}

// Every refusal names the file and the line, so that the operator can open it and look.
TEST(TextfileFormat, RefusesWhatAScraperWouldWithFileAndLine) {
  const std::string file = "/var/lib/node-exporter/x.prom";
  const std::map<std::string, std::string> cases{
      {"a 1\nb{x=\"1\" 2\n", file + ":2: expected ',' or '}'"},
      {"a{x=1} 2\n", file + ":1: expected a quoted value"},
      {"a{x=\"1\",x=\"2\"} 2\n", file + ":1: the label \"x\" is given twice"},
      {"a{x=\"1} 2\n", file + ":1: the value of the label \"x\" has no closing quote"},
      {"a{x=\"\\t\"} 2\n", file + ":1: invalid escape sequence"},
      {"a{__name__=\"b\"} 2\n", file + ":1: the label name \"__name__\" is reserved"},
      {"__a 2\n", file + ":1: the metric name \"__a\" is reserved"},
      {"1a 2\n", file + ":1: expected a metric name"},
      {"a\n", file + ":1: expected a blank and a value"},
      {"a one\n", file + ":1: expected a value, got \"one\""},
      {"a 1e999\n", file + ":1: expected a value"},
      {"a 1 1700000000000\n", file + ":1: a timestamp on a sample of \"a\""},
      {"a 1\na 2\n", file + ":2: the series \"a\"{} is given twice"},
      {"# TYPE a gauge\n# TYPE a counter\n", file + ":2: a second TYPE line for \"a\""},
      {"# HELP a x\n# HELP a y\n", file + ":2: a second HELP line for \"a\""},
      {"a 1\n# TYPE a gauge\n", file + ":2: the TYPE line of \"a\" comes after its samples"},
      {"# TYPE a gauges\n", file + ":1: unknown type \"gauges\""},
      {"# TYPE a info\n", file + ":1: unknown type \"info\""},  // OpenMetrics only
      {"# HELP a bad \\x escape\n", file + ":1: invalid escape sequence"},
      {"# TYPE h histogram\nh_bucket 1\n", file + ":2: a sample of \"h_bucket\" without its le label"},
      {"# TYPE h histogram\nh_bucket{le=\"x\"} 1\n", file + ":2: the le label of \"h_bucket\" is no number"},
      {"# TYPE h histogram\nh_bucket{le=\"1\"} -1\n", file + ":2: the count \"h_bucket\" is not a non-negative"},
      {"# TYPE h histogram\nh 1\n", file + ":2: a sample named \"h\" does not belong"},
      {"# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"1.0\"} 1\n", file + ": a bucket of the histogram"},
      {"# TYPE s summary\ns 1\n", file + ":2: a sample of \"s\" without its quantile label"},
      {"a 1", file + ": no newline at the end: the file is incomplete"},
      {"a 1\n# EOF\nb 2\n", file + ":2: # EOF before the end of the file"},
      {"# UNIT a seconds\n", file + ":1: UNIT lines are OpenMetrics"},
      {"# TYPE c counter\nc 1\n# EOF\n", file + ":2: a sample named \"c\" does not belong"},
      {"# TYPE g gaugehistogram\n# EOF\n", file + ":1: gaugehistogram is not supported"},
      {"# TYPE i info\ni_info 2\n# EOF\n", file + ":2: an info sample of \"i_info\" is not 1"},
      {"# TYPE s stateset\ns{t=\"a\"} 1\n# EOF\n", file + ":2: a stateset sample without its state label"},
      {"# TYPE c counter\n# TYPE c_total gauge\n# EOF\n", file + ":2: \"c_total\" is already the name"},
  };
  for (const auto& [text, expected] : cases) EXPECT_THAT(ParseFailure(text), HasSubstr(expected)) << text;
}

// What arrives when a writer is cut off, or when a file is not what it should be: refused, never a crash.
TEST(TextfileFormat, TruncatedAndHostileInputs) {
  const std::string whole =
      "# HELP a Help.\n# TYPE a histogram\na_bucket{x=\"1\",le=\"1\"} 1\na_bucket{x=\"1\",le=\"+Inf\"} 2\n"
      "a_sum{x=\"1\"} 3\na_count{x=\"1\"} 2\n";
  for (size_t length = 0; length < whole.size(); ++length) {
    const std::string prefix = whole.substr(0, length);
    try {
      ParseTextfile(prefix, "x.prom");
      EXPECT_TRUE(prefix.empty() || prefix.back() == '\n') << prefix;
    } catch (const ParseError&) {
    }
  }
  const std::string hostile[] = {
      std::string("a\0b 1\n", 6),
      std::string(100'000, '{') + "\n",
      "a{" + std::string(100'000, ',') + "} 1\n",
      "a{x=\"" + std::string(100'000, '\\') + "\n",
      "# HELP " + std::string(100'000, 'a') + "\n",
      "\xff\xfe garbage\n",
      "a{x=\"\xc3\x28\"} 1\n",  // a value that is not UTF-8: refused by no one here, repaired when normalized
      "\r\n\r\n",
  };
  for (const std::string& text : hostile) {
    try {
      ParseTextfile(text, "x.prom");
    } catch (const ParseError&) {
    }
  }
}

TEST(TextfileFormat, AHugeValidFileIsReadWhole) {
  std::string text = "# TYPE big gauge\n";
  for (int i = 0; i < 50'000; ++i) text += "big{i=\"" + std::to_string(i) + "\"} " + std::to_string(i) + "\n";
  const Families families = ParseTextfile(text, "x.prom");
  ASSERT_EQ(families.size(), 1u);
  EXPECT_EQ(families[0].metric.size(), 50'000u);
  EXPECT_EQ(SampleValue(families, "big", {{"i", "49999"}}), 49999);
}

TEST(TextfileFormat, WindowsLineEndsAreRead) {
  const Families families = ParseTextfile("# TYPE a gauge\r\na 1\r\n", "x.prom");
  ASSERT_EQ(families.size(), 1u);
  EXPECT_EQ(SampleValue(families, "a"), 1);
}

}  // namespace
}  // namespace hw_exporter::testing

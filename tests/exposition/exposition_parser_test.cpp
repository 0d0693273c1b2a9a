#include "support/exposition_parser.h"

#include <gtest/gtest.h>

#include <cmath>

namespace hw_exporter::testing {
namespace {

TEST(ExpositionParser, ReadsSamplesWithHelpTypeAndLabels) {
  ParsedExposition parsed = ParseExposition(
      "# HELP node_load1 1m load average.\n"
      "# TYPE node_load1 gauge\n"
      "node_load1 0.21\n"
      "# HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.\n"
      "# TYPE node_cpu_seconds_total counter\n"
      "node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"} 1.5e+06\n"
      "node_cpu_seconds_total{mode=\"user\",cpu=\"0\",} 12 1700000000000\n");
  ASSERT_EQ(parsed.samples.size(), 3u);
  EXPECT_EQ(parsed.samples[0].name, "node_load1");
  EXPECT_TRUE(parsed.samples[0].labels.empty());
  EXPECT_EQ(parsed.samples[0].value, 0.21);
  EXPECT_EQ(parsed.samples[1].labels, (SeriesLabels{{"cpu", "0"}, {"mode", "idle"}}));
  EXPECT_EQ(parsed.samples[1].value, 1.5e6);
  EXPECT_FALSE(parsed.samples[1].timestamp_ms);
  EXPECT_EQ(parsed.samples[2].labels, (SeriesLabels{{"cpu", "0"}, {"mode", "user"}}));
  EXPECT_EQ(parsed.samples[2].timestamp_ms, 1700000000000);
  EXPECT_EQ(parsed.help.at("node_load1"), "1m load average.");
  EXPECT_EQ(parsed.type.at("node_cpu_seconds_total"), "counter");
}

TEST(ExpositionParser, UnescapesLabelValuesAndHelp) {
  ParsedExposition parsed = ParseExposition(
      "# HELP x A \\\\ backslash and a\\nnewline, \"quotes\" as they are.\n"
      "x{path=\"C:\\\\dir\",quote=\"say \\\"hi\\\"\",multi=\"a\\nb\",brace=\"}{,=\"} 1\n");
  EXPECT_EQ(parsed.help.at("x"), "A \\ backslash and a\nnewline, \"quotes\" as they are.");
  ASSERT_EQ(parsed.samples.size(), 1u);
  EXPECT_EQ(parsed.samples[0].labels,
            (SeriesLabels{{"path", "C:\\dir"}, {"quote", "say \"hi\""}, {"multi", "a\nb"}, {"brace", "}{,="}}));
}

TEST(ExpositionParser, ReadsNaNAndInfinities) {
  ParsedExposition parsed = ParseExposition("a NaN\nb +Inf\nc -Inf\nd 1e-9\ne -0\n");
  ASSERT_EQ(parsed.samples.size(), 5u);
  EXPECT_TRUE(std::isnan(parsed.samples[0].value));
  EXPECT_EQ(parsed.samples[1].value, INFINITY);
  EXPECT_EQ(parsed.samples[2].value, -INFINITY);
  EXPECT_EQ(parsed.samples[3].value, 1e-9);
  EXPECT_TRUE(std::signbit(parsed.samples[4].value));
}

TEST(ExpositionParser, SkipsCommentsAndBlankLines) {
  ParsedExposition parsed = ParseExposition("# just a comment\n\n#\n   \nx 1\n# HELPER not a help line\n");
  ASSERT_EQ(parsed.samples.size(), 1u);
  EXPECT_TRUE(parsed.help.empty());
  EXPECT_TRUE(parsed.type.empty());
}

TEST(ExpositionParser, AcceptsTheLastLineWithoutNewlineAndColonsInNames) {
  ParsedExposition parsed = ParseExposition("job:rate5m{a=\"b\"} 2");
  ASSERT_EQ(parsed.samples.size(), 1u);
  EXPECT_EQ(parsed.samples[0].name, "job:rate5m");
}

TEST(ExpositionParser, RejectsMalformedLinesNamingTheLine) {
  const char* bad[] = {
      "x{a=\"1\"}\n",            // no value
      "x notanumber\n",          // value
      "x{a=\"1\",a=\"2\"} 1\n",  // repeated label
      "x{a=\"\\t\"} 1\n",        // unknown escape
      "x{a=\"open} 1\n",         // unterminated value
      "x{1a=\"v\"} 1\n",         // label name
      "1x 1\n",                  // metric name
      "x{a:b=\"v\"} 1\n",        // colon in a label name
      "x 1 notatime\n",          // timestamp
      "x 1 2 3\n",               // trailing text
      "# TYPE x strange\n",      // type
      "# TYPE x gauge\n# TYPE x gauge\n",
      "x{a=\"1\"b=\"2\"} 1\n",  // separator
  };
  for (const char* text : bad) {
    try {
      ParseExposition(std::string("ok 1\n") + text);
      ADD_FAILURE() << "accepted: " << text;
    } catch (const ExpositionParseError& error) {
      EXPECT_NE(std::string(error.what()).find("line "), std::string::npos) << error.what();
    }
  }
}

TEST(ExpositionParser, SeriesKeyEscapesAgain) {
  EXPECT_EQ(SeriesKey("x", {}), "x{}");
  EXPECT_EQ(SeriesKey("x", {{"b", "q\"\\\n"}, {"a", "1"}}), "x{a=\"1\",b=\"q\\\"\\\\\\n\"}");
}

}  // namespace
}  // namespace hw_exporter::testing

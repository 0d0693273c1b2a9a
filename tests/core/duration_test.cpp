#include "hw_exporter/core/duration.h"

#include <gtest/gtest.h>

namespace hw_exporter {
namespace {

using namespace std::chrono_literals;

TEST(ParseDuration, AcceptsPrometheusSyntax) {
  EXPECT_EQ(ParseDuration("500ms"), Duration(500));
  EXPECT_EQ(ParseDuration("30s"), Duration(30s));
  EXPECT_EQ(ParseDuration("6h"), Duration(6h));
  EXPECT_EQ(ParseDuration("1h30m"), Duration(90min));
  EXPECT_EQ(ParseDuration("1m500ms"), Duration(60500));
  EXPECT_EQ(ParseDuration("1w2d"), Duration(9 * 24h));
  EXPECT_EQ(ParseDuration("1y"), Duration(365 * 24h));
  EXPECT_EQ(ParseDuration("0"), Duration(0));
  EXPECT_EQ(ParseDuration("0s"), Duration(0));
}

TEST(ParseDuration, RejectsMalformedText) {
  for (const char* bad : {"", "s", "10", "1.5s", "-1s", "1s1m", "1m1m", "1x", " 1s", "1s ", "1 s", "99999999999h"}) {
    EXPECT_EQ(ParseDuration(bad), std::nullopt) << bad;
  }
}

TEST(FormatDuration, RoundTrips) {
  for (const char* text : {"500ms", "30s", "6h", "1h30m", "0s"}) {
    auto parsed = ParseDuration(text);
    ASSERT_TRUE(parsed) << text;
    EXPECT_EQ(ParseDuration(FormatDuration(*parsed)), parsed) << text;
  }
  EXPECT_EQ(FormatDuration(90min), "1h30m");
  EXPECT_EQ(FormatDuration(Duration(1500)), "1s500ms");
}

}  // namespace
}  // namespace hw_exporter

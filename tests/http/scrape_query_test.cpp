#include "hw_exporter/http/scrape_query.h"

#include <gtest/gtest.h>

#include "hw_exporter/http/http_error.h"

namespace hw_exporter {
namespace {

const std::vector<std::string> kEnabled{"cpu", "loadavg", "meminfo"};

std::string ErrorOf(std::string_view query) {
  try {
    ParseScrapeQuery(query, kEnabled);
  } catch (const HttpError& error) {
    EXPECT_EQ(error.status(), 400);
    return error.what();
  }
  return "";
}

TEST(ScrapeQuery, EmptySelectsEveryEnabledCollector) {
  ScrapeQuery query = ParseScrapeQuery("", kEnabled);
  EXPECT_EQ(query.Selected(kEnabled), kEnabled);
  EXPECT_EQ(query.canonical, "");
}

TEST(ScrapeQuery, ExcludingEveryCollectorSelectsNone) {
  ScrapeQuery query = ParseScrapeQuery("exclude[]=cpu&exclude[]=loadavg&exclude[]=meminfo", kEnabled);
  EXPECT_TRUE(query.Selected(kEnabled).empty());
}

TEST(ScrapeQuery, CollectIsDecodedSortedAndDeduplicated) {
  ScrapeQuery query = ParseScrapeQuery("collect%5B%5D=meminfo&collect[]=cpu&collect[]=me%6Dinfo", kEnabled);
  EXPECT_EQ(query.Selected(kEnabled), (std::vector<std::string>{"cpu", "meminfo"}));
  EXPECT_EQ(query.canonical, "collect[]=cpu&collect[]=meminfo");
  EXPECT_EQ(ParseScrapeQuery("collect[]=cpu&collect[]=meminfo", kEnabled).canonical, query.canonical);
}

TEST(ScrapeQuery, ExcludeSelectsTheRest) {
  ScrapeQuery query = ParseScrapeQuery("exclude[]=cpu&&", kEnabled);
  EXPECT_EQ(query.Selected(kEnabled), (std::vector<std::string>{"loadavg", "meminfo"}));
  EXPECT_EQ(query.canonical, "exclude[]=cpu");
}

TEST(ScrapeQuery, RejectsWhatItDoesNotKnow) {
  EXPECT_EQ(ErrorOf("foo=bar"), "unknown query parameter \"foo\": only collect[] and exclude[] are recognised");
  EXPECT_EQ(ErrorOf("collect[]=nosuch"), "unknown collector \"nosuch\"");
  EXPECT_EQ(ErrorOf("collect[]=cpu&exclude[]=meminfo"), "collect[] and exclude[] cannot be combined");
  EXPECT_EQ(ErrorOf("collect[]="), "collect[] needs a collector name");
  EXPECT_EQ(ErrorOf("collect[]"), "collect[] needs a collector name");
  EXPECT_EQ(ErrorOf("collect[]=%zz"), "malformed percent-encoding in query: \"%zz\"");
  EXPECT_EQ(ErrorOf("collect[]=cp%"), "malformed percent-encoding in query: \"cp%\"");
  EXPECT_EQ(ErrorOf("collect[]=cp%4"), "malformed percent-encoding in query: \"cp%4\"");
}

TEST(ScrapeQuery, ErrorsQuoteAtMostAShortPrefix) {
  std::string message = ErrorOf(std::string(10000, 'x') + "=1");
  EXPECT_LT(message.size(), 200u);
}

}  // namespace
}  // namespace hw_exporter

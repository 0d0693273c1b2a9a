#include <gtest/gtest.h>

#include "hw_exporter/http/http_error.h"
#include "hw_exporter/http/metrics_endpoint.h"

namespace hw_exporter {
namespace {

using namespace std::chrono_literals;

TEST(ScrapeWaitBudget, IsPrometheusTimeoutLessTheOffset) {
  EXPECT_EQ(ScrapeWaitBudget("10", 3s, 500ms), 9500ms);
  EXPECT_EQ(ScrapeWaitBudget("0.25", 3s, 500ms), 0ms) << "never negative";
  EXPECT_EQ(ScrapeWaitBudget(std::nullopt, 3s, 500ms), 3s) << "without the header, the configured wait";
}

TEST(ScrapeWaitBudget, AHugeTimeoutIsClampedInsteadOfOverflowing) {
  EXPECT_EQ(ScrapeWaitBudget("1e300", 3s, 500ms), kLongestScrapeTimeout - 500ms);
  EXPECT_EQ(ScrapeWaitBudget("1e16", 3s, 500ms), kLongestScrapeTimeout - 500ms);
}

TEST(ScrapeWaitBudget, RejectsWhatIsNotANumberOfSeconds) {
  for (const char* header : {"", "ten", "-1", "nan", "inf", "1e400"}) {
    try {
      ScrapeWaitBudget(header, 3s, 500ms);
      ADD_FAILURE() << header;
    } catch (const HttpError& error) {
      EXPECT_EQ(error.status(), 400) << header;
    }
  }
}

}  // namespace
}  // namespace hw_exporter

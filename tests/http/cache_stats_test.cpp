#include "hw_exporter/http/status_pages.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace hw_exporter {
namespace {

using namespace std::chrono_literals;

nlohmann::json FamilyCacheJson(const FamilySnapshot& snapshot) {
  return nlohmann::json::parse(CacheStatsJson(snapshot, nullptr))["family_cache"];
}

TEST(CacheStatsJsonTest, SaysWhenTheNextScrapeIsExpectedOrNullWithoutACadence) {
  FamilySnapshot snapshot;
  snapshot.taken_at = Clock::SteadyTime(1h);
  EXPECT_TRUE(FamilyCacheJson(snapshot).at("next_scrape_expected_in_seconds").is_null());
  snapshot.next_read = snapshot.taken_at + 14'250ms;
  EXPECT_DOUBLE_EQ(FamilyCacheJson(snapshot).at("next_scrape_expected_in_seconds").get<double>(), 14.25);
}

}  // namespace
}  // namespace hw_exporter

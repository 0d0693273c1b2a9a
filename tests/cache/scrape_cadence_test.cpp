#include "hw_exporter/cache/scrape_cadence.h"

#include <gtest/gtest.h>

#include <initializer_list>

namespace hw_exporter {
namespace {

using namespace std::chrono_literals;

constexpr Clock::SteadyTime kStart = Clock::SteadyTime(std::chrono::hours(1));

// Arrivals at these offsets from kStart, in order; returns what the last one predicted.
std::optional<Clock::SteadyTime> ArriveAt(ScrapeCadence& cadence, std::initializer_list<Duration> offsets) {
  std::optional<Clock::SteadyTime> next;
  for (Duration offset : offsets) next = cadence.Arrived(kStart + offset);
  return next;
}

TEST(ScrapeCadenceTest, PredictsNothingFromFewerThanThreeArrivals) {
  ScrapeCadence cadence;
  EXPECT_FALSE(cadence.Next());
  EXPECT_FALSE(ArriveAt(cadence, {0s}));
  EXPECT_FALSE(ArriveAt(cadence, {15s}));
  EXPECT_EQ(ArriveAt(cadence, {30s}), kStart + 45s);
  EXPECT_EQ(cadence.Next(), kStart + 45s);
}

TEST(ScrapeCadenceTest, OneScraperIsExpectedOneIntervalAfterItsLastScrape) {
  ScrapeCadence cadence;
  // A Prometheus server lands within milliseconds of its schedule; the last interval is the one foreseen.
  EXPECT_EQ(ArriveAt(cadence, {0ms, 15'010ms, 29'990ms, 45'000ms}), kStart + 60'010ms);
}

TEST(ScrapeCadenceTest, TwoScrapersAtUnevenPhasesAreForeseenFromTheArrivalTwoBefore) {
  ScrapeCadence cadence;
  // Two servers scraping every 15 s, 4 s apart: the gaps alternate 4 s and 11 s.
  EXPECT_FALSE(ArriveAt(cadence, {0s, 4s, 15s, 19s})) << "two periods of two scrapers need five arrivals";
  EXPECT_EQ(ArriveAt(cadence, {30s}), kStart + 34s);
  EXPECT_EQ(ArriveAt(cadence, {34s}), kStart + 45s);
  EXPECT_EQ(ArriveAt(cadence, {45s}), kStart + 49s);
}

TEST(ScrapeCadenceTest, FourScrapersAtUnevenPhases) {
  ScrapeCadence cadence;
  std::optional<Clock::SteadyTime> next;
  for (int period = 0; period < 3; ++period) {
    for (Duration phase : {0ms, 700ms, 2'300ms, 4'100ms}) next = cadence.Arrived(kStart + period * 5s + phase);
  }
  EXPECT_EQ(next, kStart + 15s);
}

TEST(ScrapeCadenceTest, AnIrregularArrivalPredictsNothingUntilThePatternHoldsAgain) {
  ScrapeCadence cadence;
  ASSERT_EQ(ArriveAt(cadence, {0s, 10s, 20s}), kStart + 30s);
  EXPECT_FALSE(ArriveAt(cadence, {23s})) << "someone with curl";
  // The server goes on every 10 s: the arrivals fit no pattern of up to eight scrapers until the stray one is far
  // enough back.
  EXPECT_FALSE(ArriveAt(cadence, {30s}));
  EXPECT_FALSE(ArriveAt(cadence, {40s}));
  EXPECT_EQ(ArriveAt(cadence, {50s}), kStart + 60s);
}

TEST(ScrapeCadenceTest, ArrivalsAtTheSameMomentAreOne) {
  ScrapeCadence cadence;
  // Two servers in the same phase, or a burst: one arrival, whose cadence is the servers' interval.
  EXPECT_EQ(ArriveAt(cadence, {0ms, 40ms, 10s, 10'099ms, 20s, 20'001ms}), kStart + 30s);
}

TEST(ScrapeCadenceTest, PeriodsThatDifferMoreThanTheJitterAreNoCadence) {
  ScrapeCadence cadence;
  EXPECT_FALSE(ArriveAt(cadence, {0ms, 1'000ms, 2'060ms})) << "60 ms apart, where a second allows 50";
  ScrapeCadence slow;
  EXPECT_EQ(ArriveAt(slow, {0ms, 60'000ms, 121'100ms}), kStart + 182'200ms) << "a fiftieth of a minute allows 1.2 s";
}

}  // namespace
}  // namespace hw_exporter

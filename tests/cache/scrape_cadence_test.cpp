#include "hw_exporter/cache/scrape_cadence.h"

#include <gtest/gtest.h>

#include <initializer_list>

namespace hw_exporter {
namespace {

using namespace std::chrono_literals;

constexpr Clock::SteadyTime kStart = Clock::SteadyTime(std::chrono::hours(1));

// Arrivals at these offsets from kStart, in order; returns what the last one foresaw.
std::optional<ScrapeCadence::Foreseen> ForeseenAfter(ScrapeCadence& cadence, std::initializer_list<Duration> offsets) {
  std::optional<ScrapeCadence::Foreseen> next;
  for (Duration offset : offsets) next = cadence.Arrived(kStart + offset);
  return next;
}

// The same, when the next arrival is expected.
std::optional<Clock::SteadyTime> ArriveAt(ScrapeCadence& cadence, std::initializer_list<Duration> offsets) {
  const std::optional<ScrapeCadence::Foreseen> next = ForeseenAfter(cadence, offsets);
  if (!next) return std::nullopt;
  return next->at;
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

TEST(ScrapeCadenceTest, TheNextScrapersLastArrivalIsForeseenWithIt) {
  ScrapeCadence one;
  EXPECT_EQ(ForeseenAfter(one, {0s, 15s, 30s}), (ScrapeCadence::Foreseen{kStart + 45s, kStart + 30s, std::nullopt}))
      << "one scraper: the arrival just recorded";
  ScrapeCadence two;
  EXPECT_EQ(ForeseenAfter(two, {0s, 4s, 15s, 19s, 30s}),
            (ScrapeCadence::Foreseen{kStart + 34s, kStart + 19s, kStart + 45s}))
      << "two scrapers: the arrival before the last";
  EXPECT_EQ(ForeseenAfter(two, {30'050ms}), (ScrapeCadence::Foreseen{kStart + 34s, kStart + 19s, kStart + 45s}))
      << "an arrival at the same moment foresees what the last one did";
}

TEST(ScrapeCadenceTest, TheArrivalAfterTheNextIsForeseenForMoreThanOneScraper) {
  ScrapeCadence one;
  ForeseenAfter(one, {0s, 15s, 30s});
  EXPECT_EQ(one.Next(), kStart + 45s);
  EXPECT_FALSE(one.AfterNext()) << "one scraper: the arrival after the next is its own, not another's";
  ScrapeCadence two;
  ForeseenAfter(two, {0s, 4s, 15s, 19s, 30s, 34s});
  EXPECT_EQ(two.Next(), kStart + 45s);
  EXPECT_EQ(two.AfterNext(), kStart + 49s) << "the other scraper, a period after its last arrival";
  ForeseenAfter(two, {37s});
  EXPECT_FALSE(two.AfterNext()) << "an irregular arrival foresees nothing";
}

TEST(ScrapeCadenceTest, ScrapersSpreadEvenlyAreToldApartByTheirReaders) {
  ScrapeCadence cadence;
  std::optional<ScrapeCadence::Foreseen> next;
  for (int arrival = 0; arrival < 6; ++arrival) next = cadence.Arrived(kStart + arrival * 7'500ms, arrival % 2 + 1);
  EXPECT_EQ(next, (ScrapeCadence::Foreseen{kStart + 45s, kStart + 30s, kStart + 52'500ms}))
      << "two servers every 15 s, not one every 7.5";

  ScrapeCadence unknown;
  for (int arrival = 0; arrival < 6; ++arrival) next = unknown.Arrived(kStart + arrival * 7'500ms);
  EXPECT_EQ(next, (ScrapeCadence::Foreseen{kStart + 45s, kStart + 37'500ms, std::nullopt}))
      << "without readers: one every 7.5 s";

  ScrapeCadence reconnecting;
  for (int arrival = 0; arrival < 4; ++arrival) next = reconnecting.Arrived(kStart + arrival * 60s, 100 + arrival);
  EXPECT_EQ(next, (ScrapeCadence::Foreseen{kStart + 240s, kStart + 180s, std::nullopt}))
      << "a scraper on a new connection each time: told by the times";
}

TEST(ScrapeCadenceTest, FourScrapersAtUnevenPhases) {
  ScrapeCadence cadence;
  std::optional<ScrapeCadence::Foreseen> next;
  for (int period = 0; period < 3; ++period) {
    for (Duration phase : {0ms, 700ms, 2'300ms, 4'100ms}) next = cadence.Arrived(kStart + period * 5s + phase);
  }
  EXPECT_EQ(next, (ScrapeCadence::Foreseen{kStart + 15s, kStart + 10s, kStart + 15'700ms}));
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

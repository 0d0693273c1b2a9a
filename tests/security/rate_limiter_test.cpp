#include "hw_exporter/security/rate_limiter.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "support/fake_clock.h"

namespace hw_exporter {
namespace {

using namespace std::chrono_literals;
using testing::FakeClock;

int AcquireAll(RateLimiter& limiter) {
  int taken = 0;
  while (taken < 1000 && limiter.TryAcquire()) ++taken;
  return taken;
}

TEST(RateLimiterTest, AllowsTheBurstAtOnceAndRefusesTheNext) {
  FakeClock clock;
  RateLimiter limiter(1s, 3, clock);
  EXPECT_TRUE(limiter.TryAcquire());
  EXPECT_TRUE(limiter.TryAcquire());
  EXPECT_TRUE(limiter.TryAcquire());
  EXPECT_FALSE(limiter.TryAcquire());
}

TEST(RateLimiterTest, GainsOneTokenPerInterval) {
  FakeClock clock;
  RateLimiter limiter(1s, 2, clock);
  ASSERT_EQ(AcquireAll(limiter), 2);
  clock.Advance(1s);
  EXPECT_TRUE(limiter.TryAcquire());
  EXPECT_FALSE(limiter.TryAcquire());
}

TEST(RateLimiterTest, FractionsThatDoNotAddUpExactlyStillMakeAToken) {
  FakeClock clock;
  RateLimiter limiter(300ms, 1, clock);
  ASSERT_TRUE(limiter.TryAcquire());
  for (int i = 0; i < 2; ++i) {
    clock.Advance(100ms);
    EXPECT_FALSE(limiter.TryAcquire());
  }
  clock.Advance(100ms);
  EXPECT_TRUE(limiter.TryAcquire());
}

TEST(RateLimiterTest, HoldsNoMoreThanTheBurstAfterALongIdle) {
  FakeClock clock;
  RateLimiter limiter(1s, 3, clock);
  ASSERT_EQ(AcquireAll(limiter), 3);
  clock.Advance(1h);
  EXPECT_EQ(AcquireAll(limiter), 3);
}

TEST(RateLimiterTest, ARefusedRequestTakesNothing) {
  FakeClock clock;
  RateLimiter limiter(1s, 1, clock);
  ASSERT_TRUE(limiter.TryAcquire());
  clock.Advance(600ms);
  EXPECT_FALSE(limiter.TryAcquire());
  clock.Advance(400ms);
  EXPECT_TRUE(limiter.TryAcquire());
}

TEST(RateLimiterTest, RejectsANonPositiveIntervalOrBurst) {
  FakeClock clock;
  EXPECT_THROW(RateLimiter(0ms, 1, clock), std::invalid_argument);
  EXPECT_THROW(RateLimiter(-1s, 1, clock), std::invalid_argument);
  EXPECT_THROW(RateLimiter(1s, 0, clock), std::invalid_argument);
  EXPECT_THROW(RateLimiter(1s, -2, clock), std::invalid_argument);
}

}  // namespace
}  // namespace hw_exporter

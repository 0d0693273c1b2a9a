#include <gtest/gtest.h>

#include "hw_exporter/diagnostics/self_watch.h"

namespace hw_exporter {
namespace {

using namespace std::chrono_literals;

// Samples one second apart from a fixed origin: the trigger sees only the times it is given.
class CaptureTriggerTest : public ::testing::Test {
 protected:
  std::optional<std::string_view> At(std::chrono::seconds when, double cpu_seconds, std::uint64_t resident_bytes) {
    return trigger.Observe({cpu_seconds, resident_bytes}, Clock::SteadyTime{} + 1h + when);
  }

  SelfWatchOptions options{.cpu_threshold = 0.5, .memory_threshold = 1000, .sustained = 3s, .cooldown = 60s};
  CaptureTrigger trigger{options};
};

TEST_F(CaptureTriggerTest, CpuAboveTheThresholdForTheWholeSpanCaptures) {
  EXPECT_FALSE(At(0s, 0, 10));
  EXPECT_FALSE(At(1s, 0.9, 10));  // 0.9 cores from here on
  EXPECT_FALSE(At(2s, 1.8, 10));
  EXPECT_FALSE(At(3s, 2.7, 10));
  EXPECT_EQ(At(4s, 3.6, 10), "cpu");  // above since 1 s, for 3 s
}

TEST_F(CaptureTriggerTest, ADipBelowStartsTheSpanAgain) {
  At(0s, 0, 10);
  At(1s, 0.9, 10);
  At(2s, 1.8, 10);
  EXPECT_FALSE(At(3s, 1.9, 10));  // 0.1 cores
  EXPECT_FALSE(At(4s, 2.8, 10));
  EXPECT_FALSE(At(5s, 3.7, 10));
  EXPECT_FALSE(At(6s, 4.6, 10));
  EXPECT_EQ(At(7s, 5.5, 10), "cpu");
}

TEST_F(CaptureTriggerTest, MemoryAboveTheThresholdCapturesOnceThenWaitsForTheCooldown) {
  EXPECT_FALSE(At(0s, 0, 2000));
  EXPECT_FALSE(At(2s, 0, 2000));
  EXPECT_EQ(At(3s, 0, 2000), "memory");
  for (int second = 4; second < 63; ++second)
    EXPECT_FALSE(At(std::chrono::seconds(second), 0, 2000)) << "captured again at " << second << " s";
  EXPECT_EQ(At(63s, 0, 2000), "memory");  // 60 s after the last capture, and still above
}

TEST_F(CaptureTriggerTest, AtTheThresholdIsNotAbove) {
  for (int second = 0; second < 10; ++second)
    EXPECT_FALSE(At(std::chrono::seconds(second), 0.5 * second, 1000)) << second;
}

TEST(CaptureTrigger, AThresholdOfZeroIsNotWatched) {
  CaptureTrigger trigger(SelfWatchOptions{.cpu_threshold = 0, .memory_threshold = 0, .sustained = 1s});
  for (int second = 0; second < 10; ++second)
    EXPECT_FALSE(trigger.Observe({4.0 * second, 1ULL << 40}, Clock::SteadyTime{} + std::chrono::seconds(second)));
}

}  // namespace
}  // namespace hw_exporter

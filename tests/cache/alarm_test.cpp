#include "cache/alarm.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

namespace hw_exporter {
namespace {

using namespace std::chrono_literals;

Clock::SteadyTime Now() { return std::chrono::steady_clock::now(); }

// Waits on another thread; the future is ready once Wait() returned.
std::future<void> Waiting(Alarm& alarm) {
  return std::async(std::launch::async, [&alarm] { alarm.Wait(); });
}

TEST(Alarm, ARingEndsTheWait) {
  Alarm alarm;
  auto waiting = Waiting(alarm);
  alarm.Ring();
  EXPECT_EQ(waiting.wait_for(30s), std::future_status::ready);
}

TEST(Alarm, ARingBeforeTheWaitEndsItAtOnceAndOnlyOnce) {
  Alarm alarm;
  alarm.Ring();
  alarm.Ring();
  alarm.Wait();  // returns: the rings came before
  auto waiting = Waiting(alarm);
  EXPECT_EQ(waiting.wait_for(300ms), std::future_status::timeout) << "both rings were taken by the first wait";
  alarm.Ring();
  EXPECT_EQ(waiting.wait_for(30s), std::future_status::ready);
}

TEST(Alarm, TheDeadlineEndsTheWait) {
  Alarm alarm;
  alarm.Set(Now() + 50ms);
  auto waiting = Waiting(alarm);
  EXPECT_EQ(waiting.wait_for(30s), std::future_status::ready);
}

TEST(Alarm, APassedDeadlineEndsTheWaitAtOnce) {
  Alarm alarm;
  alarm.Set(Now() - 1s);
  alarm.Wait();
  alarm.Set(Clock::SteadyTime{});  // the clock's start: still a deadline, not none
  alarm.Wait();
  SUCCEED();
}

TEST(Alarm, APassedDeadlineSetAgainEndsTheNextWaitToo) {
  Alarm alarm;
  const Clock::SteadyTime passed = Now() - 1s;
  alarm.Set(passed);
  alarm.Wait();
  alarm.Set(passed);  // the timer went off and Wait() took it: armed again, not left as it was
  auto waiting = Waiting(alarm);
  const bool ended = waiting.wait_for(30s) == std::future_status::ready;
  if (!ended) alarm.Ring();  // so that the waiting thread ends and the test can
  EXPECT_TRUE(ended) << "the same passed deadline, set again, did not end the wait";
}

TEST(Alarm, TheSameDeadlineToComeSetAgainStillEndsTheWaitOnce) {
  Alarm alarm;
  const Clock::SteadyTime soon = Now() + 50ms;
  alarm.Set(soon);
  auto waiting = Waiting(alarm);
  alarm.Set(soon);
  EXPECT_EQ(waiting.wait_for(30s), std::future_status::ready);
  auto waiting_again = Waiting(alarm);
  EXPECT_EQ(waiting_again.wait_for(300ms), std::future_status::timeout) << "one deadline, two wakes";
  alarm.Ring();
  EXPECT_EQ(waiting_again.wait_for(30s), std::future_status::ready);
}

// The point of the alarm: the scheduler is not woken for a deadline that no longer matters.
TEST(Alarm, ADeadlineMovedLaterDoesNotWakeTheWaiter) {
  Alarm alarm;
  alarm.Set(Now() + 100ms);
  auto waiting = Waiting(alarm);
  alarm.Set(Now() + 1h);
  EXPECT_EQ(waiting.wait_for(600ms), std::future_status::timeout) << "woken for the deadline moved away";
  alarm.Set(Clock::SteadyTime::max());
  EXPECT_EQ(waiting.wait_for(300ms), std::future_status::timeout) << "no deadline: only a ring ends the wait";
  alarm.Set(Now() + 10ms);  // moved earlier while waiting
  EXPECT_EQ(waiting.wait_for(30s), std::future_status::ready);
}

}  // namespace
}  // namespace hw_exporter

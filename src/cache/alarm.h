#pragma once

#include "hw_exporter/core/clock.h"

namespace hw_exporter {

// What the family cache's scheduler and its refresher wait on: a deadline on the steady clock, or a ring. Any thread
// may move the deadline, earlier or later, without waking the waiter, so that a deadline that stopped mattering (a
// refresh that ended before its timeout) costs no wake-up; a ring wakes it at once. A timerfd and an eventfd, where a
// condition variable would have to be signalled, waking its waiter, for its deadline to move.
class Alarm {
 public:
  Alarm();  // throws std::system_error when the kernel gives no timer or event descriptor
  ~Alarm();
  Alarm(const Alarm&) = delete;
  Alarm& operator=(const Alarm&) = delete;

  // Callers serialize Set() and set_for(). SteadyTime::max(): no deadline.
  void Set(Clock::SteadyTime when);
  Clock::SteadyTime set_for() const { return when_; }
  void Ring();
  // Returns at the deadline or a ring, at once for either that came since it last returned.
  void Wait();

 private:
  int timer_ = -1;
  int bell_ = -1;
  Clock::SteadyTime when_ = Clock::SteadyTime::max();
};

}  // namespace hw_exporter

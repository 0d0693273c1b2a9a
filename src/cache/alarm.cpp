#include "alarm.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <system_error>

namespace hw_exporter {

namespace {

[[noreturn]] void Fail(const char* what) { throw std::system_error(errno, std::generic_category(), what); }

// Reads what a descriptor holds, so that poll() waits again; nothing there is fine.
void Drain(int descriptor) {
  std::uint64_t count = 0;
  while (read(descriptor, &count, sizeof count) < 0 && errno == EINTR) {
  }
}

}  // namespace

Alarm::Alarm() {
  // steady_clock is CLOCK_MONOTONIC on Linux: its time points are the timer's absolute times.
  timer_ = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
  if (timer_ < 0) Fail("timerfd_create");
  bell_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (bell_ < 0) {
    close(timer_);
    Fail("eventfd");
  }
}

Alarm::~Alarm() {
  close(timer_);
  close(bell_);
}

void Alarm::Set(Clock::SteadyTime when) {
  // The refresher sets its deadline again after every refresh it runs, mostly to the same time: a timer already
  // armed for a time still to come is left alone, a system call saved. One whose time has passed may have gone off
  // and been taken by Wait(), so it is armed again.
  const bool unchanged = when == when_ && (when == Clock::SteadyTime::max() || when > std::chrono::steady_clock::now());
  if (unchanged) return;
  itimerspec spec{};  // all zero: disarmed
  if (when != Clock::SteadyTime::max()) {
    // A zero time would disarm the timer: a deadline at or before the clock's start is the earliest one instead.
    const auto since_start = std::max(std::chrono::nanoseconds(1),
                                      std::chrono::duration_cast<std::chrono::nanoseconds>(when.time_since_epoch()));
    spec.it_value.tv_sec = std::chrono::duration_cast<std::chrono::seconds>(since_start).count();
    spec.it_value.tv_nsec = (since_start % std::chrono::seconds(1)).count();
  }
  if (timerfd_settime(timer_, TFD_TIMER_ABSTIME, &spec, nullptr) != 0) Fail("timerfd_settime");
  when_ = when;
}

void Alarm::Ring() {
  const std::uint64_t one = 1;
  while (write(bell_, &one, sizeof one) < 0 && errno == EINTR) {
  }
}

void Alarm::Wait() {
  pollfd descriptors[] = {{timer_, POLLIN, 0}, {bell_, POLLIN, 0}};
  while (poll(descriptors, 2, -1) < 0 && errno == EINTR) {
  }
  Drain(timer_);
  Drain(bell_);
}

}  // namespace hw_exporter

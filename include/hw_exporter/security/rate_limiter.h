#pragma once

#include <mutex>

#include "hw_exporter/core/clock.h"
#include "hw_exporter/core/duration.h"

namespace hw_exporter {

// A token bucket: holds up to `burst` tokens, gains one every `interval`, and each request takes one.
class RateLimiter {
 public:
  RateLimiter(Duration interval, int burst, Clock& clock = Clock::Real());

  // Takes a token when there is one. Thread-safe.
  bool TryAcquire();

 private:
  Duration interval_;
  int burst_;
  Clock& clock_;
  std::mutex mutex_;
  double tokens_;
  Clock::SteadyTime last_;
};

}  // namespace hw_exporter

#pragma once

#include <chrono>

namespace hw_exporter {

// Time behind a seam, so that the caches can be tested with a clock the test moves.
class Clock {
 public:
  using SteadyTime = std::chrono::steady_clock::time_point;
  using WallTime = std::chrono::system_clock::time_point;

  virtual ~Clock() = default;
  virtual SteadyTime Now() const = 0;
  virtual WallTime WallNow() const = 0;

  // The process-wide real clock.
  static Clock& Real();
};

}  // namespace hw_exporter

#pragma once

#include <atomic>

#include "hw_exporter/core/clock.h"

namespace hw_exporter::testing {

// A clock that moves only when the test says so.
class FakeClock final : public Clock {
 public:
  SteadyTime Now() const override { return SteadyTime(now_.load()); }
  WallTime WallNow() const override { return WallTime(std::chrono::seconds(1'700'000'000)) + now_.load(); }
  void Advance(std::chrono::milliseconds step) { now_ = now_.load() + step; }
  void AdvanceTo(SteadyTime at) { now_ = at.time_since_epoch(); }

 private:
  std::atomic<std::chrono::steady_clock::duration> now_{std::chrono::hours(1)};
};

}  // namespace hw_exporter::testing

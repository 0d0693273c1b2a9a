#include "hw_exporter/security/rate_limiter.h"

#include <algorithm>
#include <stdexcept>

namespace hw_exporter {
namespace {

// Refills add fractions of a token, and fractions such as thirds do not sum to exactly 1 in a double: a bucket
// that has waited a whole interval must not be refused for a rounding error.
constexpr double kRoundingSlack = 1e-9;

Duration CheckedInterval(Duration interval) {
  if (interval <= Duration::zero()) throw std::invalid_argument("rate limit: interval must be positive");
  return interval;
}

int CheckedBurst(int burst) {
  if (burst <= 0) throw std::invalid_argument("rate limit: burst must be positive");
  return burst;
}

}  // namespace

RateLimiter::RateLimiter(Duration interval, int burst, Clock& clock)
    : interval_(CheckedInterval(interval)),
      burst_(CheckedBurst(burst)),
      clock_(clock),
      tokens_(burst_),
      last_(clock_.Now()) {}

bool RateLimiter::TryAcquire() {
  std::lock_guard lock(mutex_);
  const Clock::SteadyTime now = clock_.Now();
  if (now > last_) {
    const double gained = std::chrono::duration<double>(now - last_) / std::chrono::duration<double>(interval_);
    tokens_ = std::min<double>(burst_, tokens_ + gained);
    last_ = now;
  }
  if (tokens_ < 1 - kRoundingSlack) return false;
  tokens_ -= 1;
  return true;
}

}  // namespace hw_exporter

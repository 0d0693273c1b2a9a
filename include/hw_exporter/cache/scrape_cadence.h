#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <mutex>
#include <optional>

#include "hw_exporter/core/clock.h"
#include "hw_exporter/core/duration.h"

namespace hw_exporter {

// When the next scrape will arrive, learned from the last arrivals. Each Prometheus server scrapes a target on a
// fixed interval, at a phase of its own, so with n servers of one interval the arrivals repeat every n arrivals:
// the gaps between them need not be equal, but each arrival is one period after the arrival n before it. The
// cadence looks for the smallest such n (up to kMaxScrapers) that the last arrivals agree with, and predicts the
// next arrival one period after the one that came n - 1 arrivals before the last. Irregular arrivals (a person with
// curl, a scraper starting or stopping) predict nothing until the pattern has held again for 2n + 1 arrivals.
// Safe to call from any thread.
class ScrapeCadence {
 public:
  static constexpr std::size_t kMaxScrapers = 8;
  // Arrivals closer together than this are one: scrapers in the same phase, or a burst.
  static constexpr Duration kSameMoment = std::chrono::milliseconds(100);
  // How far two periods may differ and still be one: the larger of this and a fiftieth of the period.
  static constexpr Duration kJitter = std::chrono::milliseconds(50);

  // Records a scrape arriving at `now` (times only move forward) and returns the arrival expected next, if any.
  // Costs two atomic loads for an arrival within kSameMoment of the last one.
  std::optional<Clock::SteadyTime> Arrived(Clock::SteadyTime now);

  // The arrival expected after the last one, if the arrivals have a cadence.
  std::optional<Clock::SteadyTime> Next() const;

 private:
  static constexpr std::size_t kKept = 2 * kMaxScrapers + 1;
  std::optional<Clock::SteadyTime> Predict() const;  // callers hold `mutex_`

  std::mutex mutex_;
  std::array<Clock::SteadyTime, kKept> arrivals_{};  // a ring: the oldest at `first_`
  std::size_t first_ = 0;
  std::size_t count_ = 0;
  // Written under `mutex_`, read without it; kNone: no arrival yet, or no cadence.
  static constexpr Clock::SteadyTime::rep kNone = Clock::SteadyTime::min().time_since_epoch().count();
  std::atomic<Clock::SteadyTime::rep> last_{kNone};
  std::atomic<Clock::SteadyTime::rep> next_{kNone};
};

}  // namespace hw_exporter

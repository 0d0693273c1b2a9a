#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>

#include "hw_exporter/core/clock.h"
#include "hw_exporter/core/duration.h"

namespace hw_exporter {

// When the next scrape will arrive, learned from the last arrivals. Each Prometheus server scrapes a target on a
// fixed interval, at a phase of its own, so with n servers of one interval the arrivals repeat every n arrivals:
// the gaps between them need not be equal, but each arrival is one period after the arrival n before it. The
// cadence looks for the smallest such n (up to kMaxScrapers) that the last arrivals agree with, and predicts the
// next arrival one period after the one that came n - 1 arrivals before the last: the same scraper's last arrival.
// Where the arrivals name their reader (a scraper's connection), an n whose arrivals n apart are also by the same
// reader is preferred: n scrapers spread evenly over their interval arrive as one scraper at 1/n of it would.
// Irregular arrivals (a person with curl, a scraper starting or stopping) predict nothing until the pattern has held
// again for 2n + 1 arrivals. Safe to call from any thread.
class ScrapeCadence {
 public:
  // The arrival expected next, and the last arrival of the scraper expected then (one period before it); with more
  // than one scraper, also the arrival expected after it, another scraper's.
  struct Foreseen {
    Clock::SteadyTime at;
    Clock::SteadyTime previous;
    std::optional<Clock::SteadyTime> after;
    friend bool operator==(const Foreseen&, const Foreseen&) = default;
  };

  static constexpr std::size_t kMaxScrapers = 8;
  // Arrivals closer together than this are one: scrapers in the same phase, or a burst.
  static constexpr Duration kSameMoment = std::chrono::milliseconds(100);
  // How far two periods may differ and still be one: the larger of this and a fiftieth of the period.
  static constexpr Duration kJitter = std::chrono::milliseconds(50);

  // Records a scrape by `reader` (0: unknown) arriving at `now` (times only move forward) and returns the arrival
  // expected next, if any. Costs three atomic loads for an arrival within kSameMoment of the last one.
  std::optional<Foreseen> Arrived(Clock::SteadyTime now, std::uint64_t reader = 0);

  // The arrival expected after the last one, if the arrivals have a cadence.
  std::optional<Clock::SteadyTime> Next() const;
  // The arrival expected after that one, if the arrivals have a cadence of more than one scraper.
  std::optional<Clock::SteadyTime> AfterNext() const;

 private:
  static constexpr std::size_t kKept = 2 * kMaxScrapers + 1;
  struct Arrival {
    Clock::SteadyTime at;
    std::uint64_t reader = 0;
  };
  // The smallest n the last arrivals agree with, by their times and, if `by_reader`, their readers. Callers hold
  // `mutex_`.
  std::optional<Foreseen> Predict(bool by_reader) const;
  std::optional<Foreseen> Foreseeing() const;  // what the last arrival foresaw, read without the lock

  std::mutex mutex_;
  std::array<Arrival, kKept> arrivals_{};  // a ring: the oldest at `first_`
  std::size_t first_ = 0;
  std::size_t count_ = 0;
  // Written under `mutex_`, read without it; kNone: no arrival yet, or no cadence. A reader racing a write may pair
  // a new next arrival with the previous prediction's last arrival of its scraper: one refresh misjudged, no more.
  static constexpr Clock::SteadyTime::rep kNone = Clock::SteadyTime::min().time_since_epoch().count();
  std::atomic<Clock::SteadyTime::rep> last_{kNone};
  std::atomic<Clock::SteadyTime::rep> next_{kNone};
  std::atomic<Clock::SteadyTime::rep> next_scrapers_last_{kNone};
  std::atomic<Clock::SteadyTime::rep> after_next_{kNone};
};

}  // namespace hw_exporter

#include "hw_exporter/cache/scrape_cadence.h"

#include <algorithm>

namespace hw_exporter {

namespace {

Clock::SteadyTime FromRep(Clock::SteadyTime::rep rep) { return Clock::SteadyTime(Clock::SteadyTime::duration(rep)); }

}  // namespace

std::optional<Clock::SteadyTime> ScrapeCadence::Arrived(Clock::SteadyTime now) {
  if (now < FromRep(last_.load(std::memory_order_relaxed)) + kSameMoment) return Next();
  std::lock_guard lock(mutex_);
  if (count_ > 0 && now < arrivals_[(first_ + count_ - 1) % kKept] + kSameMoment) return Next();  // one just before
  if (count_ < kKept) {
    arrivals_[(first_ + count_++) % kKept] = now;
  } else {
    arrivals_[first_] = now;
    first_ = (first_ + 1) % kKept;
  }
  last_.store(now.time_since_epoch().count(), std::memory_order_relaxed);
  const std::optional<Clock::SteadyTime> next = Predict();
  next_.store(next ? next->time_since_epoch().count() : kNone, std::memory_order_relaxed);
  return next;
}

std::optional<Clock::SteadyTime> ScrapeCadence::Next() const {
  const Clock::SteadyTime::rep next = next_.load(std::memory_order_relaxed);
  if (next == kNone) return std::nullopt;
  return FromRep(next);
}

std::optional<Clock::SteadyTime> ScrapeCadence::Predict() const {
  auto at = [this](std::size_t index) { return arrivals_[(first_ + index) % kKept]; };  // 0: the oldest kept
  const std::size_t newest = count_ - 1;
  for (std::size_t scrapers = 1; scrapers <= kMaxScrapers && 2 * scrapers <= newest; ++scrapers) {
    // The last scrapers + 1 arrivals, each a period after the arrival `scrapers` before it.
    auto shortest = Clock::SteadyTime::duration::max();
    auto longest = Clock::SteadyTime::duration::min();
    for (std::size_t back = 0; back <= scrapers; ++back) {
      const auto period = at(newest - back) - at(newest - back - scrapers);
      shortest = std::min(shortest, period);
      longest = std::max(longest, period);
    }
    if (longest - shortest <= std::max<Clock::SteadyTime::duration>(kJitter, shortest / 50))
      return at(newest + 1 - scrapers) + (at(newest) - at(newest - scrapers));
  }
  return std::nullopt;
}

}  // namespace hw_exporter

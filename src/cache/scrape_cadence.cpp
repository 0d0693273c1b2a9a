#include "hw_exporter/cache/scrape_cadence.h"

#include <algorithm>

namespace hw_exporter {

namespace {

Clock::SteadyTime FromRep(Clock::SteadyTime::rep rep) { return Clock::SteadyTime(Clock::SteadyTime::duration(rep)); }

}  // namespace

std::optional<ScrapeCadence::Foreseen> ScrapeCadence::Arrived(Clock::SteadyTime now, std::uint64_t reader) {
  if (now < FromRep(last_.load(std::memory_order_relaxed)) + kSameMoment) return Foreseeing();
  std::lock_guard lock(mutex_);
  if (count_ > 0 && now < arrivals_[(first_ + count_ - 1) % kKept].at + kSameMoment) return Foreseeing();
  if (count_ < kKept) {
    arrivals_[(first_ + count_++) % kKept] = {now, reader};
  } else {
    arrivals_[first_] = {now, reader};
    first_ = (first_ + 1) % kKept;
  }
  last_.store(now.time_since_epoch().count(), std::memory_order_relaxed);
  // By the readers first: scrapers spread evenly over their interval arrive as one scraper at a fraction of it
  // would, and only who arrives tells them apart. A reader that is a new connection each time (one the exporter
  // closed while idle) is told by the times alone.
  std::optional<Foreseen> next = Predict(/*by_reader=*/true);
  if (!next) next = Predict(/*by_reader=*/false);
  next_scrapers_last_.store(next ? next->previous.time_since_epoch().count() : kNone, std::memory_order_relaxed);
  after_next_.store(next && next->after ? next->after->time_since_epoch().count() : kNone, std::memory_order_relaxed);
  next_.store(next ? next->at.time_since_epoch().count() : kNone, std::memory_order_relaxed);
  return next;
}

std::optional<ScrapeCadence::Foreseen> ScrapeCadence::Foreseeing() const {
  const std::optional<Clock::SteadyTime> next = Next();
  if (!next) return std::nullopt;
  return Foreseen{*next, FromRep(next_scrapers_last_.load(std::memory_order_relaxed)), AfterNext()};
}

std::optional<Clock::SteadyTime> ScrapeCadence::Next() const {
  const Clock::SteadyTime::rep next = next_.load(std::memory_order_relaxed);
  if (next == kNone) return std::nullopt;
  return FromRep(next);
}

std::optional<Clock::SteadyTime> ScrapeCadence::AfterNext() const {
  const Clock::SteadyTime::rep after = after_next_.load(std::memory_order_relaxed);
  if (after == kNone) return std::nullopt;
  return FromRep(after);
}

std::optional<ScrapeCadence::Foreseen> ScrapeCadence::Predict(bool by_reader) const {
  auto at = [this](std::size_t index) { return arrivals_[(first_ + index) % kKept]; };  // 0: the oldest kept
  const std::size_t newest = count_ - 1;
  for (std::size_t scrapers = 1; scrapers <= kMaxScrapers && 2 * scrapers <= newest; ++scrapers) {
    // The last scrapers + 1 arrivals, each a period after the arrival `scrapers` before it (and by the same reader).
    auto shortest = Clock::SteadyTime::duration::max();
    auto longest = Clock::SteadyTime::duration::min();
    bool same_readers = true;
    for (std::size_t back = 0; back <= scrapers; ++back) {
      const Arrival& arrival = at(newest - back);
      const Arrival& before = at(newest - back - scrapers);
      shortest = std::min(shortest, arrival.at - before.at);
      longest = std::max(longest, arrival.at - before.at);
      same_readers = same_readers && arrival.reader == before.reader;
    }
    if ((same_readers || !by_reader) &&
        longest - shortest <= std::max<Clock::SteadyTime::duration>(kJitter, shortest / 50)) {
      const Clock::SteadyTime previous = at(newest + 1 - scrapers).at;
      const auto period = at(newest).at - at(newest - scrapers).at;
      // The scraper after the next one arrives a period after its own last arrival, the one after `previous`.
      std::optional<Clock::SteadyTime> after;
      if (scrapers > 1) after = at(newest + 2 - scrapers).at + period;
      return Foreseen{previous + period, previous, after};
    }
  }
  return std::nullopt;
}

}  // namespace hw_exporter

#include "hw_exporter/cache/family_cache.h"
#include "hw_exporter/core/incomplete_refresh.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "support/fake_clock.h"
#include "support/test_support.h"

namespace hw_exporter {
namespace {

using namespace std::chrono_literals;
using testing::FakeClock;

// A collector whose behaviour the test scripts: it counts calls, can be made to fail, and can be held inside
// Collect() until released.
class ScriptedCollector {
 public:
  Families Collect() {
    int call = ++calls;
    {
      std::unique_lock lock(mutex);
      held.wait(lock, [&] { return !hold; });
    }
    if (fail) throw std::runtime_error("sensor unreadable");
    FamilySet set;
    set.Gauge("test_value", "A value.", call);
    return set.Take();
  }

  // Refreshes run on threads of their own: wait (boundedly) until the n-th call has begun.
  bool WaitForCalls(int n) {
    for (auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
         calls < n && std::chrono::steady_clock::now() < deadline;)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return calls == n;
  }

  bool WaitForCallsAtLeast(int n) {
    for (auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
         calls < n && std::chrono::steady_clock::now() < deadline;)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return calls >= n;
  }

  void Hold() {
    std::lock_guard lock(mutex);
    hold = true;
  }
  void Release() {
    {
      std::lock_guard lock(mutex);
      hold = false;
    }
    held.notify_all();
  }

  std::atomic<int> calls{0};
  std::atomic<bool> fail{false};

 private:
  std::mutex mutex;
  std::condition_variable held;
  bool hold = false;
};

// What a slot runs to refresh: the scripted collector's Collect().
std::function<Families()> RefreshOf(std::shared_ptr<ScriptedCollector> collector) {
  return [collector] { return collector->Collect(); };
}

double ValueOf(const SlotState& slot) { return slot.families->at(0).metric.at(0).gauge.value; }

bool Everything(const SlotState&) { return true; }

class FamilyCacheTest : public ::testing::Test {
 protected:
  FamilyCacheTest() : collector(std::make_shared<ScriptedCollector>()) {}

  std::unique_ptr<FamilyCache> Make(Duration ttl = 15s, Duration timeout = 2s, Duration max_staleness = 60s) {
    return std::make_unique<FamilyCache>(std::vector<SlotSettings>{{"scripted", ttl, timeout, max_staleness,
                                                                    RefreshOf(collector)}},
                                         clock);
  }

  // One scheduling step, then wait for what it started.
  void Step(FamilyCache& cache) {
    cache.Tick();
    ASSERT_TRUE(cache.WaitIdle(5s));
  }

  // Moves the clock by `span`, taking the scheduling steps the scheduler would take meanwhile, and waiting for
  // the refreshes they start.
  void RunFor(FamilyCache& cache, Duration span) {
    const Clock::SteadyTime until = clock.Now() + span;
    for (;;) {
      const Clock::SteadyTime next = cache.Tick();
      ASSERT_TRUE(cache.WaitIdle(5s));
      if (next > until) break;
      clock.Advance(std::max(1ms, std::chrono::ceil<std::chrono::milliseconds>(next - clock.Now())));
    }
    clock.Advance(std::chrono::duration_cast<std::chrono::milliseconds>(until - clock.Now()));
  }

  // A scrape of every slot: the value the first slot serves, then the refreshes it starts at once. The daemon reads
  // after Demand(), which serves the same data (short of max-staleness), but a refresh it starts on another thread
  // could end before the read here.
  int Scrape(FamilyCache& cache, std::uint64_t reader = 0) {
    const int value = static_cast<int>(ValueOf(cache.SnapshotAll(0ms).slots[0]));
    cache.Demand(Everything, reader);
    EXPECT_TRUE(cache.WaitIdle(5s));
    return value;
  }

  // A scraper that reads every slot every `interval`, `scrapes` times.
  void ScrapeEvery(FamilyCache& cache, Duration interval, int scrapes) {
    for (int scrape = 0; scrape < scrapes; ++scrape) {
      RunFor(cache, interval);
      Scrape(cache);
    }
  }

  // What `servers` scrapers every `interval` at phases evenly spread over it, each on a connection of its own, got
  // in `periods` periods, from the fourth on (once their cadence shows).
  struct TakingTurns {
    int refreshes = 0;
    Duration oldest{};        // the oldest data a scrape got
    bool each_new_to = true;  // every scrape got data its scraper had not read before
  };
  TakingTurns ScrapeInTurns(FamilyCache& cache, int servers, Duration interval, int periods) {
    TakingTurns turns;
    std::vector<int> last_read(servers, 0);
    int calls = 0;
    for (int period = 0; period < periods; ++period) {
      if (period == 3) calls = collector->calls;
      for (int server = 0; server < servers; ++server) {
        RunFor(cache, interval / servers);
        const SlotState slot = cache.SnapshotAll(0ms).slots[0];
        const int value = Scrape(cache, /*reader=*/server + 1);
        if (period >= 3) {
          turns.oldest = std::max(turns.oldest, std::chrono::duration_cast<Duration>(clock.Now() - slot.collected_at));
          turns.each_new_to = turns.each_new_to && value > last_read[server];
        }
        last_read[server] = value;
      }
    }
    turns.refreshes = collector->calls - calls;
    return turns;
  }

  // Defined with the tests of the refresher.
  std::unique_ptr<FamilyCache> HangTheRefresher(std::shared_ptr<ScriptedCollector> other);

  FakeClock clock;
  std::shared_ptr<ScriptedCollector> collector;
};

TEST_F(FamilyCacheTest, FirstTickFillsTheSlotAndMovesTheGeneration) {
  auto cache = Make();
  std::uint64_t before = cache->generation();
  Step(*cache);
  FamilySnapshot snapshot = cache->SnapshotAll(0ms);
  ASSERT_EQ(snapshot.slots.size(), 1u);
  const SlotState& slot = snapshot.slots[0];
  EXPECT_TRUE(slot.success);
  EXPECT_TRUE(slot.attempted);
  ASSERT_TRUE(slot.families);
  EXPECT_EQ(ValueOf(slot), 1);
  EXPECT_GT(snapshot.generation, before);
  EXPECT_EQ(slot.generation, snapshot.generation);
  EXPECT_EQ(slot.last_success, clock.WallNow());
}

TEST_F(FamilyCacheTest, RefreshesOnlyWhenTheTtlHasPassed) {
  auto cache = Make(15s);
  Step(*cache);
  clock.Advance(14s);
  Step(*cache);
  EXPECT_EQ(collector->calls, 1);
  std::uint64_t generation = cache->generation();
  clock.Advance(1s);
  Step(*cache);
  EXPECT_EQ(collector->calls, 2);
  EXPECT_GT(cache->generation(), generation);
  EXPECT_EQ(ValueOf(cache->SnapshotAll(0ms).slots[0]), 2);
}

TEST_F(FamilyCacheTest, AWatchMakesItsSlotDueAtOnce) {
  std::function<void()> refresh_now;
  SlotSettings settings{"scripted", 15s, 2s, 60s, RefreshOf(collector)};
  settings.watch = [&](std::function<void()> given) { refresh_now = std::move(given); };
  FamilyCache cache({settings}, clock);
  ASSERT_TRUE(refresh_now);  // given as the slot is made
  Step(cache);
  clock.Advance(1s);
  Step(cache);
  EXPECT_EQ(collector->calls, 1);

  refresh_now();  // the sources changed: no waiting for the TTL
  std::uint64_t generation = cache.generation();
  Step(cache);
  EXPECT_EQ(collector->calls, 2);
  EXPECT_GT(cache.generation(), generation);
  clock.Advance(14s);  // the TTL counts from that refresh
  Step(cache);
  EXPECT_EQ(collector->calls, 2);

  // A change announced during a refresh gets a refresh of its own once that one ends: the one under way may have
  // read the sources before the change.
  collector->Hold();
  clock.Advance(1s);
  cache.Tick();
  ASSERT_TRUE(collector->WaitForCalls(3));
  refresh_now();
  collector->Release();
  ASSERT_TRUE(cache.WaitIdle(5s));
  Step(cache);
  EXPECT_EQ(collector->calls, 4);
}

// A slot refreshed on demand, as the daemon makes every collector that runs no program.
SlotSettings OnDemand(std::string name, std::shared_ptr<ScriptedCollector> collector, Duration ttl = 5s,
                      Duration max_staleness = 20s) {
  SlotSettings settings{std::move(name), ttl, 2s, max_staleness, RefreshOf(std::move(collector))};
  settings.on_demand = true;
  return settings;
}

TEST_F(FamilyCacheTest, AnOnDemandSlotIsRefreshedAtTheStartAndThenOnlyWhenReadPastItsTtl) {
  FamilyCache cache({OnDemand("scripted", collector)}, clock);
  Step(cache);
  EXPECT_EQ(collector->calls, 1) << "the start fills it, so that the first scrape finds data";
  for (int step = 0; step < 10; ++step) {
    clock.Advance(5s);
    Step(cache);
  }
  EXPECT_EQ(collector->calls, 1) << "nobody read it: nothing refreshed";
  EXPECT_EQ(cache.Tick(), clock.Now() + std::chrono::hours(1)) << "and the scheduler has nothing to wake up for";

  cache.Demand(Everything);
  ASSERT_TRUE(cache.WaitIdle(5s));
  EXPECT_EQ(collector->calls, 2);
  clock.Advance(4s);
  cache.Demand(Everything);
  ASSERT_TRUE(cache.WaitIdle(5s));
  EXPECT_EQ(collector->calls, 2) << "read within its TTL: served as it is";
  clock.Advance(1s);
  cache.Demand(Everything);
  ASSERT_TRUE(cache.WaitIdle(5s));
  EXPECT_EQ(collector->calls, 3);
}

// Prometheus scrapes on a fixed schedule, but a scrape lands a little before or after the instant it did an
// interval ago. With the TTL equal to the interval, a read that had to find the TTL fully passed would refresh only
// at every other scrape, serving each scraper the same data twice: before the scrapes have a cadence (refreshed
// after each), and once they have one (refreshed before each).
TEST_F(FamilyCacheTest, AScraperWhoseIntervalIsTheTtlGetsNewDataAtEveryScrape) {
  FamilyCache cache({OnDemand("scripted", collector, 10s)}, clock);
  Step(cache);
  ASSERT_EQ(collector->calls, 1);
  for (int scrape = 1; scrape <= 8; ++scrape) {
    RunFor(cache, scrape % 2 == 0 ? 9'950ms : 10'050ms);  // a scrape 50 ms early, then one 50 ms late
    EXPECT_EQ(Scrape(cache), scrape) << "scrape " << scrape;
  }
  EXPECT_EQ(collector->calls, 8) << "one refresh per scrape: the eighth one's is planned ahead of the ninth";
}

TEST_F(FamilyCacheTest, AForeseenScrapeGetsDataRefreshedJustBeforeIt) {
  FamilyCache cache({OnDemand("scripted", collector, 15s)}, clock);
  Step(cache);
  ScrapeEvery(cache, 15s, 3);
  FamilySnapshot snapshot = cache.SnapshotAll(0ms);
  ASSERT_TRUE(snapshot.next_read) << "three scrapes 15 s apart: the next is foreseen";
  EXPECT_EQ(*snapshot.next_read, clock.Now() + 15s);
  for (int scrape = 4; scrape <= 8; ++scrape) {
    const int calls = collector->calls;
    RunFor(cache, 15s - 101ms);
    EXPECT_EQ(collector->calls, calls) << "nothing refreshed before it is needed";
    RunFor(cache, 101ms);
    EXPECT_EQ(collector->calls, calls + 1);
    const SlotState slot = cache.SnapshotAll(0ms).slots[0];
    EXPECT_EQ(Scrape(cache), collector->calls) << "new data at scrape " << scrape;
    EXPECT_EQ(clock.Now() - slot.collected_at, 100ms) << "refreshed 100 ms before the scrape";
  }
}

TEST_F(FamilyCacheTest, TwoScrapersAtUnevenPhasesShareOneRefreshPerIntervalWhenTheTtlAllows) {
  // Two Prometheus servers every 15 s, 4 s apart, and the TTL of a sysfs collector, which is their interval: each
  // scrape gets data its server has not read before, from one refresh per interval that both servers read.
  FamilyCache cache({OnDemand("scripted", collector, 15s, 60s)}, clock);
  Step(cache);
  int first_read = 0;
  int second_read = 0;
  int calls = 0;
  for (int period = 0; period < 8; ++period) {
    if (period == 4) calls = collector->calls;  // the cadence of two scrapers shows after five arrivals
    RunFor(cache, 11s);
    const int first = Scrape(cache);
    RunFor(cache, 4s);
    const int second = Scrape(cache);
    if (period >= 4) {
      EXPECT_GT(first, first_read) << "period " << period << ": new data for the first server";
      EXPECT_GT(second, second_read) << "period " << period << ": new data for the second server";
    }
    first_read = first;
    second_read = second;
  }
  EXPECT_EQ(collector->calls - calls, 4) << "one refresh per interval";
}

TEST_F(FamilyCacheTest, ScrapersHalfAnIntervalApartShareOneRefreshNewToEach) {
  // Two Prometheus servers every 15 s, 7.5 s apart, and the 5 s TTL of a /proc collector: the data refreshed just
  // before one server's scrape is new to the other, and no older than the TTL plus the 7.5 s since the scrape before.
  FamilyCache cache({OnDemand("scripted", collector, 5s, 60s)}, clock);
  Step(cache);
  const TakingTurns turns = ScrapeInTurns(cache, 2, 15s, 8);
  EXPECT_EQ(turns.refreshes, 5) << "one refresh per interval";
  EXPECT_TRUE(turns.each_new_to) << "no scraper read the same data twice";
  EXPECT_EQ(turns.oldest, 7'600ms) << "refreshed 100 ms before one server's scrape, read 7.5 s later by the other";
}

TEST_F(FamilyCacheTest, ScrapersKeepTheSlotsInOnePhase) {
  // A /proc collector's 5 s TTL and a sysfs collector's 15 s, two servers every 15 s, 7.5 s apart, whichever
  // moment after the start they begin: once their cadence shows, both slots are refreshed in one batch per interval,
  // not each ahead of another server's scrape (two wakes and two renders per interval).
  for (Duration start : {0ms, 2'500ms, 3'750ms, 5'000ms, 6'000ms}) {
    std::mutex mutex;
    std::set<Clock::SteadyTime> batches;  // when refreshes ran
    auto recorded = [&](std::shared_ptr<ScriptedCollector> scripted) {
      return [&, scripted] {
        {
          std::lock_guard lock(mutex);
          batches.insert(clock.Now());
        }
        return scripted->Collect();
      };
    };
    SlotSettings proc = OnDemand("proc", collector, 5s, 60s);
    proc.refresh = recorded(collector);
    SlotSettings sys = OnDemand("sys", std::make_shared<ScriptedCollector>(), 15s, 60s);
    sys.refresh = recorded(std::make_shared<ScriptedCollector>());
    FamilyCache cache({proc, sys}, clock);
    Step(cache);
    RunFor(cache, start);
    ScrapeInTurns(cache, 2, 15s, 6);  // the cadence shows within three periods
    const Clock::SteadyTime measured_from = clock.Now();
    ScrapeInTurns(cache, 2, 15s, 4);
    std::lock_guard lock(mutex);
    EXPECT_EQ(std::distance(batches.lower_bound(measured_from), batches.end()), 4)
        << "starting " << start.count() << " ms after the start";
  }
}

TEST_F(FamilyCacheTest, ScrapersShareAFailedRefreshToo) {
  FamilyCache cache({OnDemand("scripted", collector, 5s, std::chrono::hours(1))}, clock);
  Step(cache);
  collector->fail = true;  // the first refresh's data is served until max-staleness, with the failure
  EXPECT_EQ(ScrapeInTurns(cache, 2, 15s, 8).refreshes, 5) << "one attempt per interval";
}

TEST_F(FamilyCacheTest, ScrapersShareARefreshOnlyWhileItIsWithinTheTtlPlusTheTimeSinceTheScrapeBefore) {
  // Four servers every 60 s, 15 s apart, and a 5 s TTL: the data one server's scrape gets would be 45 s old by the
  // fourth's, so one refresh serves two scrapes, not four.
  FamilyCache cache({OnDemand("scripted", collector, 5s, 120s)}, clock);
  Step(cache);
  const TakingTurns turns = ScrapeInTurns(cache, 4, 60s, 6);
  EXPECT_EQ(turns.refreshes, 6) << "two refreshes per interval";
  EXPECT_TRUE(turns.each_new_to);
  EXPECT_EQ(turns.oldest, 15'100ms);
}

TEST_F(FamilyCacheTest, AScrapeBeforeItsPlannedRefreshStartsItAtOnce) {
  FamilyCache cache({OnDemand("scripted", collector, 5s)}, clock);
  Step(cache);
  ScrapeEvery(cache, 15s, 4);
  const int calls = collector->calls;  // the next refresh is planned for 14.9 s from now
  RunFor(cache, 10s);
  EXPECT_EQ(collector->calls, calls);
  cache.Demand(Everything);  // someone with curl, finding data 10 s old
  ASSERT_TRUE(cache.WaitIdle(5s));
  EXPECT_EQ(collector->calls, calls + 1) << "the planned refresh starts now";
  RunFor(cache, 5s);
  EXPECT_EQ(collector->calls, calls + 1) << "and not a second time";
}

TEST_F(FamilyCacheTest, OnceTheScrapesStopNothingIsRefreshedButTheOnePlannedForTheNext) {
  FamilyCache cache({OnDemand("scripted", collector, 15s)}, clock);
  Step(cache);
  ScrapeEvery(cache, 15s, 5);
  const int calls = collector->calls;
  RunFor(cache, std::chrono::hours(1));
  EXPECT_EQ(collector->calls, calls + 1);
}

TEST_F(FamilyCacheTest, TheReaderOfAnOnDemandSlotIsServedWhatItHasWhileTheRefreshRuns) {
  FamilyCache cache({OnDemand("scripted", collector)}, clock);
  Step(cache);
  const std::uint64_t generation = cache.generation();
  collector->Hold();
  clock.Advance(6s);
  cache.Demand(Everything);
  ASSERT_TRUE(collector->WaitForCalls(2));
  EXPECT_EQ(cache.generation(), generation) << "the scrape's response may come from the response cache";
  // Were the snapshot to wait for the held refresh, it would not return before the release below.
  FamilySnapshot snapshot = cache.SnapshotAll(std::chrono::hours(1));
  EXPECT_TRUE(snapshot.slots[0].refreshing);
  EXPECT_EQ(ValueOf(snapshot.slots[0]), 1);
  cache.Demand(Everything);  // a second reader meanwhile starts nothing more
  collector->Release();
  ASSERT_TRUE(cache.WaitIdle(5s));
  EXPECT_EQ(collector->calls, 2);
  EXPECT_GT(cache.generation(), generation);
  EXPECT_EQ(ValueOf(cache.SnapshotAll(0ms).slots[0]), 2) << "the next reader gets the refreshed data";
}

TEST_F(FamilyCacheTest, AReadFindingDataOlderThanMaxStalenessWaitsForTheRefreshAsAtTheStart) {
  FamilyCache cache({OnDemand("scripted", collector, 5s, 20s)}, clock);
  Step(cache);
  clock.Advance(60s);
  Step(cache);
  EXPECT_TRUE(cache.SnapshotAll(0ms).slots[0].families) << "unread data is not dropped by the clock";

  collector->Hold();
  const std::uint64_t generation = cache.generation();
  cache.Demand(Everything);
  ASSERT_TRUE(collector->WaitForCalls(2));
  EXPECT_GT(cache.generation(), generation) << "the dropped data is never served from the response cache";
  FamilySnapshot waited_out = cache.SnapshotAll(0ms);
  EXPECT_FALSE(waited_out.slots[0].families);
  EXPECT_FALSE(waited_out.slots[0].attempted) << "so that a snapshot waits for it, as at the start";
  std::thread release([&] {
    collector->WaitForCalls(2);
    collector->Release();
  });
  FamilySnapshot snapshot = cache.SnapshotAll(std::chrono::hours(1));
  release.join();
  ASSERT_TRUE(snapshot.slots[0].families);
  EXPECT_EQ(ValueOf(snapshot.slots[0]), 2);
}

TEST_F(FamilyCacheTest, AFailingOnDemandSlotKeepsItsDataUntilMaxStalenessAndIsNotWaitedForThen) {
  FamilyCache cache({OnDemand("scripted", collector, 5s, 20s)}, clock);
  Step(cache);
  collector->fail = true;
  clock.Advance(10s);
  cache.Demand(Everything);
  ASSERT_TRUE(cache.WaitIdle(5s));
  FamilySnapshot failed = cache.SnapshotAll(0ms);
  EXPECT_FALSE(failed.slots[0].success);
  EXPECT_TRUE(failed.slots[0].families) << "last good data, 10 s old";
  clock.Advance(10s);
  cache.Demand(Everything);
  ASSERT_TRUE(cache.WaitIdle(5s));
  FamilySnapshot dropped = cache.SnapshotAll(0ms);
  EXPECT_FALSE(dropped.slots[0].families) << "20 s old: past max-staleness";
  EXPECT_TRUE(dropped.slots[0].attempted) << "a failing slot is not waited for";
  EXPECT_EQ(collector->calls, 3);
}

TEST_F(FamilyCacheTest, DemandRefreshesOnlyTheSlotsTheReaderReads) {
  auto other = std::make_shared<ScriptedCollector>();
  auto scheduled = std::make_shared<ScriptedCollector>();
  FamilyCache cache({OnDemand("a", collector), OnDemand("b", other), {"probe", 5s, 2s, 20s, RefreshOf(scheduled)}},
                    clock);
  Step(cache);
  clock.Advance(5s);
  cache.Demand([](const SlotState& slot) { return slot.name == "b"; });
  Step(cache);
  EXPECT_EQ(collector->calls, 1);
  EXPECT_EQ(other->calls, 2);
  EXPECT_EQ(scheduled->calls, 2) << "a slot that is not on demand keeps its schedule, read or not";
}

// Waking a thread costs more than a cheap collector's whole refresh: what one read asks for runs on one thread.
TEST_F(FamilyCacheTest, TheRefreshesAReadAsksForRunOneAfterAnotherOnOneThread) {
  constexpr int kSlots = 6;
  std::mutex mutex;
  std::vector<std::thread::id> threads;  // of each refresh after the first
  std::vector<SlotSettings> slots;
  for (int i = 0; i < kSlots; ++i) {
    slots.push_back(OnDemand("slot" + std::to_string(i), collector));
    slots.back().refresh = [&, calls = 0]() mutable {
      if (++calls > 1) {
        std::lock_guard lock(mutex);
        threads.push_back(std::this_thread::get_id());
      }
      return Families{};
    };
  }
  FamilyCache cache(std::move(slots), clock);
  Step(cache);
  clock.Advance(5s);
  cache.Demand(Everything);
  ASSERT_TRUE(cache.WaitIdle(5s));
  ASSERT_EQ(threads.size(), static_cast<size_t>(kSlots));
  EXPECT_EQ(std::count(threads.begin(), threads.end(), threads[0]), kSlots);
  EXPECT_NE(threads[0], std::this_thread::get_id());
}

TEST_F(FamilyCacheTest, WorkAfterTheRefreshesRunsOnTheRefresherOnceTheReadsRefreshesHaveAllRun) {
  auto other = std::make_shared<ScriptedCollector>();
  FamilyCache cache({OnDemand("a", collector), OnDemand("b", other)}, clock);
  std::mutex mutex;
  std::vector<std::pair<int, int>> seen;  // the two collectors' calls at each call of the hook
  std::thread::id hook_thread;
  cache.AfterRefreshes([&] {
    std::lock_guard lock(mutex);
    seen.emplace_back(collector->calls.load(), other->calls.load());
    hook_thread = std::this_thread::get_id();
  });
  auto calls = [&] {
    std::lock_guard lock(mutex);
    return seen.size();
  };
  Step(cache);  // the first refreshes run on the slots' own workers
  EXPECT_EQ(calls(), 0u);

  clock.Advance(5s);
  cache.Demand(Everything);
  ASSERT_TRUE(cache.WaitIdle(5s));
  for (auto deadline = std::chrono::steady_clock::now() + 5s;
       calls() < 1 && std::chrono::steady_clock::now() < deadline;)
    std::this_thread::sleep_for(1ms);
  std::lock_guard lock(mutex);
  ASSERT_EQ(seen.size(), 1u) << "once for the two refreshes";
  EXPECT_EQ(seen[0], std::make_pair(2, 2)) << "after both";
  EXPECT_NE(hook_thread, std::this_thread::get_id());
}

TEST_F(FamilyCacheTest, ReplacingTheWorkAfterTheRefreshesWaitsForItsCallUnderWay) {
  FamilyCache cache({OnDemand("a", collector)}, clock);
  std::atomic<bool> inside{false}, release{false}, ended{false};
  cache.AfterRefreshes([&] {
    inside = true;
    while (!release) std::this_thread::sleep_for(1ms);
    ended = true;
  });
  Step(cache);
  clock.Advance(5s);
  cache.Demand(Everything);
  for (auto deadline = std::chrono::steady_clock::now() + 5s; !inside && std::chrono::steady_clock::now() < deadline;)
    std::this_thread::sleep_for(1ms);
  ASSERT_TRUE(inside);
  std::thread releaser([&] {
    std::this_thread::sleep_for(50ms);
    release = true;
  });
  cache.AfterRefreshes(nullptr);
  EXPECT_TRUE(ended) << "returned only once the call under way had ended";
  releaser.join();
}

// Two slots refreshed on demand, "hung" (the test's collector) and "other", both queued for the refresher by a read
// once filled; the refresher then hangs inside "hung" (wait for its second call) until the collector is released.
std::unique_ptr<FamilyCache> FamilyCacheTest::HangTheRefresher(std::shared_ptr<ScriptedCollector> other) {
  auto cache = std::make_unique<FamilyCache>(std::vector<SlotSettings>{OnDemand("hung", collector),
                                                                       OnDemand("other", std::move(other))},
                                             clock);
  cache->Tick();
  EXPECT_TRUE(cache->WaitIdle(5s));
  collector->Hold();
  clock.Advance(5s);
  cache->Demand(Everything);
  return cache;
}

// One refresh that hangs on the refresher holds the others queued behind it for their patience, not its timeout.
TEST_F(FamilyCacheTest, ARefreshHungOnTheRefresherHoldsTheOthersOnlyForTheirPatience) {
  auto other = std::make_shared<ScriptedCollector>();
  std::unique_ptr<FamilyCache> made = HangTheRefresher(other);
  FamilyCache& cache = *made;
  ASSERT_TRUE(collector->WaitForCalls(2));
  EXPECT_EQ(cache.Tick(), clock.Now() + 200ms) << "the scheduler's next step is when the patience ends";
  std::this_thread::sleep_for(50ms);  // were it started, it would have been called by now
  EXPECT_EQ(other->calls, 1) << "queued behind the hung refresh";
  clock.Advance(199ms);
  cache.Tick();
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(other->calls, 1) << "still within its patience";
  clock.Advance(1ms);
  cache.Tick();
  ASSERT_TRUE(other->WaitForCalls(2)) << "its own worker took it";
  EXPECT_TRUE(testing::Eventually([&] { return cache.SnapshotAll(0ms).slots[1].refreshes == 2; }, 5s));
  EXPECT_TRUE(cache.SnapshotAll(0ms).slots[1].success);

  clock.Advance(2s);
  cache.Tick();
  EXPECT_EQ(cache.SnapshotAll(0ms).slots[0].last_error, "timed out after 2s") << "the hung one times out as ever";
  collector->Release();
  EXPECT_TRUE(cache.WaitIdle(5s));
}

// Replace() may drop a slot whose refresh hangs on the refresher: the slot lives until the refresh returns, and the
// refreshes queued behind it still run.
TEST_F(FamilyCacheTest, ReplaceDroppingASlotHungOnTheRefresherFreesItWhenItReturns) {
  auto other = std::make_shared<ScriptedCollector>();
  std::unique_ptr<FamilyCache> made = HangTheRefresher(other);
  FamilyCache& cache = *made;
  ASSERT_TRUE(collector->WaitForCalls(2));
  cache.Replace({OnDemand("other", other)});
  EXPECT_EQ(cache.SnapshotAll(0ms).slots.size(), 1u);
  clock.Advance(200ms);
  cache.Tick();
  ASSERT_TRUE(other->WaitForCalls(2)) << "kept by the reload, it waited out its patience as ever";
  collector->Release();
  EXPECT_TRUE(cache.WaitIdle(5s));
  EXPECT_TRUE(testing::Eventually([&] { return collector.use_count() == 1; }, 5s)) << "the dropped slot is freed";
}

TEST_F(FamilyCacheTest, AWatchRefreshesAnOnDemandSlotWithoutWaitingForAReader) {
  std::function<void()> refresh_now;
  SlotSettings settings = OnDemand("scripted", collector);
  settings.watch = [&](std::function<void()> given) { refresh_now = std::move(given); };
  FamilyCache cache({settings}, clock);
  Step(cache);
  refresh_now();
  Step(cache);
  EXPECT_EQ(collector->calls, 2) << "a change is served at the next scrape";
}

TEST_F(FamilyCacheTest, AWatchOutlivingTheCacheCallsIntoNothing) {
  std::function<void()> refresh_now;
  SlotSettings settings{"scripted", 15s, 2s, 60s, RefreshOf(collector)};
  settings.watch = [&](std::function<void()> given) { refresh_now = std::move(given); };
  std::make_unique<FamilyCache>(std::vector<SlotSettings>{settings}, clock).reset();
  refresh_now();
}

TEST_F(FamilyCacheTest, ASuccessfulRefreshReportsWhatItLeftOut) {
  SlotSettings settings{"scripted", 15s, 2s, 60s, RefreshOf(collector)};
  settings.problems = [] { return std::vector<std::string>{"/x/a.prom:3: expected a value"}; };
  FamilyCache cache({settings}, clock);
  Step(cache);
  const SlotState slot = cache.SnapshotAll(0ms).slots.at(0);
  EXPECT_TRUE(slot.success);
  EXPECT_EQ(slot.problems, std::vector<std::string>{"/x/a.prom:3: expected a value"});
}

// A refresh that read part of its sources (a disk that did not answer) publishes what it read, as new data, and
// counts as failed with its reason.
TEST_F(FamilyCacheTest, AnIncompleteRefreshPublishesWhatItReadAndCountsAsFailed) {
  int calls = 0;
  SlotSettings settings{"scripted", 15s, 2s, 60s, [&calls]() -> Families {
                          FamilySet set;
                          set.Gauge("test_value", "A value.", ++calls);
                          if (calls == 1) return set.Take();
                          throw IncompleteRefresh("read 1 of 2 disks; not read: sdz: timeout", set.Take());
                        }};
  settings.problems = [] { return std::vector<std::string>{"sdz: timeout"}; };
  FamilyCache cache({settings}, clock);
  Step(cache);
  const std::uint64_t generation = cache.generation();
  clock.Advance(15s);
  Step(cache);
  const SlotState slot = cache.SnapshotAll(0ms).slots.at(0);
  EXPECT_FALSE(slot.success);
  EXPECT_EQ(slot.last_error, "read 1 of 2 disks; not read: sdz: timeout");
  EXPECT_EQ(slot.failures, 1u);
  EXPECT_EQ(slot.problems, std::vector<std::string>{"sdz: timeout"});
  ASSERT_TRUE(slot.families);
  EXPECT_EQ(ValueOf(slot), 2) << "what the incomplete refresh read is published";
  EXPECT_EQ(slot.collected_at, clock.Now());
  EXPECT_GT(cache.generation(), generation);
}

// The textfile collector's slot gives way: a file writing node_load1 neither duplicates nor contradicts the
// loadavg collector's.
TEST_F(FamilyCacheTest, AYieldingSlotsFamilyGivesWayToAnotherSlotsOfTheSameName) {
  auto families_of = [](std::vector<std::string> names) {
    return [names] {
      FamilySet set;
      for (const std::string& name : names) set.Gauge(name, "From a file.", 42);
      return set.Take();
    };
  };
  std::atomic<bool> loadavg_fails{false};
  auto loadavg = [&loadavg_fails] {
    if (loadavg_fails) throw std::runtime_error("no /proc/loadavg");
    FamilySet set;
    set.Gauge("node_load1", "1m load average.", 0.5);
    return set.Take();
  };
  SlotSettings textfile{"textfile", 15s, 2s, 60s, families_of({"backup_ok", "node_load1"})};
  textfile.yields_names = true;
  FamilyCache cache({SlotSettings{"loadavg", 15s, 2s, 20s, loadavg}, textfile}, clock);
  Step(cache);

  auto slots = cache.SnapshotAll(0ms).slots;
  ASSERT_EQ(slots.at(1).families->size(), 1u);
  EXPECT_EQ(slots.at(1).families->at(0).name, "backup_ok");
  EXPECT_EQ(slots.at(1).left_out, std::vector<std::string>{"node_load1"});
  EXPECT_EQ(slots.at(0).families->at(0).metric.at(0).gauge.value, 0.5);

  // Once no other slot has the name (loadavg's families went stale), the file's family is served again.
  loadavg_fails = true;
  clock.Advance(15s);
  Step(cache);
  clock.Advance(15s);
  Step(cache);
  slots = cache.SnapshotAll(0ms).slots;
  EXPECT_FALSE(slots.at(0).families);
  EXPECT_EQ(slots.at(1).families->size(), 2u);
  EXPECT_TRUE(slots.at(1).left_out.empty());
}

TEST_F(FamilyCacheTest, TickSaysWhenItNextHasWork) {
  auto cache = Make(15s, 2s);
  Clock::SteadyTime next = cache->Tick();
  EXPECT_EQ(next, clock.Now() + 2s);  // the refresh's timeout
  ASSERT_TRUE(cache->WaitIdle(5s));
  EXPECT_EQ(cache->Tick(), clock.Now() + 15s);
}

TEST_F(FamilyCacheTest, AFailureKeepsTheLastGoodFamiliesUntilMaxStaleness) {
  auto cache = Make(10s, 2s, 30s);
  Step(*cache);
  collector->fail = true;
  clock.Advance(10s);
  Step(*cache);
  SlotState slot = cache->SnapshotAll(0ms).slots[0];
  EXPECT_FALSE(slot.success);
  EXPECT_EQ(slot.last_error, "sensor unreadable");
  EXPECT_EQ(slot.failures, 1u);
  ASSERT_TRUE(slot.families) << "the last good snapshot must survive a failure";
  EXPECT_EQ(ValueOf(slot), 1);

  clock.Advance(19s);  // 29s old: still served
  Step(*cache);
  EXPECT_TRUE(cache->SnapshotAll(0ms).slots[0].families);
  std::uint64_t generation = cache->generation();
  clock.Advance(1s);  // 30s old: dropped
  Step(*cache);
  EXPECT_FALSE(cache->SnapshotAll(0ms).slots[0].families);
  EXPECT_GT(cache->generation(), generation);
}

TEST_F(FamilyCacheTest, RecoveryClearsTheError) {
  auto cache = Make(10s);
  collector->fail = true;
  Step(*cache);
  EXPECT_FALSE(cache->SnapshotAll(0ms).slots[0].success);
  collector->fail = false;
  clock.Advance(10s);
  Step(*cache);
  SlotState slot = cache->SnapshotAll(0ms).slots[0];
  EXPECT_TRUE(slot.success);
  EXPECT_EQ(slot.last_error, "");
}

TEST_F(FamilyCacheTest, MaxStalenessIsAtLeastTtlPlusTimeout) {
  auto cache = Make(10s, 2s, 1s);
  EXPECT_EQ(cache->SnapshotAll(0ms).slots[0].max_staleness, 12s);
}

TEST_F(FamilyCacheTest, ATimedOutRefreshFailsTheSlotAndIsNeverStartedTwice) {
  auto cache = Make(10s, 2s, 60s);
  Step(*cache);
  collector->Hold();
  clock.Advance(10s);
  cache->Tick();  // starts a refresh that hangs
  clock.Advance(2s);
  cache->Tick();  // gives up on it
  SlotState slot = cache->SnapshotAll(0ms).slots[0];
  EXPECT_FALSE(slot.success);
  EXPECT_EQ(slot.last_error, "timed out after 2s");
  EXPECT_TRUE(slot.refreshing);
  EXPECT_TRUE(slot.families) << "the previous families are still served";

  ASSERT_TRUE(collector->WaitForCalls(2));
  clock.Advance(30s);  // well past the next due time
  cache->Tick();
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(collector->calls, 2) << "no second refresh while the first one hangs";

  std::uint64_t generation = cache->generation();
  collector->Release();
  ASSERT_TRUE(cache->WaitIdle(5s));
  slot = cache->SnapshotAll(0ms).slots[0];
  EXPECT_FALSE(slot.success) << "the late result is discarded";
  EXPECT_EQ(ValueOf(slot), 1);
  EXPECT_EQ(cache->generation(), generation);

  Step(*cache);  // due long ago: refreshes now
  EXPECT_EQ(collector->calls, 3);
  EXPECT_TRUE(cache->SnapshotAll(0ms).slots[0].success);
}

TEST_F(FamilyCacheTest, SnapshotWaitsForFirstDataAtMostMaxWait) {
  auto cache = Make();
  collector->Hold();
  cache->Tick();
  auto started = std::chrono::steady_clock::now();
  FamilySnapshot snapshot = cache->SnapshotAll(100ms);
  auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_GE(waited, 100ms);
  EXPECT_LT(waited, 2s);
  EXPECT_FALSE(snapshot.slots[0].attempted);
  collector->Release();
  snapshot = cache->SnapshotAll(5s);
  EXPECT_TRUE(snapshot.slots[0].families);
}

TEST_F(FamilyCacheTest, SnapshotNeverWaitsOnceASlotHasData) {
  auto cache = Make(10s);
  Step(*cache);
  collector->Hold();
  clock.Advance(10s);
  cache->Tick();
  auto started = std::chrono::steady_clock::now();
  FamilySnapshot snapshot = cache->SnapshotAll(5s);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
  EXPECT_TRUE(snapshot.slots[0].refreshing);
  EXPECT_TRUE(snapshot.slots[0].families);
  collector->Release();
  ASSERT_TRUE(cache->WaitIdle(5s));
}

TEST_F(FamilyCacheTest, SnapshotSelectsSlotsByName) {
  auto other = std::make_shared<ScriptedCollector>();
  FamilyCache cache({{"a", 10s, 1s, 60s, RefreshOf(collector)}, {"b", 10s, 1s, 60s, RefreshOf(other)}}, clock);
  Step(cache);
  FamilySnapshot snapshot = cache.Snapshot({"b"}, 0ms);
  ASSERT_EQ(snapshot.slots.size(), 1u);
  EXPECT_EQ(snapshot.slots[0].name, "b");
  EXPECT_EQ(cache.SnapshotAll(0ms).slots.size(), 2u);
}

TEST_F(FamilyCacheTest, BackgroundSchedulerRefreshesOnTheRealClock) {
  FamilyCache cache({{"real", 50ms, 1s, 1s, RefreshOf(collector)}});
  cache.Start();
  FamilySnapshot snapshot = cache.SnapshotAll(5s);
  EXPECT_TRUE(snapshot.slots[0].success);
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (collector->calls < 3 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
  EXPECT_GE(collector->calls, 3);
  cache.Stop();
}

// Threads of this process: /proc/self/task has one entry per thread. A joined thread's entry can outlast the join a
// little, so a count that must fall is waited for.
size_t ThreadCount() {
  return static_cast<size_t>(std::distance(std::filesystem::directory_iterator("/proc/self/task"),
                                           std::filesystem::directory_iterator()));
}

// How many times the threads of this process named `name` were switched to.
long SwitchesTo(const std::string& name) {
  long switches = 0;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream comm(task.path() / "comm");
    std::string comm_name;
    if (!std::getline(comm, comm_name) || comm_name != name) continue;
    std::ifstream status(task.path() / "status");
    for (std::string line; std::getline(status, line);)
      if (line.find("ctxt_switches:") != std::string::npos) switches += std::stol(line.substr(line.find(':') + 1));
  }
  return switches;
}

// SwitchesTo(name) once it has not moved for 300 ms (at most 5 s).
long SettledSwitchesTo(const std::string& name) {
  long last = SwitchesTo(name);
  for (int attempt = 0; attempt < 16; ++attempt) {
    std::this_thread::sleep_for(300ms);
    const long now = SwitchesTo(name);
    if (now == last) break;
    last = now;
  }
  return last;
}

// A refresh's timeout is a deadline for the scheduler only while the refresh runs: one that ended (on its worker at
// the start, on the refresher for a read) does not wake it when its timeout would have passed.
TEST_F(FamilyCacheTest, ARefreshThatEndedDoesNotWakeTheSchedulerAtItsTimeout) {
  FamilyCache cache({OnDemand("scripted", collector, 50ms)});  // the real clock; a timeout of 2 s
  cache.Start();
  ASSERT_TRUE(collector->WaitForCalls(1));  // the first refresh, which the scheduler hands to the worker
  ASSERT_TRUE(cache.WaitIdle(5s));
  long settled = SettledSwitchesTo("scheduler");
  ASSERT_GT(settled, 0) << "the scheduler thread is named, and has run";
  std::this_thread::sleep_for(2500ms);
  EXPECT_EQ(SwitchesTo("scheduler"), settled) << "woken at the timeout of the first refresh, which had ended";

  cache.Demand(Everything);  // past the TTL, and no next read foreseen: a refresh now, on the refresher
  ASSERT_TRUE(collector->WaitForCalls(2));
  ASSERT_TRUE(cache.WaitIdle(5s));
  settled = SettledSwitchesTo("scheduler");
  std::this_thread::sleep_for(2500ms);
  EXPECT_EQ(SwitchesTo("scheduler"), settled) << "woken at the timeout of the read's refresh, which had ended";
  cache.Stop();
}

// The real clock, behind by a span the test shortens: reads one period apart on this clock, a moment apart in real
// time, so that a cadence shows without waiting for it; once the span is zero, the clock is the real one, which the
// cache's alarms count in.
class BehindClock final : public Clock {
 public:
  SteadyTime Now() const override { return Clock::Real().Now() - behind_.load(); }
  WallTime WallNow() const override { return Clock::Real().WallNow() - behind_.load(); }
  void CatchUp(Duration step) { behind_ = behind_.load() - step; }

  explicit BehindClock(Duration behind) : behind_(behind) {}

 private:
  std::atomic<Duration> behind_;
};

// A refresh planned ahead of a foreseen read is started by the refresher, which runs it, at its time: the scheduler
// is not woken to hand it over.
TEST_F(FamilyCacheTest, ARefreshPlannedAheadDoesNotWakeTheScheduler) {
  constexpr Duration kPeriod = 5s;  // reads one period apart within a fiftieth of it (100 ms) make a cadence
  BehindClock behind(2 * kPeriod);
  FamilyCache cache({OnDemand("scripted", collector, kPeriod * 3 / 2)}, behind);
  cache.Start();
  ASSERT_TRUE(collector->WaitForCalls(1));
  ASSERT_TRUE(cache.WaitIdle(5s));
  // Three reads one period apart on the cache's clock, microseconds apart in real time; the data is within its TTL
  // at each, and would be past it at the next read, foreseen 5 s from the third.
  for (int read = 0; read < 3; ++read) {
    if (read > 0) behind.CatchUp(kPeriod);
    cache.Demand(Everything);
  }
  ASSERT_TRUE(cache.SnapshotAll(0ms).next_read) << "the three reads make a cadence";
  ASSERT_EQ(collector->calls, 1) << "nothing refreshed at once";
  const long settled = SettledSwitchesTo("scheduler");
  ASSERT_TRUE(collector->WaitForCallsAtLeast(2)) << "refreshed ahead of the foreseen read";
  ASSERT_TRUE(cache.WaitIdle(5s));
  EXPECT_EQ(SwitchesTo("scheduler"), settled) << "the scheduler was woken for the refresh planned ahead";
  cache.Stop();
}

TEST_F(FamilyCacheTest, ThreadCountDoesNotMoveUnderFastRefreshes) {
  constexpr int kSlots = 18;
  std::vector<std::shared_ptr<ScriptedCollector>> collectors;
  std::vector<SlotSettings> slots;
  for (int i = 0; i < kSlots; ++i) {
    collectors.push_back(std::make_shared<ScriptedCollector>());
    slots.push_back({"fast" + std::to_string(i), 100ms, 1s, 1s, RefreshOf(collectors.back())});
  }
  FamilyCache cache(std::move(slots));
  cache.Start();
  for (const auto& fast : collectors) ASSERT_TRUE(fast->WaitForCallsAtLeast(1));
  const size_t started = ThreadCount();
  for (const auto& fast : collectors) ASSERT_TRUE(fast->WaitForCallsAtLeast(6));
  EXPECT_EQ(ThreadCount(), started) << "refreshes must reuse the slots' workers";
  cache.Stop();
}

TEST_F(FamilyCacheTest, StopLeavesAHungRefreshBehindAndJoinsTheRest) {
  auto hung = std::make_shared<ScriptedCollector>();
  auto idle = std::make_shared<ScriptedCollector>();
  testing::StartRuntimeThreads();
  const size_t before = ThreadCount();
  {
    FamilyCache cache({{"hung", 10s, 1s, 60s, RefreshOf(hung)}, {"idle", 10s, 1s, 60s, RefreshOf(idle)}}, clock);
    EXPECT_EQ(ThreadCount(), before + 3) << "one worker per slot, and the refresher";
    hung->Hold();
    cache.Tick();
    ASSERT_TRUE(hung->WaitForCalls(1));
    for (auto deadline = std::chrono::steady_clock::now() + 5s;
         !cache.SnapshotAll(0ms).slots[1].attempted && std::chrono::steady_clock::now() < deadline;)
      std::this_thread::sleep_for(1ms);
    ASSERT_TRUE(cache.SnapshotAll(0ms).slots[1].attempted) << "the idle slot's refresh has finished";
    cache.Stop(10ms);
    EXPECT_TRUE(testing::Eventually([&] { return ThreadCount() == before + 1; }, 5s))
        << "the idle worker is joined, the hung one goes on";
  }
  hung->Release();
  for (auto deadline = std::chrono::steady_clock::now() + 5s;
       ThreadCount() > before && std::chrono::steady_clock::now() < deadline;)
    std::this_thread::sleep_for(1ms);
  EXPECT_EQ(ThreadCount(), before) << "the hung worker ends once its refresh returns";
}

TEST_F(FamilyCacheTest, StopLeavesTheRefresherBehindInsideAHungRefresh) {
  auto other = std::make_shared<ScriptedCollector>();
  testing::StartRuntimeThreads();
  const size_t before = ThreadCount();
  {
    std::unique_ptr<FamilyCache> cache = HangTheRefresher(other);
    ASSERT_TRUE(collector->WaitForCalls(2));
    cache->Stop(10ms);
    EXPECT_TRUE(testing::Eventually([&] { return ThreadCount() == before + 1; }, 5s))
        << "every worker is joined, the refresher goes on";
    EXPECT_EQ(cache->refreshes_in_flight(), 1) << "what was queued behind it was given back";
  }
  EXPECT_EQ(other->calls, 1);
  collector->Release();
  EXPECT_TRUE(testing::Eventually([&] { return ThreadCount() == before; }, 5s))
      << "the refresher ends once its refresh returns";
}

// Replace() is a reload: what is given again unchanged goes on as it was; the rest starts, stops or starts afresh.
TEST_F(FamilyCacheTest, ReplaceKeepsUnchangedSlotsAndStartsDropsAndRebuildsTheRest) {
  auto kept = std::make_shared<ScriptedCollector>();
  auto dropped = std::make_shared<ScriptedCollector>();
  auto rebuilt = std::make_shared<ScriptedCollector>();
  auto started = std::make_shared<ScriptedCollector>();
  testing::StartRuntimeThreads();
  const size_t before = ThreadCount();
  FamilyCache cache({{"kept", 15s, 1s, 60s, RefreshOf(kept), true, "a"},
                     {"dropped", 15s, 1s, 60s, RefreshOf(dropped), true, "a"},
                     {"rebuilt", 15s, 1s, 60s, RefreshOf(rebuilt), true, "a"}},
                    clock);
  Step(cache);
  clock.Advance(5s);
  const std::uint64_t generation = cache.generation();

  auto unused = std::make_shared<ScriptedCollector>();
  cache.Replace({{"started", 15s, 1s, 60s, RefreshOf(started), true, "a"},
                 {"kept", 15s, 1s, 60s, RefreshOf(unused), true, "a"},
                 {"rebuilt", 30s, 1s, 60s, RefreshOf(rebuilt), true, "b"}});
  EXPECT_GT(cache.generation(), generation) << "cached responses of the old slots end";
  EXPECT_TRUE(testing::Eventually([&] { return ThreadCount() == before + 4; }, 5s))
      << "the dropped slot's worker is joined, the new one started: " << ThreadCount() << " threads, not "
      << before + 4;

  FamilySnapshot snapshot = cache.SnapshotAll(0ms);
  ASSERT_EQ(snapshot.slots.size(), 3u);
  EXPECT_EQ(snapshot.slots[0].name, "started");
  EXPECT_FALSE(snapshot.slots[0].attempted);
  EXPECT_EQ(snapshot.slots[1].name, "kept");
  EXPECT_EQ(snapshot.slots[1].refreshes, 1u) << "kept: its data, its counters";
  ASSERT_TRUE(snapshot.slots[1].families);
  EXPECT_EQ(snapshot.slots[2].name, "rebuilt");
  EXPECT_EQ(snapshot.slots[2].refreshes, 0u) << "rebuilt: from nothing, with its new settings";
  EXPECT_EQ(snapshot.slots[2].ttl, 30s);
  EXPECT_FALSE(snapshot.slots[2].families);

  Step(cache);  // the kept slot is not due for another 10 s: its schedule went on
  EXPECT_EQ(kept->calls, 1);
  EXPECT_EQ(unused->calls, 0) << "the refresh given with an unchanged slot is not used";
  EXPECT_EQ(started->calls, 1);
  EXPECT_EQ(rebuilt->calls, 2);
  EXPECT_EQ(dropped->calls, 1);
  clock.Advance(10s);
  Step(cache);
  EXPECT_EQ(kept->calls, 2);
}

TEST_F(FamilyCacheTest, ReplaceLeavesADroppedSlotsHungRefreshBehind) {
  auto hung = std::make_shared<ScriptedCollector>();
  FamilyCache cache({{"hung", 15s, 1s, 60s, RefreshOf(hung), true, "a"}}, clock);
  hung->Hold();
  cache.Tick();
  ASSERT_TRUE(hung->WaitForCalls(1));
  cache.Replace({});  // returns at once, the refresh still under way
  EXPECT_TRUE(cache.SnapshotAll(0ms).slots.empty());
  hung->Release();
  EXPECT_TRUE(cache.WaitIdle(5s)) << "its result is discarded when it returns";
  EXPECT_TRUE(cache.SnapshotAll(0ms).slots.empty());
  // Then its worker frees the slot, and with it the refresh function and what that holds (a collector, its watch).
  EXPECT_TRUE(testing::Eventually([&] { return hung.use_count() == 1; }, 5s));
}

TEST_F(FamilyCacheTest, TheSchedulerRespondsOnlyOnceStartedAndUntilStopped) {
  FamilyCache cache({{"idle", 1h, 1s, 4h, RefreshOf(collector)}});
  EXPECT_FALSE(cache.SchedulerResponds(10ms)) << "no scheduler yet";
  cache.Start();
  EXPECT_TRUE(cache.SchedulerResponds(1h)) << "woken with nothing due, it still takes a step";
  cache.Stop();
  EXPECT_FALSE(cache.SchedulerResponds(1h));
}

}  // namespace
}  // namespace hw_exporter

#include "hw_exporter/http/response_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>

#include "hw_exporter/cache/scrape_cadence.h"
#include "support/fake_clock.h"

namespace hw_exporter {
namespace {

using namespace std::chrono_literals;
using testing::FakeClock;

class ResponseCacheTest : public ::testing::Test {
 protected:
  ResponseCache Make(std::size_t max_entries = 16, std::size_t max_bytes = 1 << 20) {
    return ResponseCache({.ttl = 5s, .max_entries = max_entries, .max_bytes = max_bytes}, clock);
  }

  // A render that counts its calls and returns a body naming the call.
  std::function<Rendered()> Renderer(std::uint64_t generation = 7, int status = 200) {
    return [this, generation, status] {
      int call = ++renders;
      return Rendered{MakeResponse(status, {{"Content-Type", "text/plain"}}, "body " + std::to_string(call)),
                      generation};
    };
  }

  FakeClock clock;
  std::atomic<int> renders{0};
};

TEST_F(ResponseCacheTest, MissThenHitReplaysTheSameBytes) {
  auto cache = Make();
  CacheLookup first = cache.Get("/metrics", 7, Renderer());
  CacheLookup second = cache.Get("/metrics", 7, Renderer());
  EXPECT_EQ(first.outcome, CacheOutcome::kMiss);
  EXPECT_EQ(second.outcome, CacheOutcome::kHit);
  EXPECT_EQ(second.response, first.response);
  EXPECT_EQ(second.response->body(), "body 1");
  EXPECT_EQ(renders, 1);
  ResponseCacheStats stats = cache.Stats();
  EXPECT_EQ(stats.requests, 2u);
  EXPECT_EQ(stats.hits, 1u);
  EXPECT_EQ(stats.misses, 1u);
  ASSERT_EQ(stats.per_key.size(), 1u);
  EXPECT_EQ(stats.per_key[0].key, "/metrics");
  EXPECT_EQ(stats.per_key[0].hits, 1u);
  EXPECT_EQ(stats.per_key[0].bytes, first.response->size() + std::string("/metrics").size());
  EXPECT_EQ(stats.bytes, stats.per_key[0].bytes);
}

TEST_F(ResponseCacheTest, ExpiresAfterTheTtl) {
  auto cache = Make();
  cache.Get("k", 7, Renderer());
  clock.Advance(4999ms);
  EXPECT_EQ(cache.Get("k", 7, Renderer()).outcome, CacheOutcome::kHit);
  EXPECT_EQ(cache.Stats().per_key[0].expires_in, 1ms);
  clock.Advance(1ms);
  CacheLookup expired = cache.Get("k", 7, Renderer());
  EXPECT_EQ(expired.outcome, CacheOutcome::kMiss);
  EXPECT_EQ(expired.response->body(), "body 2");
  EXPECT_EQ(cache.Stats().entries, 1u) << "the expired entry is replaced, not duplicated";
  EXPECT_EQ(cache.Stats().per_key[0].misses, 2u);
}

TEST_F(ResponseCacheTest, AMovedGenerationInvalidates) {
  auto cache = Make();
  cache.Get("k", 7, Renderer(7));
  EXPECT_EQ(cache.Get("k", 8, Renderer(8)).outcome, CacheOutcome::kMiss);
  EXPECT_EQ(cache.Get("k", 8, Renderer(8)).outcome, CacheOutcome::kHit);
}

TEST_F(ResponseCacheTest, KeysAreIndependent) {
  auto cache = Make();
  cache.Get("a", 7, Renderer());
  EXPECT_EQ(cache.Get("b", 7, Renderer()).outcome, CacheOutcome::kMiss);
  EXPECT_EQ(cache.Get("a", 7, Renderer()).response->body(), "body 1");
  EXPECT_EQ(cache.Get("b", 7, Renderer()).response->body(), "body 2");
}

TEST_F(ResponseCacheTest, ConcurrentMissesRenderOnce) {
  auto cache = Make();
  std::atomic<bool> go{false};
  auto slow = [&] {
    std::this_thread::sleep_for(200ms);
    ++renders;
    return Rendered{MakeResponse(200, {}, "slow"), 7};
  };
  std::vector<std::thread> threads;
  std::atomic<int> coalesced{0}, missed{0};
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&] {
      while (!go) std::this_thread::yield();
      CacheLookup lookup = cache.Get("k", 7, slow);
      EXPECT_EQ(lookup.response->body(), "slow");
      (lookup.outcome == CacheOutcome::kCoalesced ? coalesced : missed)++;
    });
  }
  go = true;
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(renders, 1);
  EXPECT_EQ(missed, 1);
  EXPECT_EQ(coalesced, 15);
  EXPECT_EQ(cache.Stats().coalesced, 15u);
  EXPECT_EQ(cache.Stats().per_key[0].coalesced, 15u);
}

TEST_F(ResponseCacheTest, AResponseRenderedAheadIsTheNextRequestsHit) {
  auto cache = Make();
  cache.RenderAhead("k", 7, Renderer());
  EXPECT_EQ(renders, 1);
  CacheLookup lookup = cache.Get("k", 7, Renderer());
  EXPECT_EQ(lookup.outcome, CacheOutcome::kHit);
  EXPECT_EQ(lookup.response->body(), "body 1");
  ResponseCacheStats stats = cache.Stats();
  EXPECT_EQ(stats.requests, 1u) << "a render ahead is not a request";
  EXPECT_EQ(stats.hits, 1u);
  EXPECT_EQ(stats.misses, 0u);
  EXPECT_EQ(stats.rendered_ahead, 1u);
  ASSERT_EQ(stats.per_key.size(), 1u);
  EXPECT_EQ(stats.per_key[0].rendered_ahead, 1u);
  EXPECT_EQ(stats.per_key[0].misses, 0u);
}

TEST_F(ResponseCacheTest, NothingIsRenderedAheadWhileAFreshResponseIsHeld) {
  auto cache = Make();
  cache.Get("k", 7, Renderer());
  cache.RenderAhead("k", 7, Renderer());
  EXPECT_EQ(renders, 1);
  EXPECT_EQ(cache.Stats().rendered_ahead, 0u);
  cache.RenderAhead("k", 8, Renderer(8));
  EXPECT_EQ(renders, 2) << "the generation moved";
  clock.Advance(5s);
  cache.RenderAhead("k", 8, Renderer(8));
  EXPECT_EQ(renders, 3) << "the TTL passed";
  EXPECT_EQ(cache.Get("k", 8, Renderer(8)).response->body(), "body 3");
}

TEST_F(ResponseCacheTest, ARequestDuringARenderAheadWaitsForIt) {
  auto cache = Make();
  std::atomic<bool> rendering{false};
  auto slow = [&] {
    rendering = true;
    std::this_thread::sleep_for(200ms);
    ++renders;
    return Rendered{MakeResponse(200, {}, "ahead"), 7};
  };
  std::thread ahead([&] { cache.RenderAhead("k", 7, slow); });
  while (!rendering) std::this_thread::yield();
  CacheLookup lookup = cache.Get("k", 7, Renderer());
  ahead.join();
  EXPECT_EQ(lookup.outcome, CacheOutcome::kCoalesced);
  EXPECT_EQ(lookup.response->body(), "ahead");
  EXPECT_EQ(renders, 1);
  cache.RenderAhead("k", 7, Renderer());
  EXPECT_EQ(renders, 1) << "held fresh";
}

TEST_F(ResponseCacheTest, AFailedRenderAheadLeavesNothingBehind) {
  auto cache = Make();
  auto throwing = []() -> Rendered { throw std::runtime_error("render failed"); };
  EXPECT_THROW(cache.RenderAhead("k", 7, throwing), std::runtime_error);
  EXPECT_EQ(cache.Get("k", 7, Renderer()).outcome, CacheOutcome::kMiss);
}

TEST_F(ResponseCacheTest, AResponseRenderedForAForeseenArrivalIsServedFromJustBeforeIt) {
  auto cache = Make();
  const Clock::SteadyTime start = clock.Now();
  cache.RenderAhead("k", 7, Renderer());
  cache.RenderFor("k", start + 7500ms, 7, Renderer());
  EXPECT_EQ(renders, 2);
  EXPECT_EQ(cache.Stats().rendered_ahead, 2u);
  EXPECT_EQ(cache.Stats().bytes, cache.Stats().per_key[0].bytes);
  EXPECT_EQ(cache.Stats().per_key[0].next_response_in, 7500ms - ScrapeCadence::kSameMoment);
  clock.Advance(100ms);
  EXPECT_EQ(cache.Get("k", 7, Renderer()).response->body(), "body 1") << "the next scraper's";
  clock.AdvanceTo(start + 7500ms - ScrapeCadence::kSameMoment);
  CacheLookup later = cache.Get("k", 7, Renderer());
  EXPECT_EQ(later.outcome, CacheOutcome::kHit);
  EXPECT_EQ(later.response->body(), "body 2") << "the scraper after it, past the first response's TTL";
  EXPECT_FALSE(cache.Stats().per_key[0].next_response_in);
  clock.AdvanceTo(start + 7500ms + 4999ms);
  EXPECT_EQ(cache.Get("k", 7, Renderer()).response->body(), "body 2") << "its TTL counts from its arrival";
  clock.Advance(1ms);
  EXPECT_EQ(cache.Get("k", 7, Renderer()).outcome, CacheOutcome::kMiss);
  EXPECT_EQ(renders, 3);
  EXPECT_EQ(cache.Stats().hits, 3u);
}

TEST_F(ResponseCacheTest, NothingIsRenderedForAnArrivalThatHasAResponse) {
  auto cache = Make();
  const Clock::SteadyTime start = clock.Now();
  cache.RenderFor("k", start + 7500ms, 7, Renderer());
  EXPECT_EQ(renders, 0) << "nothing held to keep it beside: the arrival renders its own";
  cache.Get("k", 7, Renderer());
  cache.RenderFor("k", start + 4999ms, 7, Renderer());
  EXPECT_EQ(renders, 1) << "the response held is fresh then";
  cache.RenderFor("k", start + 7500ms, 7, Renderer());
  cache.RenderFor("k", start + 7500ms, 7, Renderer());
  EXPECT_EQ(renders, 2) << "rendered for that arrival once";
  cache.RenderFor("k", start + 7500ms, 8, Renderer(8));
  EXPECT_EQ(renders, 3) << "the generation moved";
}

TEST_F(ResponseCacheTest, AResponseForAnArrivalIsServedOnlyAtItsGeneration) {
  auto cache = Make();
  const Clock::SteadyTime start = clock.Now();
  cache.Get("k", 7, Renderer());
  cache.RenderFor("k", start + 7500ms, 7, Renderer());
  clock.AdvanceTo(start + 7500ms);
  CacheLookup moved = cache.Get("k", 8, Renderer(8));
  EXPECT_EQ(moved.outcome, CacheOutcome::kMiss) << "the data changed before the arrival";
  EXPECT_EQ(moved.response->body(), "body 3");
  EXPECT_EQ(cache.Stats().bytes, cache.Stats().per_key[0].bytes);

  cache.RenderFor("k", start + 15s, 8, Renderer(8));
  cache.RenderAhead("k", 9, Renderer(9));
  EXPECT_EQ(cache.Stats().bytes, cache.Stats().per_key[0].bytes) << "one of another generation is dropped";
  EXPECT_EQ(cache.Stats().per_key[0].bytes, cache.Get("k", 9, Renderer(9)).response->size() + 1);
}

TEST_F(ResponseCacheTest, AnArrivalTooEarlyRendersItsOwnAndTheForeseenOneStillComes) {
  auto cache = Make();
  const Clock::SteadyTime start = clock.Now();
  cache.Get("k", 7, Renderer());
  cache.RenderFor("k", start + 7500ms, 7, Renderer());
  clock.AdvanceTo(start + 7500ms - 2 * ScrapeCadence::kSameMoment);
  EXPECT_EQ(cache.Get("k", 7, Renderer()).response->body(), "body 3") << "its own series as of now, not of later";
  clock.AdvanceTo(start + 7500ms);
  EXPECT_EQ(cache.Get("k", 7, Renderer()).response->body(), "body 2");
  EXPECT_EQ(renders, 3);
}

TEST_F(ResponseCacheTest, AFailedRenderForAnArrivalKeepsNothing) {
  auto cache = Make();
  cache.Get("k", 7, Renderer());
  auto throwing = []() -> Rendered { throw std::runtime_error("render failed"); };
  EXPECT_THROW(cache.RenderFor("k", clock.Now() + 7500ms, 7, throwing), std::runtime_error);
  cache.RenderFor("k", clock.Now() + 7500ms, 7, Renderer(7, 500));
  clock.Advance(7500ms);
  EXPECT_EQ(cache.Get("k", 7, Renderer()).outcome, CacheOutcome::kMiss);
  EXPECT_EQ(cache.Stats().rendered_ahead, 0u);
}

TEST_F(ResponseCacheTest, ErrorsAreNeverCached) {
  auto cache = Make();
  EXPECT_EQ(cache.Get("k", 7, Renderer(7, 500)).outcome, CacheOutcome::kMiss);
  EXPECT_EQ(cache.Get("k", 7, Renderer(7, 500)).outcome, CacheOutcome::kMiss);
  EXPECT_EQ(renders, 2);
  EXPECT_EQ(cache.Stats().entries, 0u);

  auto throwing = []() -> Rendered { throw std::runtime_error("render failed"); };
  EXPECT_THROW(cache.Get("k", 7, throwing), std::runtime_error);
  EXPECT_EQ(cache.Get("k", 7, Renderer()).outcome, CacheOutcome::kMiss) << "a failed flight leaves nothing behind";
}

TEST_F(ResponseCacheTest, CoalescedRequestsShareTheRenderError) {
  auto cache = Make();
  std::atomic<bool> rendering{false};
  auto failing = [&]() -> Rendered {
    rendering = true;
    std::this_thread::sleep_for(200ms);
    throw std::runtime_error("render failed");
  };
  std::thread first([&] { EXPECT_THROW(cache.Get("k", 7, failing), std::runtime_error); });
  while (!rendering) std::this_thread::yield();
  EXPECT_THROW(cache.Get("k", 7, Renderer()), std::runtime_error);
  first.join();
  EXPECT_EQ(renders, 0);
}

TEST_F(ResponseCacheTest, EvictsTheLeastRecentlyUsedBeyondMaxEntries) {
  auto cache = Make(3);
  for (const char* key : {"a", "b", "c"}) cache.Get(key, 7, Renderer());
  cache.Get("a", 7, Renderer());  // a is now the most recent; b the least
  cache.Get("d", 7, Renderer());
  ResponseCacheStats stats = cache.Stats();
  EXPECT_EQ(stats.entries, 3u);
  EXPECT_EQ(stats.evictions, 1u);
  std::vector<std::string> keys;
  for (const auto& entry : stats.per_key) keys.push_back(entry.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"d", "a", "c"}));
}

TEST_F(ResponseCacheTest, StaysWithinMaxBytes) {
  std::size_t one = MakeResponse(200, {{"Content-Type", "text/plain"}}, "body 1")->size() + 1;
  auto cache = Make(100, 2 * one + 1);
  for (const char* key : {"a", "b", "c", "d"}) cache.Get(key, 7, Renderer());
  ResponseCacheStats stats = cache.Stats();
  EXPECT_EQ(stats.entries, 2u);
  EXPECT_LE(stats.bytes, 2 * one + 1);
  EXPECT_EQ(stats.evictions, 2u);
}

TEST_F(ResponseCacheTest, AResponseLargerThanTheCacheIsServedButNotKept) {
  auto cache = Make(100, 10);
  EXPECT_EQ(cache.Get("k", 7, Renderer()).response->body(), "body 1");
  EXPECT_EQ(cache.Stats().entries, 0u);
  EXPECT_EQ(cache.Stats().evictions, 0u);
}

TEST(Response, HeadCarriesStatusHeadersAndContentLength) {
  auto response = MakeResponse(404, {{"Content-Type", "text/plain"}}, "no");
  EXPECT_EQ(response->head(), "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n");
  EXPECT_EQ(response->body(), "no");
  // As it leaves on a connection kept open.
  EXPECT_EQ(response->wire, std::string(response->head()) + "Connection: keep-alive\r\n\r\nno");
}

}  // namespace
}  // namespace hw_exporter

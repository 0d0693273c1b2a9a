// The /metrics handler in process, on one thread: each thread remembers the last request it negotiated, so these
// tests send different requests from the same thread, which HTTP over loopback cannot promise.
#include "hw_exporter/http/metrics_endpoint.h"

#include <gtest/gtest.h>

#include <string>

#include "hw_exporter/core/family_set.h"
#include "support/fake_clock.h"
#include "support/test_support.h"

namespace hw_exporter {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kOpenMetricsAccept =
    "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
    "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

// The collector "cpu", which refreshes when the test calls what its watch gave `refresh_now`.
SlotSettings CpuSlot(std::function<void()>& refresh_now) {
  SlotSettings slot;
  slot.name = "cpu";
  slot.ttl = 1h;
  slot.timeout = 10s;
  slot.refresh = [] {
    FamilySet families;
    families.Gauge("node_load1", "1m load average.", 0.5);
    return families.Take();
  };
  slot.watch = [&refresh_now](std::function<void()> refresh) { refresh_now = std::move(refresh); };
  return slot;
}

// One collector, "cpu", whose data is there before the first request, and which refreshes when the test says.
class MetricsEndpointTest : public ::testing::Test {
 protected:
  MetricsEndpointTest() : families_({CpuSlot(refresh_now_)}) {
    families_.Start();
    families_.Snapshot({"cpu"}, 30s);  // waits for the first refresh
  }

  // Refreshes the collector, and waits until its new data moved the family cache's generation.
  void Refresh() {
    const std::uint64_t before = families_.generation();
    refresh_now_();
    ASSERT_TRUE(testing::Eventually([&] { return families_.generation() != before; }, 30s));
  }

  MetricsEndpoint Endpoint(bool openmetrics) {
    MetricsEndpointOptions options;
    options.enabled_collectors = {"cpu"};
    options.openmetrics = openmetrics;
    return MetricsEndpoint(options, families_, &response_cache_);
  }

  std::function<void()> refresh_now_;  // before families_, whose slot sets it
  FamilyCache families_;
  ResponseCache response_cache_{ResponseCacheOptions{}};
};

struct Asked {
  std::string query{};
  std::optional<std::string_view> accept{};
  std::optional<std::string_view> accept_encoding{};
  std::optional<std::string_view> timeout{};
};

std::shared_ptr<const Response> Get(const MetricsEndpoint& endpoint, const Asked& asked, std::uint64_t connection = 0) {
  Request request;
  request.connection = connection;
  request.method = "GET";
  request.path = "/metrics";
  request.query = asked.query;
  if (asked.accept) request.headers.emplace_back("Accept", *asked.accept);
  if (asked.accept_encoding) request.headers.emplace_back("Accept-Encoding", *asked.accept_encoding);
  if (asked.timeout) request.headers.emplace_back("X-Prometheus-Scrape-Timeout-Seconds", *asked.timeout);
  return endpoint.Handle(request);
}

bool Says(const std::shared_ptr<const Response>& response, std::string_view header_line) {
  return response->head().find(header_line) != std::string_view::npos;
}

constexpr std::string_view kText = "Content-Type: text/plain; version=0.0.4";
constexpr std::string_view kOpenMetrics = "Content-Type: application/openmetrics-text; version=1.0.0";
constexpr std::string_view kGzip = "Content-Encoding: gzip";

TEST_F(MetricsEndpointTest, EachRequestIsAnsweredByItsOwnQueryAndHeadersOnOneThread) {
  const MetricsEndpoint endpoint = Endpoint(/*openmetrics=*/true);
  for (int round = 0; round < 2; ++round) {
    auto text = Get(endpoint, {});
    EXPECT_TRUE(Says(text, kText) && !Says(text, kGzip)) << text->head();
    auto openmetrics = Get(endpoint, {.accept = kOpenMetricsAccept});
    EXPECT_TRUE(Says(openmetrics, kOpenMetrics) && !Says(openmetrics, kGzip)) << openmetrics->head();
    auto gzip = Get(endpoint, {.accept = kOpenMetricsAccept, .accept_encoding = "gzip"});
    EXPECT_TRUE(Says(gzip, kOpenMetrics) && Says(gzip, kGzip)) << gzip->head();
    auto text_again = Get(endpoint, {.accept = "text/plain", .accept_encoding = "gzip"});
    EXPECT_TRUE(Says(text_again, kText) && Says(text_again, kGzip)) << text_again->head();
  }
}

TEST_F(MetricsEndpointTest, ABadRequestAfterAGoodOneIsRefusedAndTheGoodOneStillAnswered) {
  const MetricsEndpoint endpoint = Endpoint(/*openmetrics=*/true);
  const Asked good{.query = "collect[]=cpu", .accept_encoding = "gzip", .timeout = "10"};
  EXPECT_EQ(Get(endpoint, good)->status, 200);
  Asked bad_query = good;
  bad_query.query = "collect[]=nonesuch";
  EXPECT_EQ(Get(endpoint, bad_query)->status, 400);
  Asked bad_timeout = good;
  bad_timeout.timeout = "ten";
  EXPECT_EQ(Get(endpoint, bad_timeout)->status, 400);
  Asked bad_encoding = good;
  bad_encoding.accept_encoding = "gzip;q=2";
  EXPECT_EQ(Get(endpoint, bad_encoding)->status, 400);
  EXPECT_EQ(Get(endpoint, {.accept = "application/json"})->status, 200);  // text, the fallback
  EXPECT_EQ(Get(endpoint, {.accept = "text/plain;q=0"})->status, 406);
  EXPECT_EQ(Get(endpoint, good)->status, 200);
}

// A reload makes a new endpoint, which may offer other formats: what one endpoint negotiated is not another's.
TEST_F(MetricsEndpointTest, TwoEndpointsOnOneThreadNegotiateWithTheirOwnSettings) {
  const MetricsEndpoint with_openmetrics = Endpoint(/*openmetrics=*/true);
  const MetricsEndpoint text_only = Endpoint(/*openmetrics=*/false);
  for (int round = 0; round < 2; ++round) {
    EXPECT_TRUE(Says(Get(with_openmetrics, {.accept = kOpenMetricsAccept}), kOpenMetrics));
    EXPECT_TRUE(Says(Get(text_only, {.accept = kOpenMetricsAccept}), kText));
  }
}

// A thread notes its key for the render ahead once per render ahead, not at every scrape: after each render ahead
// the next scrape notes it again, so that the next render ahead renders it.
TEST_F(MetricsEndpointTest, AKeyScrapedAgainIsRenderedAheadAfterEveryRefresh) {
  const MetricsEndpoint endpoint = Endpoint(/*openmetrics=*/true);
  const Asked scrape{.accept = kOpenMetricsAccept, .accept_encoding = "gzip"};
  for (std::uint64_t round = 1; round <= 3; ++round) {
    EXPECT_EQ(Get(endpoint, scrape)->status, 200);
    EXPECT_EQ(Get(endpoint, scrape)->status, 200);
    Refresh();
    endpoint.RenderAhead();
    EXPECT_EQ(response_cache_.Stats().rendered_ahead, round);
  }
  endpoint.RenderAhead();  // nothing asked for since: nothing rendered
  EXPECT_EQ(response_cache_.Stats().rendered_ahead, 3u);
}

// Two Prometheus servers every 15 s, 7.5 s apart, share each refresh: the second comes after the first one's
// response has passed --cache.ttl (5 s), and is served the response rendered for it with the first one's, whose
// own series say how old the data is at its arrival.
TEST(MetricsEndpointCadenceTest, TheScraperAfterTheNextIsServedAResponseRenderedForItsArrival) {
  testing::FakeClock clock;
  std::function<void()> refresh_now;
  FamilyCache families({CpuSlot(refresh_now)}, clock);
  ResponseCache response_cache({.ttl = 5s}, clock);
  MetricsEndpointOptions options;
  options.enabled_collectors = {"cpu"};
  const MetricsEndpoint endpoint(options, families, &response_cache);
  families.Tick();
  families.Snapshot({"cpu"}, 30s);
  auto refresh = [&] {
    const std::uint64_t before = families.generation();
    refresh_now();
    families.Tick();
    ASSERT_TRUE(testing::Eventually([&] { return families.generation() != before; }, 30s));
  };
  auto scrape_at = [&](Duration since_start, std::uint64_t server) {
    clock.AdvanceTo(Clock::SteadyTime(1h) + since_start);
    return Get(endpoint, {}, server);
  };
  for (int arrival = 0; arrival < 6; ++arrival) scrape_at(arrival * 7500ms, arrival % 2 + 1);

  clock.AdvanceTo(Clock::SteadyTime(1h) + 44'900ms);  // the refresh planned for the next scrape, at 45 s
  refresh();
  endpoint.RenderAhead();
  EXPECT_EQ(response_cache.Stats().rendered_ahead, 2u) << "for the next scraper, and for the one after it";
  const std::uint64_t misses = response_cache.Stats().misses;
  const auto first = scrape_at(45s, 1);
  EXPECT_NE(first->body().find("cache_age_seconds{collector=\"cpu\"} 0\n"), std::string_view::npos)
      << "rendered 0.1 s before: " << first->body();
  const auto second = scrape_at(52'500ms, 2);
  EXPECT_NE(second->body().find("cache_age_seconds{collector=\"cpu\"} 7.6\n"), std::string_view::npos)
      << second->body();
  EXPECT_EQ(response_cache.Stats().misses, misses) << "neither scraper rendered its own";
  families.Stop();
}

}  // namespace
}  // namespace hw_exporter

// The /metrics handler in process, on one thread: each thread remembers the last request it negotiated, so these
// tests send different requests from the same thread, which HTTP over loopback cannot promise.
#include "hw_exporter/http/metrics_endpoint.h"

#include <gtest/gtest.h>

#include <string>

#include "hw_exporter/core/family_set.h"

namespace hw_exporter {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kOpenMetricsAccept =
    "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
    "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

// One collector, "cpu", whose data is there before the first request.
class MetricsEndpointTest : public ::testing::Test {
 protected:
  MetricsEndpointTest() : families_({CpuSlot()}) {
    families_.Start();
    families_.Snapshot({"cpu"}, 30s);  // waits for the first refresh
  }

  static SlotSettings CpuSlot() {
    SlotSettings slot;
    slot.name = "cpu";
    slot.ttl = 1h;
    slot.timeout = 10s;
    slot.refresh = [] {
      FamilySet families;
      families.Gauge("node_load1", "1m load average.", 0.5);
      return families.Take();
    };
    return slot;
  }

  MetricsEndpoint Endpoint(bool openmetrics) {
    MetricsEndpointOptions options;
    options.enabled_collectors = {"cpu"};
    options.openmetrics = openmetrics;
    return MetricsEndpoint(options, families_, &response_cache_);
  }

  FamilyCache families_;
  ResponseCache response_cache_{ResponseCacheOptions{}};
};

struct Asked {
  std::string query{};
  std::optional<std::string_view> accept{};
  std::optional<std::string_view> accept_encoding{};
  std::optional<std::string_view> timeout{};
};

std::shared_ptr<const Response> Get(const MetricsEndpoint& endpoint, const Asked& asked) {
  Request request;
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

}  // namespace
}  // namespace hw_exporter

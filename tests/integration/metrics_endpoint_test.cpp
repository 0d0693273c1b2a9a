// The daemon over real HTTP on loopback: what /metrics serves, how it caches, negotiates and refuses.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <set>
#include <thread>
#include <utility>

#include "support/daemon.h"
#include "support/exposition_parser.h"
#include "support/gunzip.h"
#include "support/test_support.h"

namespace hw_exporter::testing {
namespace {

std::optional<double> ValueOf(const ParsedExposition& exposition, const std::string& name, const SeriesLabels& labels) {
  for (const auto& sample : exposition.samples)
    if (sample.name == name && sample.labels == labels) return sample.value;
  return std::nullopt;
}

std::map<std::string, double> CpuSeries(const std::string& body) {
  std::map<std::string, double> series;
  for (const auto& sample : ParseExposition(body).samples)
    if (sample.name == "node_cpu_seconds_total") series[SeriesKey(sample.name, sample.labels)] = sample.value;
  EXPECT_FALSE(series.empty());
  return series;
}

class MetricsEndpointTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { daemon_ = new Daemon(FixtureArguments("host_a", {"cpu", "meminfo", "loadavg"})); }
  static void TearDownTestSuite() {
    delete daemon_;
    daemon_ = nullptr;
  }

  static nlohmann::json CacheStats() { return nlohmann::json::parse(daemon_->Get("/cache/stats").body); }

  static nlohmann::json EntryFor(const std::string& key) {
    nlohmann::json stats = CacheStats();
    for (const auto& entry : stats["response_cache"]["entries"])
      if (entry["key"] == key) return entry;
    return nullptr;
  }

  // Runs `requests` until no collector refreshed while they ran (a refresh moves the family cache's generation and
  // so ends every cached response): the daemon's slots refresh on their own clock, the first ones right after
  // start. False when every one of 20 attempts overlapped a refresh.
  template <typename Requests>
  static bool WithoutRefresh(Requests requests) {
    for (int attempt = 0; attempt < 20; ++attempt) {
      auto before = CacheStats()["family_cache"]["generation"];
      requests();
      if (CacheStats()["family_cache"]["generation"] == before) return true;
    }
    return false;
  }

  static Daemon* daemon_;
};

Daemon* MetricsEndpointTest::daemon_ = nullptr;

TEST_F(MetricsEndpointTest, ServesNodeExporterSeriesAndSelfMetricsAsText004) {
  HttpResponse response = daemon_->Get("/metrics");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(response.headers["content-length"], std::to_string(response.body.size()));
  EXPECT_EQ(response.headers["vary"], "Accept, Accept-Encoding");
  EXPECT_EQ(response.headers.count("content-encoding"), 0u);

  ParsedExposition exposition = ParseExposition(response.body);
  EXPECT_EQ(ValueOf(exposition, "node_cpu_seconds_total", {{"cpu", "0"}, {"mode", "user"}}), 5.0);
  EXPECT_EQ(ValueOf(exposition, "node_cpu_seconds_total", {{"cpu", "1"}, {"mode", "iowait"}}), 1.5);
  EXPECT_EQ(ValueOf(exposition, "node_memory_MemTotal_bytes", {}), 8000000.0 * 1024);
  EXPECT_EQ(ValueOf(exposition, "node_memory_Active_anon_bytes", {}), 123456.0 * 1024);
  EXPECT_EQ(ValueOf(exposition, "node_load1", {}), 1.5);
  EXPECT_EQ(ValueOf(exposition, "node_load15", {}), 0.25);
  for (const char* collector : {"cpu", "meminfo", "loadavg"}) {
    SeriesLabels labels{{"collector", collector}};
    EXPECT_EQ(ValueOf(exposition, "hw_exporter_collector_success", labels), 1.0) << collector;
    EXPECT_TRUE(ValueOf(exposition, "hw_exporter_collector_duration_seconds", labels)) << collector;
    EXPECT_TRUE(ValueOf(exposition, "hw_exporter_collector_last_success_timestamp_seconds", labels)) << collector;
    EXPECT_TRUE(ValueOf(exposition, "hw_exporter_collector_cache_age_seconds", labels)) << collector;
  }
  for (const char* family :
       {"process_cpu_seconds_total", "process_resident_memory_bytes", "process_open_fds", "process_max_fds",
        "process_start_time_seconds", "process_threads", "process_virtual_memory_bytes",
        "hw_exporter_response_cache_requests_total", "hw_exporter_response_cache_hits_total",
        "hw_exporter_response_cache_coalesced_total", "hw_exporter_response_cache_rendered_ahead_total",
        "hw_exporter_response_cache_evictions_total", "hw_exporter_response_cache_entries",
        "hw_exporter_response_cache_bytes"}) {
    EXPECT_TRUE(exposition.type.count(family)) << family;
  }
  EXPECT_EQ(exposition.type["node_cpu_seconds_total"], "counter");
  bool build_info = false;
  for (const auto& sample : exposition.samples)
    build_info |= sample.name == "hw_exporter_build_info" && sample.labels.count("version") &&
                  sample.labels.count("revision") && sample.labels.count("compiler") && sample.value == 1;
  EXPECT_TRUE(build_info);
}

TEST_F(MetricsEndpointTest, ASecondScrapeIsAHitWithTheSameBytes) {
  HttpResponse first, second;
  ASSERT_TRUE(WithoutRefresh([&] {
    first = daemon_->Get("/metrics?collect[]=loadavg");
    second = daemon_->Get("/metrics?collect[]=loadavg");
  }));
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(second.raw, first.raw) << "a hit replays status, headers and body byte for byte";
  nlohmann::json entry = EntryFor("/metrics?collect[]=loadavg text/plain; version=0.0.4; charset=utf-8 identity");
  ASSERT_FALSE(entry.is_null()) << CacheStats().dump(2);
  EXPECT_GE(entry["hits"].get<int>(), 1);
  // The entry holds the response as it leaves on a connection kept open; this client's was closed.
  EXPECT_EQ(entry["bytes"].get<size_t>(), first.raw.size() - std::string("Connection: close\r\n").size() +
                                              std::string("Connection: keep-alive\r\n").size() +
                                              entry["key"].get<std::string>().size());
  EXPECT_GT(entry["expires_in_seconds"].get<double>(), 0);
}

TEST_F(MetricsEndpointTest, ExcludingEveryCollectorLeavesOnlyTheExportersOwn) {
  HttpResponse response = daemon_->Get("/metrics?exclude[]=cpu&exclude[]=meminfo&exclude[]=loadavg");
  ASSERT_EQ(response.status, 200) << response.body;
  ParsedExposition exposition = ParseExposition(response.body);
  for (const auto& sample : exposition.samples) {
    EXPECT_FALSE(sample.name.starts_with("node_")) << sample.name;
    EXPECT_EQ(sample.labels.count("collector"), 0u) << sample.name;
  }
  EXPECT_TRUE(exposition.type.count("process_threads"));
  EXPECT_TRUE(exposition.type.count("hw_exporter_build_info"));
}

TEST_F(MetricsEndpointTest, EquivalentQueriesShareOneKey) {
  HttpResponse reordered;
  ASSERT_TRUE(WithoutRefresh([&] {
    daemon_->Get("/metrics?collect[]=meminfo&collect[]=cpu");
    reordered = daemon_->Get("/metrics?collect%5B%5D=cpu&collect[]=meminfo&collect[]=cpu");
  }));
  ASSERT_EQ(reordered.status, 200);
  nlohmann::json entry =
      EntryFor("/metrics?collect[]=cpu&collect[]=meminfo text/plain; version=0.0.4; charset=utf-8 identity");
  ASSERT_FALSE(entry.is_null());
  EXPECT_GE(entry["hits"].get<int>(), 1);
  ParsedExposition exposition = ParseExposition(reordered.body);
  EXPECT_FALSE(exposition.type.count("node_load1")) << "loadavg was not asked for";
  EXPECT_TRUE(exposition.type.count("node_memory_MemTotal_bytes"));
}

TEST_F(MetricsEndpointTest, GzipWhenAskedAndIdentityOtherwise) {
  HttpResponse identity = daemon_->Get("/metrics?collect[]=cpu");
  HttpResponse gzip = daemon_->Get("/metrics?collect[]=cpu", {{"Accept-Encoding", "gzip, deflate"}});
  ASSERT_EQ(gzip.status, 200);
  EXPECT_EQ(gzip.headers["content-encoding"], "gzip");
  EXPECT_EQ(gzip.headers["vary"], "Accept, Accept-Encoding");
  EXPECT_EQ(gzip.headers["content-length"], std::to_string(gzip.body.size()));
  EXPECT_EQ(static_cast<unsigned char>(gzip.body[0]), 0x1f);
  // Two renders (process_* moves between them), so compare the collector's series.
  EXPECT_EQ(CpuSeries(Gunzip(gzip.body)), CpuSeries(identity.body));

  HttpResponse refused = daemon_->Get("/metrics?collect[]=cpu", {{"Accept-Encoding", "gzip;q=0, identity"}});
  EXPECT_EQ(refused.headers.count("content-encoding"), 0u);
  EXPECT_EQ(CpuSeries(refused.body), CpuSeries(identity.body));
}

TEST_F(MetricsEndpointTest, HeadAnswersHeadersWithoutABody) {
  // A refresh between two requests renders a new body: compare HEAD with GETs on both sides of it that got the
  // same bytes, so that all three were answered from one cache entry.
  for (int attempt = 0; attempt < 20; ++attempt) {
    HttpResponse before = daemon_->Get("/metrics?collect[]=loadavg");
    HttpResponse head = HttpRequest("HEAD", "127.0.0.1", daemon_->port(), "/metrics?collect[]=loadavg");
    HttpResponse after = daemon_->Get("/metrics?collect[]=loadavg");
    if (before.body != after.body) continue;
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(head.body, "");
    EXPECT_EQ(head.headers["content-length"], before.headers["content-length"]);
    EXPECT_EQ(head.headers["content-type"], before.headers["content-type"]);
    return;
  }
  FAIL() << "the body changed between every two requests";
}

TEST_F(MetricsEndpointTest, BadRequestsGetAClearErrorAndCreateNoKey) {
  size_t entries_before = CacheStats()["response_cache"]["entries"].size();
  struct Case {
    std::string target;
    int status;
    std::string message;
  };
  for (const Case& bad : std::vector<Case>{
           {"/metrics?foo=bar", 400, "unknown query parameter \"foo\""},
           {"/metrics?collect[]=nosuch", 400, "unknown collector \"nosuch\""},
           {"/metrics?collect[]=hwmon", 400, "collector \"hwmon\" is not enabled"},
           {"/metrics?collect[]=cpu&exclude[]=meminfo", 400, "cannot be combined"},
           {"/metrics?collect[]=%zz", 400, "malformed percent-encoding"},
           {"/nosuch", 404, "404 page not found"},
           {"/metrics/extra", 404, "404 page not found"},
           // Routes are exact after decoding too: an encoded NUL or slash never reaches one.
           {"/metrics%00", 400, "encoded NUL or slash in path"},
           {"/metrics%00/../x", 404, "404 page not found: /x"},
           {"/cache%2fstats", 400, "encoded NUL or slash in path"},
           {"/metrics/../nosuch", 404, "404 page not found"},
       }) {
    HttpResponse response = daemon_->Get(bad.target);
    EXPECT_EQ(response.status, bad.status) << bad.target;
    EXPECT_NE(response.body.find(bad.message), std::string::npos) << bad.target << ": " << response.body;
  }
  HttpResponse bad_q = daemon_->Get("/metrics", {{"Accept-Encoding", "gzip;q=x"}});
  EXPECT_EQ(bad_q.status, 400);
  EXPECT_NE(bad_q.body.find("invalid q-value"), std::string::npos);
  HttpResponse bad_timeout = daemon_->Get("/metrics", {{"X-Prometheus-Scrape-Timeout-Seconds", "soon"}});
  EXPECT_EQ(bad_timeout.status, 400);
  EXPECT_EQ(CacheStats()["response_cache"]["entries"].size(), entries_before);
  EXPECT_EQ(daemon_->Get("/metrics").status, 200) << "still serving";
  EXPECT_EQ(daemon_->Get("/%6detrics").status, 200) << "an encoded letter is the letter";
}

TEST_F(MetricsEndpointTest, OtherMethodsAre405) {
  // TRACE, lowercase and unknown methods are refused by civetweb before any route: answered alike all the same.
  for (const char* method : {"POST", "PUT", "DELETE", "CONNECT", "TRACE", "get", "FOO"}) {
    HttpResponse response = HttpRequest(method, "127.0.0.1", daemon_->port(), "/metrics");
    EXPECT_EQ(response.status, 405) << method;
    EXPECT_EQ(response.headers["allow"], "GET, HEAD");
  }
}

// civetweb copied the rest of a malformed request line into its error's status line: headers of the client's
// choosing in the response.
TEST_F(MetricsEndpointTest, AMalformedRequestLineCannotWriteTheResponsesHead) {
  std::string raw = RawExchange("127.0.0.1", daemon_->port(),
                                "GET /metrics HTTP/1.1 x\r\nSet-Cookie: injected=1\r\n\r\n");
  EXPECT_TRUE(raw.starts_with("HTTP/1.1 400 Bad Request\r\n")) << raw;
  EXPECT_EQ(raw.find("injected"), std::string::npos) << raw;
  EXPECT_NE(raw.find("Connection: close\r\n"), std::string::npos) << raw;
  EXPECT_EQ(daemon_->Get("/-/healthy").status, 200) << "still serving";
}

// Two requests on one connection: the bytes of the first response and of the second, both empty unless both were
// answered with 200 there.
std::pair<std::string, std::string> TwoAnswers(int port, const std::string& first, const std::string& second) {
  const std::string raw = RawExchange("127.0.0.1", port, first + second);
  const size_t split = raw.find("HTTP/1.1 200", 1);
  if (!raw.starts_with("HTTP/1.1 200") || split == std::string::npos) {
    ADD_FAILURE() << "both requests answered on one connection:\n" << raw;
    return {};
  }
  return {raw.substr(0, split), raw.substr(split)};
}

// The Connection header is a list of options: "keep-alive, TE" keeps the connection open, and the response says so.
TEST_F(MetricsEndpointTest, ConnectionOptionsAreAListAndTheResponseTellsTheTruth) {
  const auto [first, second] = TwoAnswers(daemon_->port(),
                                          "GET /-/healthy HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, TE\r\n\r\n",
                                          "GET /-/healthy HTTP/1.1\r\nHost: x\r\nConnection: TE, close\r\n\r\n");
  EXPECT_NE(first.find("Connection: keep-alive\r\n"), std::string::npos) << first;
  EXPECT_NE(second.find("Connection: close\r\n"), std::string::npos) << second;
}

// A HEAD on a connection kept open ends at the blank line: the next response starts right after it.
TEST_F(MetricsEndpointTest, HeadOnAKeptConnectionEndsAtItsHead) {
  const auto [head, get] = TwoAnswers(daemon_->port(), "HEAD /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n",
                                      "GET /-/healthy HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(head.ends_with("Content-Length: 8\r\nConnection: keep-alive\r\n\r\n")) << head;
  EXPECT_TRUE(get.ends_with("Connection: close\r\n\r\nHealthy\n")) << get;
}

TEST_F(MetricsEndpointTest, LandingPageAndHealth) {
  HttpResponse landing = daemon_->Get("/");
  EXPECT_EQ(landing.status, 200);
  EXPECT_NE(landing.body.find("href=\"/metrics\""), std::string::npos);
  EXPECT_NE(landing.body.find("href=\"/cache/stats\""), std::string::npos);
  EXPECT_NE(landing.body.find("version 0."), std::string::npos);
  EXPECT_EQ(daemon_->Get("/-/healthy").status, 200);
}

TEST_F(MetricsEndpointTest, CacheStatsDescribesBothCaches) {
  daemon_->Get("/metrics");
  nlohmann::json stats = CacheStats();
  const auto& response_cache = stats["response_cache"];
  EXPECT_TRUE(response_cache["enabled"].get<bool>());
  for (const char* total : {"requests", "hits", "misses", "coalesced", "evictions", "entries", "bytes"})
    EXPECT_TRUE(response_cache["totals"].contains(total)) << total;
  for (const auto& entry : response_cache["entries"])
    for (const char* field : {"key", "hits", "misses", "coalesced", "bytes", "age_seconds", "expires_in_seconds",
                              "next_response_in_seconds"})
      EXPECT_TRUE(entry.contains(field)) << field;
  const auto& collectors = stats["family_cache"]["collectors"];
  ASSERT_EQ(collectors.size(), 3u);
  for (const auto& collector : collectors) {
    for (const char* field :
         {"name", "ttl_seconds", "age_seconds", "last_duration_seconds", "last_success", "last_error", "generation"})
      EXPECT_TRUE(collector.contains(field)) << field;
    EXPECT_TRUE(collector["last_success"].get<bool>()) << collector.dump();
  }
  EXPECT_GT(stats["family_cache"]["generation"].get<int>(), 0);
}

TEST(ResponseCacheBounds, ManyDistinctValidKeysStayWithinMaxEntries) {
  Daemon daemon([] {
    auto arguments = FixtureArguments("host_a", {"cpu", "meminfo", "loadavg"});
    arguments.push_back("--cache.max-entries=4");
    return arguments;
  }());
  std::vector<std::string> queries;
  for (const char* filter : {"collect[]", "exclude[]"})
    for (const char* name : {"cpu", "meminfo", "loadavg"}) queries.push_back(std::string(filter) + "=" + name);
  queries.push_back("collect[]=cpu&collect[]=meminfo");
  queries.push_back("collect[]=cpu&collect[]=loadavg");
  queries.push_back("");
  for (int round = 0; round < 3; ++round) {
    for (const auto& query : queries) {
      for (const char* encoding : {"gzip", "identity"}) {
        ASSERT_EQ(daemon.Get("/metrics?" + query, {{"Accept-Encoding", encoding}}).status, 200) << query;
      }
    }
  }
  nlohmann::json stats = nlohmann::json::parse(daemon.Get("/cache/stats").body)["response_cache"];
  EXPECT_LE(stats["totals"]["entries"].get<int>(), 4);
  EXPECT_EQ(stats["entries"].size(), stats["totals"]["entries"].get<size_t>());
  EXPECT_GE(stats["totals"]["evictions"].get<int>(), static_cast<int>(queries.size() * 2 - 4));
}

// A scrape that finds its collectors past their TTL has them refreshed for the next; as soon as that refresh ends,
// the response the next scrape asks for is rendered, and that scrape replays it. The attempts are bounded: the
// refresh may end before the scrape that asked for it looks in the response cache (that scrape then renders the new
// data itself, and there is nothing left to render ahead), and the process_* slot, refreshed on its own TTL by
// whichever scrape finds it due, may move the data between the render ahead and the next scrape.
TEST(RenderAhead, TheNextScrapeFindsItsResponseRenderedAfterTheRefresh) {
  Daemon daemon([] {
    auto arguments = FixtureArguments("host_a", {"cpu", "meminfo", "loadavg"});
    arguments.push_back("--collector.loadavg.ttl=1s");
    return arguments;
  }());
  const std::string target = "/metrics?collect[]=loadavg";
  const std::string key = target + " text/plain; version=0.0.4; charset=utf-8 gzip";
  const std::vector<std::pair<std::string, std::string>> gzip{{"Accept-Encoding", "gzip"}};
  auto entry = [&] {
    nlohmann::json stats = nlohmann::json::parse(daemon.Get("/cache/stats").body);
    for (const auto& found : stats["response_cache"]["entries"])
      if (found["key"] == key) return found;
    return nlohmann::json{{"rendered_ahead", 0}, {"hits", 0}};
  };
  bool replayed = false;
  for (int attempt = 0; attempt < 5 && !replayed; ++attempt) {
    ASSERT_EQ(daemon.Get(target, gzip).status, 200);
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // loadavg's data is now past its TTL
    const int ahead_before = entry()["rendered_ahead"].get<int>();
    ASSERT_EQ(daemon.Get(target, gzip).status, 200);  // asks for the refresh, and for the render after it
    nlohmann::json rendered;
    if (!Eventually(
            [&] {
              rendered = entry();
              return rendered["rendered_ahead"].get<int>() > ahead_before;
            },
            std::chrono::seconds(2)))
      continue;
    HttpResponse next = daemon.Get(target, gzip);
    ASSERT_EQ(next.status, 200);
    ASSERT_EQ(next.headers["content-encoding"], "gzip");
    replayed = entry()["hits"].get<int>() > rendered["hits"].get<int>();
  }
  EXPECT_TRUE(replayed) << "the scrape after the render ahead never replayed it";
  nlohmann::json totals = nlohmann::json::parse(daemon.Get("/cache/stats").body)["response_cache"]["totals"];
  EXPECT_GE(totals["rendered_ahead"].get<int>(), 1);
  const std::string metrics = daemon.Get("/metrics").body;
  EXPECT_NE(metrics.find("# TYPE hw_exporter_response_cache_rendered_ahead_total counter"), std::string::npos);
}

}  // namespace
}  // namespace hw_exporter::testing

// Hostile and idle clients against the real daemon over loopback: connections that send nothing, half a request,
// too much, or that idle after a request must not keep another client's scrape waiting. The daemon's timeouts are
// an hour, so a scrape that had to wait for one of them would not be answered within the test's bound: what the
// tests show is that nothing waits, not how fast the machine is.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/daemon.h"
#include "support/exposition_parser.h"
#include "support/raw_connections.h"

namespace hw_exporter::testing {
namespace {

using namespace std::chrono_literals;

const std::vector<std::string> kSixClients{"127.0.0.2", "127.0.0.3", "127.0.0.4",
                                           "127.0.0.5", "127.0.0.6", "127.0.0.7"};
const std::string kHalfARequestLine = "GET /metrics HT";

std::vector<std::string> Arguments(std::vector<std::string> extra) {
  std::vector<std::string> arguments = FixtureArguments("host_a", {"loadavg"});
  for (const char* patient : {"--web.request-timeout=1h", "--web.keep-alive-timeout=1h"}) arguments.push_back(patient);
  arguments.insert(arguments.end(), extra.begin(), extra.end());
  return arguments;
}

std::optional<double> SelfMetric(Daemon& daemon, const std::string& name, const SeriesLabels& labels) {
  HttpResponse response = daemon.Get("/metrics?collect[]=loadavg", {{"Accept-Encoding", "identity"}});
  for (const auto& sample : ParseExposition(response.body).samples)
    if (sample.name == name && sample.labels == labels) return sample.value;
  return std::nullopt;
}

class SlowClientsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { RaiseOpenFilesLimit(); }
};

TEST_F(SlowClientsTest, IdleAndHalfSentConnectionsDoNotDelayScrapes) {
  Daemon daemon(Arguments({"--web.max-connections-per-client=1000", "--no-cache.enabled"}));
  OpenConnections idle, half_sent;
  idle.Open(300, kSixClients, daemon.port(), "");
  half_sent.Open(300, kSixClients, daemon.port(), kHalfARequestLine);
  for (int scrape = 0; scrape < 20; ++scrape) {
    HttpResponse response = HttpGet("127.0.0.1", daemon.port(), "/metrics", {}, 10s);
    ASSERT_EQ(response.status, 200) << "scrape " << scrape;
  }
  EXPECT_EQ(SelfMetric(daemon, "hw_exporter_http_connections", {{"state", "reading"}}), 600);
  EXPECT_FALSE(daemon.process().Exited());
}

TEST_F(SlowClientsTest, AllFromOneAddressTheCapClosesTheRest) {
  Daemon daemon(Arguments({"--web.max-connections-per-client=8", "--no-cache.enabled"}));
  OpenConnections flood;
  flood.Open(200, {"127.0.0.2"}, daemon.port(), kHalfARequestLine);
  // The gate accepts on its own thread: wait until it has seen all 200.
  for (int attempt = 0; attempt < 100; ++attempt) {
    if (SelfMetric(daemon, "hw_exporter_http_requests_rejected_total", {{"reason", "too_many_connections"}}) == 192)
      break;
    std::this_thread::sleep_for(100ms);
  }
  for (int scrape = 0; scrape < 20; ++scrape)
    ASSERT_EQ(HttpGet("127.0.0.1", daemon.port(), "/metrics", {}, 10s).status, 200) << "scrape " << scrape;
  EXPECT_EQ(SelfMetric(daemon, "hw_exporter_http_requests_rejected_total", {{"reason", "too_many_connections"}}), 192);
  EXPECT_EQ(SelfMetric(daemon, "hw_exporter_http_connections", {{"state", "reading"}}), 8);
}

TEST_F(SlowClientsTest, ARequestThatDoesNotArriveInTimeIs408) {
  std::vector<std::string> arguments = FixtureArguments("host_a", {"loadavg"});
  arguments.push_back("--web.request-timeout=1s");
  Daemon daemon(arguments);
  OpenConnections half_sent;
  half_sent.Open(1, {"127.0.0.2"}, daemon.port(), kHalfARequestLine);
  std::string answer;
  ASSERT_TRUE(ClosedByServer(half_sent.fds()[0], 20s, &answer));
  EXPECT_EQ(answer.rfind("HTTP/1.1 408 ", 0), 0u) << answer;
  EXPECT_EQ(SelfMetric(daemon, "hw_exporter_http_requests_rejected_total", {{"reason", "request_timeout"}}), 1);
}

// Whether the textfile collector has data, as /cache/stats says.
bool TextfileHasData(Daemon& daemon) {
  const nlohmann::json stats = nlohmann::json::parse(daemon.Get("/cache/stats").body);
  for (const auto& slot : stats["family_cache"]["collectors"])
    if (slot["name"] == "textfile") return slot["has_data"].get<bool>();
  return false;
}

// A client that asks for a response larger than the sockets on both ends hold (loopback's send buffer grows to
// 4 MiB) and reads none of it has its connection closed once the request timeout has passed: the worker writing to
// it neither waits longer nor keeps the connection.
TEST_F(SlowClientsTest, AClientThatReadsNothingIsLetGoAtTheRequestTimeout) {
  TempDir textfiles;
  {
    std::ofstream file(textfiles.path() + "/large.prom");
    for (int series = 0; series < 30000; ++series)
      file << "large_series{index=\"" << series << "\",padding=\"" << std::string(400, 'x') << "\"} 1\n";
  }
  std::vector<std::string> arguments = FixtureArguments("host_a", {"loadavg", "textfile"});
  arguments.insert(arguments.end(),
                   {"--collector.textfile.directory=" + textfiles.path(), "--collector.textfile.max-file-size=64MiB",
                    "--collector.textfile.max-directory-size=64MiB", "--collector.textfile.timeout=2m",
                    "--web.request-timeout=1s", "--web.keep-alive-timeout=1h", "--no-cache.enabled"});
  Daemon daemon(arguments);
  ASSERT_TRUE(Eventually([&] { return TextfileHasData(daemon); }, 120s));
  const int fd = ConnectFrom("127.0.0.2", daemon.port());
  const int small = 4096;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  const std::string request =
      "GET /metrics?collect[]=textfile HTTP/1.1\r\nHost: x\r\nAccept-Encoding: identity\r\n\r\n";
  ASSERT_EQ(send(fd, request.data(), request.size(), MSG_NOSIGNAL), static_cast<ssize_t>(request.size()));
  // Handed over are the connection asking and, until it is let go, the one that reads nothing.
  auto handed_over = [&] { return SelfMetric(daemon, "hw_exporter_http_connections", {{"state", "handed_over"}}); };
  ASSERT_TRUE(Eventually([&] { return handed_over() == 2; }, 60s)) << "the request never reached a worker";
  EXPECT_TRUE(Eventually([&] { return handed_over() == 1; }, 60s))
      << "the worker still writes to a client that reads nothing";
  close(fd);
}

TEST_F(SlowClientsTest, OversizedRequestsAndBodiesAreRefused) {
  Daemon daemon(Arguments({}));
  std::string long_line = RawExchange("127.0.0.1", daemon.port(), "GET /" + std::string(9000, 'a') + " HTTP/1.1\r\n");
  EXPECT_EQ(long_line.rfind("HTTP/1.1 414 ", 0), 0u) << long_line;
  std::string long_headers = RawExchange("127.0.0.1", daemon.port(),
                                         "GET /metrics HTTP/1.1\r\nX-Padding: " + std::string(9000, 'a') + "\r\n");
  EXPECT_EQ(long_headers.rfind("HTTP/1.1 431 ", 0), 0u) << long_headers;
  std::string body = RawExchange("127.0.0.1", daemon.port(),
                                 "GET /metrics HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
  EXPECT_EQ(body.rfind("HTTP/1.1 413 ", 0), 0u) << body;
  // A later request of a keep-alive connection goes to civetweb directly, which refuses one past the bound as
  // malformed, and closes.
  std::string second = RawExchange("127.0.0.1", daemon.port(),
                                   "GET /-/healthy HTTP/1.1\r\nHost: a\r\n\r\nGET /metrics HTTP/1.1\r\nX-Padding: " +
                                       std::string(9000, 'a') + "\r\n\r\n");
  EXPECT_NE(second.find("HTTP/1.1 400 "), std::string::npos) << second.substr(0, 300);
  EXPECT_EQ(SelfMetric(daemon, "hw_exporter_http_requests_rejected_total", {{"reason", "request_line_too_long"}}), 1);
  EXPECT_EQ(SelfMetric(daemon, "hw_exporter_http_requests_rejected_total", {{"reason", "headers_too_large"}}), 1);
  EXPECT_EQ(SelfMetric(daemon, "hw_exporter_http_requests_rejected_total", {{"reason", "request_body"}}), 1);
  EXPECT_EQ(SelfMetric(daemon, "hw_exporter_http_requests_rejected_total", {{"reason", "malformed_request"}}), 1);
  EXPECT_EQ(daemon.Get("/-/healthy").status, 200) << "still serving";
}

// Idle keep-alive connections hold civetweb's workers: when all do, a new connection closes the one that has waited
// longest, and is answered.
TEST_F(SlowClientsTest, IdleKeepAliveConnectionsMakeRoomForANewOne) {
  Daemon daemon(Arguments({"--web.threads=2"}));
  OpenConnections keep_alive;
  keep_alive.Open(4, {"127.0.0.2"}, daemon.port(), "GET /-/healthy HTTP/1.1\r\nHost: a\r\n\r\n");
  // The gate leaves a connection a second of waiting before it may close it.
  std::this_thread::sleep_for(1500ms);
  for (int scrape = 0; scrape < 5; ++scrape)
    ASSERT_EQ(HttpGet("127.0.0.1", daemon.port(), "/metrics", {}, 10s).status, 200) << "scrape " << scrape;
  std::optional<double> evicted = SelfMetric(daemon, "hw_exporter_http_connections_evicted_total", {});
  ASSERT_TRUE(evicted);
  EXPECT_GE(*evicted, 2);
  int closed = 0;
  for (int fd : keep_alive.fds()) closed += ClosedByServer(fd, 5s) ? 1 : 0;
  EXPECT_GE(closed, 2) << "the evicted connections were closed";
}

// Making room closes idle connections, never one whose request is being answered, even one that has been answered
// before and has been busy longer than any idle one has waited: here a scrape that waits for a probe's first data,
// which the test lets come only at the end.
TEST_F(SlowClientsTest, AConnectionWhoseRequestIsBeingAnsweredIsNeverClosedToMakeRoom) {
  std::string fixture = SharedFixture("ipmitool/supermicro-sensor.txt");
  if (fixture.empty()) fixture = Fixture("probe_ipmitool/statuses.txt");
  TempDir directory;
  const std::string release = directory.path() + "/release";
  // It waits for the test's word, and gives up when the test's directory is gone (a test that failed first).
  const std::string ipmitool = directory.Write("ipmitool", "#!/bin/sh\nwhile [ ! -e '" + release + "' ] && [ -d '" +
                                                               directory.path() + "' ]; do sleep 0.05; done\ncat '" +
                                                               fixture + "'\n");
  ::chmod(ipmitool.c_str(), 0755);
  std::vector<std::string> arguments = FixtureArguments("host_a", {"loadavg", "ipmi"});
  arguments.insert(arguments.end(), {"--web.threads=2", "--web.request-timeout=1h", "--web.keep-alive-timeout=1h",
                                     "--collector.ipmi.path=" + ipmitool, "--collector.ipmi.ttl=1h",
                                     "--collector.ipmi.timeout=10m", "--collector.ipmi.command-timeout=10m"});
  Daemon daemon(arguments);

  // Answered once, then asked for what waits for the probe.
  OpenConnections busy;
  busy.Open(1, {"127.0.0.2"}, daemon.port(), "GET /-/healthy HTTP/1.1\r\nHost: a\r\n\r\n");
  std::string received;
  ASSERT_FALSE(ClosedByServer(busy.fds()[0], 500ms, &received));
  ASSERT_NE(received.find("HTTP/1.1 200"), std::string::npos) << received;
  const std::string scrape =
      "GET /metrics?collect[]=ipmi HTTP/1.1\r\nHost: a\r\nX-Prometheus-Scrape-Timeout-Seconds: 3600\r\n"
      "Connection: close\r\n\r\n";
  ASSERT_EQ(send(busy.fds()[0], scrape.data(), scrape.size(), MSG_NOSIGNAL), static_cast<ssize_t>(scrape.size()));
  std::this_thread::sleep_for(300ms);
  OpenConnections idle;  // served after the busy one began: it has waited less
  idle.Open(1, {"127.0.0.3"}, daemon.port(), "GET /-/healthy HTTP/1.1\r\nHost: a\r\n\r\n");
  std::this_thread::sleep_for(1500ms);  // past the gate's grace for both

  for (int request = 0; request < 3; ++request)
    ASSERT_EQ(HttpGet("127.0.0.1", daemon.port(), "/-/healthy", {}, 10s).status, 200) << "request " << request;
  EXPECT_TRUE(ClosedByServer(idle.fds()[0], 5s)) << "the idle connection made room";
  received.clear();
  EXPECT_FALSE(ClosedByServer(busy.fds()[0], 200ms, &received)) << "the busy one was closed: " << received;

  std::ofstream(release).put('\n');
  ASSERT_TRUE(ClosedByServer(busy.fds()[0], 60s, &received));
  EXPECT_NE(received.find("HTTP/1.1 200"), std::string::npos) << received;
  EXPECT_NE(received.find("ipmi_"), std::string::npos) << "the scrape got the probe's data";
}

}  // namespace
}  // namespace hw_exporter::testing

// End to end: the real Prometheus server scrapes the real daemon, and the test reads the series back through
// Prometheus' HTTP API. Also lints the daemon's real output with promtool.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <regex>
#include <sstream>
#include <thread>

#include "support/daemon.h"
#include "support/prometheus_server.h"

namespace hw_exporter::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kPromtool = "/usr/bin/promtool";

TEST(Prometheus, ScrapesTheDaemonAndStoresItsSeries) {
  if (::access(kPrometheus, X_OK) != 0) GTEST_SKIP() << kPrometheus << " is not installed (Debian package prometheus)";
  Daemon daemon(FixtureArguments("host_a", {"cpu", "meminfo", "loadavg"}));
  PrometheusServer prometheus("  - job_name: hw_exporter\n    static_configs:\n      - targets: ['127.0.0.1:" +
                              std::to_string(daemon.port()) + "']\n");

  nlohmann::json cpu = prometheus.AwaitQuery("node_cpu_seconds_total{cpu=\"0\",mode=\"user\"}");
  ASSERT_FALSE(cpu.empty()) << "Prometheus never scraped the daemon:\n" << prometheus.process().Output();
  EXPECT_EQ(cpu[0]["value"][1], "5") << cpu.dump();
  EXPECT_EQ(cpu[0]["metric"]["instance"], "127.0.0.1:" + std::to_string(daemon.port()));
  nlohmann::json up = prometheus.Query("up{job=\"hw_exporter\"}");
  ASSERT_FALSE(up.empty());
  EXPECT_EQ(up[0]["value"][1], "1");

  auto success = prometheus.Query("hw_exporter_collector_success");
  EXPECT_EQ(success.size(), 3u) << success.dump();
  // The first family of a gzip body is compressed apart from the rest, which follows it in the same member: the
  // ages are stored like every other series.
  auto ages = prometheus.Query("hw_exporter_collector_cache_age_seconds");
  EXPECT_EQ(ages.size(), 3u) << ages.dump();
  auto status = prometheus.process().Signal(SIGTERM, 10s);
  EXPECT_TRUE(status && WIFEXITED(*status)) << prometheus.process().Output();
}

// Prometheus 2.42 asks for OpenMetrics first: one daemon serves it, a second one only the text format, on the same
// tree with the same collectors; Prometheus must store as many series from each.
TEST(Prometheus, StoresTheSameSeriesFromOpenMetricsAsFromTheTextFormat) {
  if (::access(kPrometheus, X_OK) != 0) GTEST_SKIP() << kPrometheus << " is not installed (Debian package prometheus)";
  const std::vector<std::string> collectors{"cpu", "meminfo", "loadavg", "stat", "vmstat"};
  Daemon openmetrics(FixtureArguments("host_a", collectors));
  auto text_only = FixtureArguments("host_a", collectors);
  text_only.push_back("--web.disable-openmetrics");
  Daemon text(text_only);
  auto job = [](const std::string& name, int port) {
    return "  - job_name: " + name + "\n    static_configs:\n      - targets: ['127.0.0.1:" + std::to_string(port) +
           "']\n";
  };
  PrometheusServer prometheus(job("openmetrics", openmetrics.port()) + job("text", text.port()));
  auto count = [&](const std::string& job_name) {
    nlohmann::json result = prometheus.AwaitQuery("count({job=\"" + job_name + "\"})");
    return result.empty() ? std::string("none") : result[0]["value"][1].get<std::string>();
  };
  const std::string from_openmetrics = count("openmetrics");
  ASSERT_NE(from_openmetrics, "none") << prometheus.process().Output();
  EXPECT_EQ(from_openmetrics, count("text"));

  // The format each daemon answered Prometheus with, from the keys of its response cache.
  auto cached_types = [](Daemon& daemon) {
    const nlohmann::json stats = nlohmann::json::parse(daemon.Get("/cache/stats").body);
    std::string keys;
    for (const auto& entry : stats["response_cache"]["entries"]) keys += entry["key"].get<std::string>() + "\n";
    return keys;
  };
  EXPECT_NE(cached_types(openmetrics).find("application/openmetrics-text; version=1.0.0"), std::string::npos)
      << cached_types(openmetrics);
  EXPECT_EQ(cached_types(text).find("openmetrics"), std::string::npos) << cached_types(text);
  EXPECT_TRUE(prometheus.process().Signal(SIGTERM, 10s));
}

// promtool's one finding that compatibility requires: node_exporter names every /proc/meminfo field after the
// kernel's CamelCase (node_memory_MemTotal_bytes), promtool flags exactly those names in node_exporter's own
// output, and dashboards depend on them. Every other line promtool prints is a failure.
bool IsNodeExporterMeminfoName(const std::string& line) {
  static const std::regex
      kCamelCaseMeminfo("node_memory_[A-Za-z0-9_]+ metric names should be written in 'snake_case' not 'camelCase'");
  return std::regex_match(line, kCamelCaseMeminfo);
}

// promtool reads the body from stdin and prints what it finds; a clean body prints nothing.
void ExpectPromtoolClean(Daemon& daemon) {
  HttpResponse response = daemon.Get("/metrics");
  ASSERT_EQ(response.status, 200);
  TempDir directory;
  std::string body = directory.Write("metrics.txt", response.body);
  std::string output_path = directory.path() + "/promtool.out";
  ChildProcess promtool({"/bin/sh", "-c", std::string(kPromtool) + " check metrics < '" + body + "'"}, output_path);
  std::optional<int> status;
  for (auto deadline = std::chrono::steady_clock::now() + 60s; !status && std::chrono::steady_clock::now() < deadline;
       std::this_thread::sleep_for(20ms))
    status = promtool.Exited();
  ASSERT_TRUE(status) << "promtool did not finish";
  std::string findings;
  std::istringstream lines(promtool.Output());
  for (std::string line; std::getline(lines, line);)
    if (!IsNodeExporterMeminfoName(line)) findings += line + "\n";
  EXPECT_EQ(findings, "");
  if (promtool.Output().empty()) {
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0);
  }
}

TEST(Promtool, FindsNothingInTheDaemonsOutput) {
  if (::access(kPromtool, X_OK) != 0) GTEST_SKIP() << kPromtool << " is not installed (Debian package prometheus)";
  Daemon daemon(FixtureArguments("host_a", {"cpu", "meminfo", "loadavg", "stat", "vmstat", "pressure"}));
  ExpectPromtoolClean(daemon);
}

TEST(Promtool, FindsNothingInTheOutputOfEveryDefaultCollectorOnTheSharedCapture) {
  if (::access(kPromtool, X_OK) != 0) GTEST_SKIP() << kPromtool << " is not installed (Debian package prometheus)";
  std::string root = NodeTree();
  if (root.empty()) GTEST_SKIP() << kNoNodeTree;
  Daemon daemon({"--path.procfs=" + root + "/proc", "--path.sysfs=" + root + "/sys", "--path.rootfs=" + root,
                 "--path.udev.data=" + root + "/udev/data"});
  ExpectPromtoolClean(daemon);
}

}  // namespace
}  // namespace hw_exporter::testing

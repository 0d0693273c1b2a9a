// OpenMetrics as Prometheus asks for it, from the real daemon: negotiation, headers, the response cache, the same
// series in both formats, and a second, independent strict parser.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "support/daemon.h"
#include "support/exposition_parser.h"
#include "support/run_command.h"

namespace hw_exporter::testing {
namespace {

// What Prometheus 2.42 sends with every scrape.
const std::pair<std::string, std::string> kPrometheusAccept{
    "Accept",
    "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
    "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"};
constexpr const char* kOpenMetricsType = "application/openmetrics-text; version=1.0.0; charset=utf-8";
constexpr const char* kTextType = "text/plain; version=0.0.4; charset=utf-8";

// The daemon on the shared capture with every default collector.
std::vector<std::string> SharedCaptureArguments(const std::string& root) {
  return {"--path.procfs=" + root + "/proc", "--path.sysfs=" + root + "/sys", "--path.rootfs=" + root,
          "--path.udev.data=" + root + "/udev/data"};
}

TEST(OpenMetrics, PrometheusGetsOpenMetricsAndEveryoneElseTheTextFormatEachCachedApart) {
  Daemon daemon(FixtureArguments("host_a", {"loadavg", "cpu"}));
  HttpResponse openmetrics = daemon.Get("/metrics", {kPrometheusAccept});
  EXPECT_EQ(openmetrics.headers["content-type"], kOpenMetricsType);
  EXPECT_EQ(openmetrics.headers["vary"], "Accept, Accept-Encoding");
  EXPECT_TRUE(openmetrics.body.ends_with("\n# EOF\n"));
  EXPECT_NE(openmetrics.body.find("# TYPE node_cpu_seconds counter\n"), std::string::npos);

  HttpResponse text = daemon.Get("/metrics");
  EXPECT_EQ(text.headers["content-type"], kTextType);
  EXPECT_EQ(text.body.find("# EOF"), std::string::npos);

  const nlohmann::json stats = nlohmann::json::parse(daemon.Get("/cache/stats").body);
  std::set<std::string> keys;
  for (const auto& entry : stats["response_cache"]["entries"]) keys.insert(entry["key"].get<std::string>());
  EXPECT_EQ(keys.size(), 2u) << "one entry per format";
  EXPECT_EQ(daemon.Get("/metrics", {{"Accept", "text/plain;q=0"}}).status, 406);
}

TEST(OpenMetrics, CanBeTurnedOff) {
  auto arguments = FixtureArguments("host_a", {"loadavg"});
  arguments.push_back("--web.disable-openmetrics");
  Daemon daemon(arguments);
  EXPECT_EQ(daemon.Get("/metrics", {kPrometheusAccept}).headers["content-type"], kTextType);
}

// Prometheus stores a sample's name, labels and value: on the real capture, with every default collector, both
// formats give the same ones. The exporter's own metrics move between two scrapes, so only their names and labels
// are compared.
TEST(OpenMetrics, BothFormatsCarryTheSameSeriesOnTheSharedCapture) {
  const std::string root = NodeTree();
  if (root.empty()) GTEST_SKIP() << kNoNodeTree;
  Daemon daemon(SharedCaptureArguments(root));
  auto series = [](const std::string& body) {
    std::map<std::string, double> values;
    for (const auto& sample : ParseExposition(body).samples) {
      const bool moves = sample.name.starts_with("hw_exporter_") || sample.name.starts_with("process_");
      values[SeriesKey(sample.name, sample.labels)] = moves || std::isnan(sample.value) ? 0 : sample.value;
    }
    return values;
  };
  auto text = series(daemon.Get("/metrics").body);
  auto openmetrics = series(daemon.Get("/metrics", {kPrometheusAccept}).body);
  EXPECT_GT(text.size(), 500u);
  EXPECT_EQ(openmetrics, text);
}

TEST(OpenMetrics, PrometheusClientsStrictParserAcceptsTheSharedCapture) {
  const std::string root = NodeTree();
  if (root.empty()) GTEST_SKIP() << kNoNodeTree;
  Daemon daemon(SharedCaptureArguments(root));
  TempDir directory;
  const std::string body = directory.Write("metrics.om", daemon.Get("/metrics", {kPrometheusAccept}).body);
  // Debian's python3-prometheus-client, under Debian's python3 (another python3 on PATH may lack it).
  CommandResult parsed = RunCommand({"/usr/bin/python3", "-c",
                                     "import sys\n"
                                     "from prometheus_client.openmetrics.parser import text_string_to_metric_families\n"
                                     "families = list(text_string_to_metric_families(open(sys.argv[1]).read()))\n"
                                     "print(len(families), sum(len(family.samples) for family in families))\n",
                                     body});
  ASSERT_EQ(parsed.exit_code, 0) << parsed.output;
  const size_t text_samples = ParseExposition(daemon.Get("/metrics").body).samples.size();
  EXPECT_EQ(parsed.output.substr(parsed.output.find(' ') + 1), std::to_string(text_samples) + "\n")
      << "families and samples the strict parser read: " << parsed.output;
}

}  // namespace
}  // namespace hw_exporter::testing

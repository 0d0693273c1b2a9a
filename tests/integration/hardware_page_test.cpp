// /hardware served by the daemon over loopback: on the node_exporter capture, every value it shows is the sample
// /metrics serves, and it is served like the other pages; on a fixture tree of its own, bad news first, hostile
// labels escaped, a failed and a stale collector named.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include <cstdio>

#include "hw_exporter/core/strings.h"
#include "support/daemon.h"
#include "support/gunzip.h"
#include "support/html_page.h"

namespace hw_exporter::testing {
namespace {

using namespace std::chrono_literals;

nlohmann::json Collectors(Daemon& daemon) {
  return nlohmann::json::parse(daemon.Get("/cache/stats").body)["family_cache"]["collectors"];
}

nlohmann::json Collector(Daemon& daemon, const std::string& name) {
  for (const auto& collector : Collectors(daemon))
    if (collector["name"] == name) return collector;
  return nullptr;
}

bool EveryCollectorRefreshed(Daemon& daemon) {
  for (const auto& collector : Collectors(daemon))
    if (collector["refreshes"].get<int>() == 0) return false;
  return true;
}

// Every root at the shared capture, the default collectors.
std::vector<std::string> CaptureArguments() {
  const std::string root = NodeTree();
  return {"--path.procfs=" + root + "/proc", "--path.sysfs=" + root + "/sys", "--path.rootfs=" + root,
          "--path.udev.data=" + root + "/udev/data"};
}

class HardwarePageOnCapture : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (NodeTree().empty()) return;
    daemon_ = new Daemon(CaptureArguments());
    ASSERT_TRUE(Eventually([] { return EveryCollectorRefreshed(*daemon_); }, 10s));
  }
  static void TearDownTestSuite() {
    delete daemon_;
    daemon_ = nullptr;
  }
  void SetUp() override {
    if (!daemon_) GTEST_SKIP() << kNoNodeTree;
  }

  static Daemon* daemon_;
};

Daemon* HardwarePageOnCapture::daemon_ = nullptr;

TEST_F(HardwarePageOnCapture, EveryValueShownIsTheSampleMetricsServes) {
  HttpResponse page = daemon_->Get("/hardware");
  ASSERT_EQ(page.status, 200);
  const std::string metrics = "\n" + daemon_->Get("/metrics").body;
  int temperatures = 0, fans = 0;
  for (const ShownValue& value : ShownValues(page.body)) {
    temperatures += StartsWith(value.series, "node_hwmon_temp_celsius{");
    fans += StartsWith(value.series, "node_hwmon_fan_rpm{");
    // A collector's data age moves with every render, its last success with every refresh; the rest does not.
    const std::string line = StartsWith(value.series, "hw_exporter_collector_")
                                 ? "\n" + value.series + " "
                                 : "\n" + value.series + " " + value.value + "\n";
    EXPECT_NE(metrics.find(line), std::string::npos) << line;
    if (StartsWith(value.series, "node_hwmon_temp_celsius{")) {
      char people[32];
      std::snprintf(people, sizeof people, "%.1f °C", std::stod(value.value));
      EXPECT_EQ(value.text, people) << value.series;
    }
  }
  EXPECT_GE(temperatures, 13) << "the capture's 12 hwmon temperatures and more (the summary repeats some)";
  EXPECT_GE(fans, 3);
}

TEST_F(HardwarePageOnCapture, IsServedLikeTheOtherPagesAndCachedLikeMetrics) {
  HttpResponse page = daemon_->Get("/hardware");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.headers["content-type"], "text/html; charset=utf-8");
  EXPECT_EQ(page.headers["vary"], "Accept-Encoding");
  EXPECT_TRUE(StartsWith(page.body, "<!DOCTYPE html>\n"));
  EXPECT_NE(page.body.find("</html>\n"), std::string::npos);

  HttpResponse head = HttpRequest("HEAD", "127.0.0.1", daemon_->port(), "/hardware");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.headers["content-type"], "text/html; charset=utf-8");
  EXPECT_TRUE(head.body.empty());
  HttpResponse post = HttpRequest("POST", "127.0.0.1", daemon_->port(), "/hardware");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.headers["allow"], "GET, HEAD");

  HttpResponse gzipped = daemon_->Get("/hardware", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(gzipped.headers["content-encoding"], "gzip");
  EXPECT_TRUE(StartsWith(Gunzip(gzipped.body), "<!DOCTYPE html>\n"));

  // A second load within the response cache's TTL, with no refresh in between, is a hit that replays the first
  // byte for byte. The stats that show the hit are those that show no refresh: one document, read after the loads.
  bool replayed = false;
  nlohmann::json stats;
  for (int attempt = 0; attempt < 20 && !replayed; ++attempt) {
    const auto before = nlohmann::json::parse(daemon_->Get("/cache/stats").body)["family_cache"]["generation"];
    HttpResponse first = daemon_->Get("/hardware");
    HttpResponse second = daemon_->Get("/hardware");
    stats = nlohmann::json::parse(daemon_->Get("/cache/stats").body);
    bool hit = false;
    for (const auto& entry : stats["response_cache"]["entries"])
      hit |= entry["key"] == "/hardware? text/html; charset=utf-8 identity" && entry["hits"].get<int>() >= 1;
    replayed = stats["family_cache"]["generation"] == before && first.raw == second.raw && hit;
  }
  EXPECT_TRUE(replayed) << stats["response_cache"].dump(2);

  EXPECT_NE(daemon_->Get("/").body.find("<a href=\"/hardware\">"), std::string::npos) << "the landing page links it";
}

std::string WriteScript(const TempDir& directory, const std::string& name, const std::string& body) {
  const std::string path = directory.Write(name, "#!/bin/sh\n" + body + "\n");
  ::chmod(path.c_str(), 0755);
  return path;
}

// The project's tree with a sensor over its critical limit named by a hostile label, a smartctl that always fails
// and an ipmitool that answers once, then fails: its sensors stay, growing stale.
TEST(HardwarePageOnFixture, BadNewsFirstHostileLabelsEscapedFailedAndStaleCollectorsNamed) {
  TempDir directory;
  const std::string calls = directory.path() + "/ipmitool.calls";
  const std::string ipmitool =
      WriteScript(directory, "ipmitool",
                  "if [ -e '" + calls +
                      "' ]; then echo 'Could not open device at /dev/ipmi0' >&2; exit 1; fi\ntouch '" + calls +
                      "'\ncat '" + Fixture("probe_ipmitool/statuses.txt") + "'");
  const std::string smartctl = WriteScript(directory, "smartctl", "echo 'no <disks> here' >&2; exit 2");
  auto arguments = FixtureArguments("hardware_page", {"hwmon", "ipmi", "smartctl"});
  for (const std::string& argument :
       {"--collector.ipmi.path=" + ipmitool, std::string("--collector.ipmi.ttl=1s"),
        std::string("--collector.ipmi.timeout=1s"), std::string("--collector.ipmi.command-timeout=900ms"),
        std::string("--collector.ipmi.max-staleness=5m"), "--collector.smartctl.path=" + smartctl})
    arguments.push_back(argument);
  Daemon daemon(arguments);
  ASSERT_TRUE(Eventually(
      [&] {
        nlohmann::json ipmi = Collector(daemon, "ipmi");
        return ipmi["last_success"] == false && ipmi["has_data"] == true && ipmi["age_seconds"].get<double>() > 2.5 &&
               Collector(daemon, "smartctl")["refreshes"].get<int>() >= 1;
      },
      20s));
  const std::string page = daemon.Get("/hardware").body;

  const auto summary = JudgedItems(SectionOf(page, "summary"), "li");
  ASSERT_FALSE(summary.empty()) << page;
  EXPECT_EQ(summary[0].severity, "critical");
  EXPECT_NE(summary[0].markup.find("board &lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;"), std::string::npos)
      << summary[0].markup;
  EXPECT_NE(summary[0].markup.find("at or over its critical limit of 100.0 °C"), std::string::npos);
  EXPECT_EQ(page.find("<script"), std::string::npos) << "the label is text, not markup";

  const auto rows = JudgedItems(SectionOf(page, "collectors"), "tr");
  auto row_of = [&rows](const std::string& name) {
    for (const auto& row : rows)
      if (row.markup.find("<th>" + name + "</th>") != std::string::npos) return row;
    return JudgedItem{};
  };
  const std::string smartctl_error = Collector(daemon, "smartctl")["last_error"];
  ASSERT_FALSE(smartctl_error.empty());
  EXPECT_EQ(row_of("smartctl").severity, "critical");
  EXPECT_NE(row_of("smartctl").markup.find("last refresh failed: " + EscapedAsHtml(smartctl_error)), std::string::npos)
      << row_of("smartctl").markup;
  EXPECT_NE(row_of("ipmi").markup.find("stale: its data is "), std::string::npos) << row_of("ipmi").markup;
  EXPECT_NE(row_of("ipmi").markup.find("Could not open device at /dev/ipmi0"), std::string::npos);
  EXPECT_EQ(row_of("hwmon").severity, "ok");
  EXPECT_FALSE(JudgedItems(SectionOf(page, "ipmi"), "tr").empty()) << "statuses.txt has sensors not nominal";
}

}  // namespace
}  // namespace hw_exporter::testing

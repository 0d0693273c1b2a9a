// The textfile collector in the real daemon, as a cron job uses it: a file renamed into place is served at the next
// scrape, a family a built-in collector has is left out and reported, a reload leaves no watch behind; and what it
// serves is what node_exporter 1.5 serves from the same directory.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "support/daemon.h"
#include "support/exposition_parser.h"

namespace hw_exporter::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kNodeExporter = "/usr/bin/prometheus-node-exporter";

std::optional<double> Sample(const ParsedExposition& exposition, const std::string& name,
                             const SeriesLabels& labels = {}) {
  for (const auto& sample : exposition.samples)
    if (sample.name == name && sample.labels == labels) return sample.value;
  return std::nullopt;
}

std::optional<double> Sample(Daemon& daemon, const std::string& name, const SeriesLabels& labels = {}) {
  return Sample(ParseExposition(daemon.Get("/metrics").body), name, labels);
}

// The documented convention: written under a temporary name in the same directory, then renamed into place.
void WriteAtomically(const TempDir& dir, const std::string& name, const std::string& contents) {
  const std::string temporary = dir.Write(name + "." + std::to_string(getpid()), contents);
  ASSERT_EQ(std::rename(temporary.c_str(), (dir.path() + "/" + name).c_str()), 0);
}

// The threads of a process with this name (as /proc/<pid>/task/*/comm has it).
int ThreadsNamed(pid_t pid, const std::string& name) {
  int count = 0;
  for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task")) {
    std::ifstream comm(task.path() / "comm");
    std::string line;
    if (std::getline(comm, line) && line == name) ++count;
  }
  return count;
}

nlohmann::json TextfileStats(Daemon& daemon) {
  const nlohmann::json stats = nlohmann::json::parse(daemon.Get("/cache/stats").body);
  for (const auto& slot : stats.at("family_cache").at("collectors"))
    if (slot.at("name") == "textfile") return slot;
  return {};
}

TEST(Textfile, AFileRenamedIntoPlaceIsServedAtTheNextScrape) {
  TempDir dir;
  // A TTL of an hour: only the watch can explain a change being served.
  Daemon daemon({"--collector.disable-defaults", "--collector.textfile", "--collector.textfile.ttl=1h",
                 "--collector.textfile.directory=" + dir.path()});
  ASSERT_TRUE(Eventually([&] { return Sample(daemon, "node_textfile_scrape_error") == 0; }, 10s));
  EXPECT_EQ(Sample(daemon, "backup_ok", {{"job", "home"}}), std::nullopt);

  WriteAtomically(dir, "backup.prom", "# TYPE backup_ok gauge\nbackup_ok{job=\"home\"} 1\n");
  EXPECT_TRUE(Eventually([&] { return Sample(daemon, "backup_ok", {{"job", "home"}}) == 1; }, 10s));

  WriteAtomically(dir, "backup.prom", "# TYPE backup_ok gauge\nbackup_ok{job=\"home\"} 0\n");
  EXPECT_TRUE(Eventually([&] { return Sample(daemon, "backup_ok", {{"job", "home"}}) == 0; }, 10s));

  // A broken version hides only itself, and says where.
  WriteAtomically(dir, "other.prom", "apt_upgrades_pending 3\nbroken{\n");
  EXPECT_TRUE(Eventually([&] { return Sample(daemon, "node_textfile_scrape_error") == 1; }, 10s));
  EXPECT_EQ(Sample(daemon, "backup_ok", {{"job", "home"}}), 0);
  EXPECT_EQ(Sample(daemon, "apt_upgrades_pending"), std::nullopt);
  EXPECT_EQ(TextfileStats(daemon).at("problems"),
            nlohmann::json::array({dir.path() + "/other.prom:2: expected a label name"}));
  EXPECT_EQ(Sample(daemon, "hw_exporter_collector_problems", {{"collector", "textfile"}}), 1);

  std::filesystem::remove(dir.path() + "/backup.prom");
  EXPECT_TRUE(Eventually([&] { return !Sample(daemon, "backup_ok", {{"job", "home"}}); }, 10s));
}

TEST(Textfile, AFamilyOfABuiltInCollectorIsLeftOutAndReported) {
  TempDir dir;
  dir.Write("load.prom", "# TYPE node_load1 gauge\nnode_load1 42\nbackup_ok 1\n");
  std::vector<std::string> arguments = FixtureArguments("host_a", {"loadavg", "textfile"});
  arguments.push_back("--collector.textfile.directory=" + dir.path());
  Daemon daemon(arguments);
  ASSERT_TRUE(Eventually(
      [&] {
        return Sample(daemon, "hw_exporter_collector_family_left_out",
                      {{"collector", "textfile"}, {"family", "node_load1"}}) == 1;
      },
      10s));
  const ParsedExposition exposition = ParseExposition(daemon.Get("/metrics").body);
  EXPECT_EQ(Sample(exposition, "node_load1"), 1.5);  // the fixture's /proc/loadavg, once
  EXPECT_EQ(Sample(exposition, "backup_ok"), 1);     // the file's other families are served
  EXPECT_EQ(std::count_if(exposition.samples.begin(), exposition.samples.end(),
                          [](const ParsedSample& sample) { return sample.name == "node_load1"; }),
            1);
  EXPECT_EQ(TextfileStats(daemon).at("left_out_families"), nlohmann::json::array({"node_load1"}));
  EXPECT_NE(daemon.process().Output().find("family left out"), std::string::npos);
}

TEST(Textfile, AReloadThatRebuildsTheCollectorLeavesOneWatch) {
  TempDir dir;
  TempDir other;
  other.Write("other.prom", "from_other 1\n");
  const std::string config =
      dir.Write("config.json", nlohmann::json{{"collectors", {{"textfile", {{"directory", {dir.path()}}}}}}}.dump());
  Daemon daemon({"--collector.disable-defaults", "--collector.textfile", "--config.file=" + config});
  ASSERT_TRUE(Eventually([&] { return ThreadsNamed(daemon.process().pid(), "textfile-watch") == 1; }, 10s));

  for (int reload = 0; reload < 3; ++reload) {
    const std::string directory = reload % 2 == 0 ? other.path() : dir.path();
    dir.Write("config.json", nlohmann::json{{"collectors", {{"textfile", {{"directory", {directory}}}}}}}.dump());
    ASSERT_EQ(kill(daemon.process().pid(), SIGHUP), 0);
    ASSERT_TRUE(Eventually([&] { return Sample(daemon, "from_other").has_value() == (reload % 2 == 0); }, 10s));
    // The collector the reload replaced ends its watch once the reload has dropped it.
    EXPECT_TRUE(Eventually([&] { return ThreadsNamed(daemon.process().pid(), "textfile-watch") == 1; }, 10s));
  }
  // The watch of the collector in force works: a new file is served without waiting for the TTL.
  other.Write("late.prom.tmp", "late 1\n");
  ASSERT_EQ(std::rename((other.path() + "/late.prom.tmp").c_str(), (other.path() + "/late.prom").c_str()), 0);
  EXPECT_TRUE(Eventually([&] { return Sample(daemon, "late") == 1; }, 10s));
}

// ---- Parity with node_exporter 1.5.0 on one directory of valid files.

// node_exporter on a free port of 127.0.0.1 with only its textfile collector; its /metrics, or "" when it could not
// be started (another process took the port between our choice and its bind) three times.
std::string NodeExporterMetrics(const std::string& directory, const std::string& log) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    const int port = FreeLoopbackPort();
    ChildProcess node_exporter({kNodeExporter, "--collector.disable-defaults", "--collector.textfile",
                                "--collector.textfile.directory=" + directory,
                                "--web.listen-address=127.0.0.1:" + std::to_string(port)},
                               log);
    if (!Eventually([&] { return IsListening("127.0.0.1", port) || node_exporter.Exited(); }, 10s) ||
        !IsListening("127.0.0.1", port))
      continue;
    HttpResponse response = HttpGet("127.0.0.1", port, "/metrics", {}, std::chrono::seconds(10));
    node_exporter.Signal(SIGTERM, std::chrono::seconds(5));
    if (response.status == 200) return response.body;
  }
  return {};
}

// The families a textfile collector serves: not the exporters' own.
bool FromTheFiles(const std::string& name) {
  for (const char* prefix : {"go_", "process_", "promhttp_", "node_scrape_", "node_exporter_", "hw_exporter_"})
    if (name.starts_with(prefix)) return false;
  return true;
}

TEST(Textfile, ServesWhatNodeExporterServesFromTheSameDirectory) {
  if (::access(kNodeExporter, X_OK) != 0) GTEST_SKIP() << kNodeExporter << " (node_exporter 1.5.0) is not installed";
  TempDir dir;
  dir.Write("md.prom",
            "# HELP node_md_disks Disks of a RAID array.\n# TYPE node_md_disks gauge\n"
            "node_md_disks{device=\"md0\",state=\"active\"} 2\nnode_md_disks{device=\"md0\",state=\"failed\"} 0\n");
  dir.Write("apt.prom",
            "# HELP apt_upgrades_pending Apt packages pending updates by origin.\n# TYPE apt_upgrades_pending gauge\n"
            "apt_upgrades_pending{arch=\"amd64\",origin=\"Debian:bookworm/stable\"} 14\n"
            "# TYPE apt_reboot_required untyped\napt_reboot_required 0\n");
  dir.Write("backup.prom",
            "# HELP backup_bytes_total Bytes written.\n# TYPE backup_bytes_total counter\n"
            "backup_bytes_total{job=\"home\",path=\"C:\\\\x \\\"y\\\"\"} 1.5e+09\n"
            "no_help_or_type 7\n"
            "# HELP backup_seconds Backup durations.\n# TYPE backup_seconds histogram\n"
            "backup_seconds_bucket{le=\"60\"} 1\nbackup_seconds_bucket{le=\"600\"} 3\n"
            "backup_seconds_bucket{le=\"+Inf\"} 4\nbackup_seconds_sum 1234.5\nbackup_seconds_count 4\n"
            "# HELP rpc_seconds RPC latency.\n# TYPE rpc_seconds summary\n"
            "rpc_seconds{quantile=\"0.5\"} 0.1\nrpc_seconds{quantile=\"0.99\"} 0.3\n"
            "rpc_seconds_sum 12\nrpc_seconds_count 100\n");
  dir.Write("ignored.txt", "not_read 1\n");

  TempDir logs;
  const std::string theirs_text = NodeExporterMetrics(dir.path(), logs.path() + "/node_exporter.log");
  ASSERT_FALSE(theirs_text.empty()) << "node_exporter could not be run";
  Daemon daemon({"--collector.disable-defaults", "--collector.textfile",
                 "--collector.textfile.directory=" + dir.path()});
  const ParsedExposition theirs = ParseExposition(theirs_text);
  const ParsedExposition ours = ParseExposition(daemon.Get("/metrics").body);

  auto series = [](const ParsedExposition& exposition) {
    std::map<std::string, double> values;
    for (const auto& sample : exposition.samples)
      if (FromTheFiles(sample.name)) values[SeriesKey(sample.name, sample.labels)] = sample.value;
    return values;
  };
  auto families = [](const std::map<std::string, std::string>& all) {
    std::map<std::string, std::string> kept;
    for (const auto& [name, value] : all)
      if (FromTheFiles(name)) kept[name] = value;
    return kept;
  };
  EXPECT_EQ(series(ours), series(theirs));
  EXPECT_EQ(families(ours.type), families(theirs.type));
  EXPECT_EQ(families(ours.help), families(theirs.help));
  EXPECT_EQ(Sample(ours, "node_textfile_scrape_error"), 0);
  EXPECT_EQ(Sample(ours, "node_textfile_mtime_seconds", {{"file", dir.path() + "/md.prom"}}).has_value(), true);
}

}  // namespace
}  // namespace hw_exporter::testing

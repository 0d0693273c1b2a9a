// Reloading the configuration (SIGHUP, POST /-/reload) as an operator would: what changed is applied, what did not
// keeps its data and schedule, and a configuration that does not load changes nothing.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/daemon.h"
#include "support/exposition_parser.h"

namespace hw_exporter::testing {
namespace {

using namespace std::chrono_literals;

// A sample of the daemon's /metrics, or nullopt when it has none of that name and labels.
std::optional<double> Sample(Daemon& daemon, const std::string& name, const SeriesLabels& labels = {}) {
  for (const auto& sample : ParseExposition(daemon.Get("/metrics").body).samples)
    if (sample.name == name && sample.labels == labels) return sample.value;
  return std::nullopt;
}

std::optional<double> OfCollector(Daemon& daemon, const std::string& name, const std::string& collector) {
  return Sample(daemon, name, {{"collector", collector}});
}

double LastReloadSuccessful(Daemon& daemon) {
  return Sample(daemon, "hw_exporter_config_last_reload_successful").value();
}

double LastReloadSuccessTime(Daemon& daemon) {
  return Sample(daemon, "hw_exporter_config_last_reload_success_timestamp_seconds").value();
}

// Lines of what the stand-in probe was called with so far.
int Calls(const std::string& log) {
  std::ifstream file(log);
  int lines = 0;
  for (std::string line; std::getline(file, line);) ++lines;
  return lines;
}

class ReloadTest : public ::testing::Test {
 protected:
  // The daemon on the host_a fixture, every collector off unless the config file (written by Configure) says
  // otherwise; `extra` flags after those.
  Daemon Start(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> arguments = FixtureArguments("host_a", {});
    arguments.push_back("--config.file=" + config_);
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    return Daemon(arguments);
  }

  void Configure(const nlohmann::json& config) { directory_.Write("config.json", config.dump(2)); }

  // SIGHUP, then waits for the reload to be over: the log says how it went.
  void Reload(Daemon& daemon, const std::string& outcome) {
    const size_t before = Count(daemon.process().Output(), outcome);
    ::kill(daemon.process().pid(), SIGHUP);
    ASSERT_TRUE(Eventually([&] { return Count(daemon.process().Output(), outcome) > before; }, 10s))
        << daemon.process().Output();
  }

  static size_t Count(const std::string& text, const std::string& part) {
    size_t count = 0;
    for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
    return count;
  }

  static constexpr const char* kReloaded = "msg=\"configuration reloaded\"";
  static constexpr const char* kNotReloaded = "msg=\"configuration not reloaded; the running one stays in force\"";

  TempDir directory_;
  std::string config_ = directory_.path() + "/config.json";
};

TEST_F(ReloadTest, SighupKeepsUnchangedCollectorsAndStartsStopsAndRebuildsTheRest) {
  // A probe too, to see that a kept collector runs nothing on reload.
  const std::string calls = directory_.path() + "/smartctl.calls";
  const std::string smartctl = directory_.Write("smartctl", "#!/bin/sh\necho \"$*\" >> '" + calls + "'\necho '{}'\n");
  ::chmod(smartctl.c_str(), 0755);
  nlohmann::json config = {{"collectors",
                            {{"loadavg", {{"enabled", true}, {"ttl", "1h"}}},
                             {"meminfo", {{"enabled", true}, {"ttl", "1h"}}},
                             {"stat", {{"enabled", true}, {"ttl", "1h"}}},
                             {"smartctl", {{"enabled", true}, {"ttl", "1h"}, {"path", smartctl}}}}}};
  Configure(config);
  Daemon daemon = Start();
  for (const char* collector : {"loadavg", "meminfo", "stat", "smartctl"})
    ASSERT_TRUE(Eventually([&] { return OfCollector(daemon, "hw_exporter_collector_refreshes_total", collector) == 1; },
                           10s))
        << collector;
  const double loadavg_success = *OfCollector(daemon, "hw_exporter_collector_last_success_timestamp_seconds",
                                              "loadavg");
  const int probe_calls = Calls(calls);
  ASSERT_GT(probe_calls, 0);
  ASSERT_TRUE(Sample(daemon, "node_memory_MemTotal_bytes"));
  // Scrapes on many connections, so that the HTTP workers have each seen the configuration before the reload.
  for (int scrape = 0; scrape < 32; ++scrape) ASSERT_EQ(daemon.Get("/metrics").status, 200);
  ASSERT_GT(nlohmann::json::parse(daemon.Get("/cache/stats").body)["response_cache"]["totals"]["entries"].get<int>(),
            0);

  config["collectors"].erase("meminfo");                 // off again, as by default under --collector.disable-defaults
  config["collectors"]["stat"]["ttl"] = "2h";            // rebuilt
  config["collectors"]["vmstat"] = {{"enabled", true}};  // started
  Configure(config);
  Reload(daemon, kReloaded);

  EXPECT_EQ(nlohmann::json::parse(daemon.Get("/cache/stats").body)["response_cache"]["totals"]["entries"].get<int>(), 0)
      << "the response cache is emptied";
  EXPECT_EQ(OfCollector(daemon, "hw_exporter_collector_refreshes_total", "loadavg"), 1) << "kept: no refresh";
  EXPECT_EQ(OfCollector(daemon, "hw_exporter_collector_last_success_timestamp_seconds", "loadavg"), loadavg_success);
  EXPECT_EQ(OfCollector(daemon, "hw_exporter_collector_refreshes_total", "smartctl"), 1);
  EXPECT_EQ(Calls(calls), probe_calls) << "kept: no probe run";
  EXPECT_TRUE(Sample(daemon, "node_load1")) << "kept: its data served at once";
  EXPECT_FALSE(OfCollector(daemon, "hw_exporter_collector_refreshes_total", "meminfo")) << "switched off";
  EXPECT_FALSE(Sample(daemon, "node_memory_MemTotal_bytes"));
  EXPECT_EQ(OfCollector(daemon, "hw_exporter_collector_ttl_seconds", "stat"), 7200) << "rebuilt with its new TTL";
  EXPECT_TRUE(Eventually([&] { return OfCollector(daemon, "hw_exporter_collector_refreshes_total", "vmstat") == 1; },
                         10s))
      << "switched on";
  EXPECT_EQ(LastReloadSuccessful(daemon), 1);
  // Every worker serves the new configuration, in which a query may name vmstat.
  for (int scrape = 0; scrape < 32; ++scrape)
    EXPECT_EQ(daemon.Get("/metrics?collect[]=vmstat").status, 200) << "scrape " << scrape;
}

TEST_F(ReloadTest, AConfigurationThatDoesNotLoadChangesNothing) {
  Configure({{"collectors", {{"loadavg", {{"enabled", true}}}}}});
  Daemon daemon = Start();
  const double started = LastReloadSuccessTime(daemon);

  directory_.Write("config.json", "{\"collectors\": {\"loadavg\": ");  // cut off while written
  Reload(daemon, kNotReloaded);
  EXPECT_EQ(LastReloadSuccessful(daemon), 0);
  EXPECT_EQ(LastReloadSuccessTime(daemon), started);
  EXPECT_TRUE(Sample(daemon, "node_load1")) << "the running configuration still serves";

  // Valid JSON that a collector refuses: checked before anything changes.
  Configure({{"collectors",
              {{"loadavg", {{"enabled", false}}},
               {"filesystem", {{"enabled", true}, {"mount-points-exclude", "("}}}}}});
  Reload(daemon, kNotReloaded);
  EXPECT_NE(daemon.process().Output().find("/collectors/filesystem/mount-points-exclude"), std::string::npos)
      << daemon.process().Output();
  EXPECT_TRUE(Sample(daemon, "node_load1")) << "loadavg stays on";
  EXPECT_FALSE(OfCollector(daemon, "hw_exporter_collector_refreshes_total", "filesystem"));

  Configure({{"collectors", {{"loadavg", {{"enabled", true}}}}}});
  Reload(daemon, kReloaded);
  EXPECT_EQ(LastReloadSuccessful(daemon), 1);
  EXPECT_GE(LastReloadSuccessTime(daemon), started);
}

TEST_F(ReloadTest, FlagsKeepPrecedenceOverTheFileAcrossReloads) {
  Configure({{"collectors", {{"loadavg", {{"enabled", true}}}}}});
  Daemon daemon = Start({"--collector.stat", "--no-collector.loadavg"});
  EXPECT_TRUE(OfCollector(daemon, "hw_exporter_collector_ttl_seconds", "stat"));
  EXPECT_FALSE(OfCollector(daemon, "hw_exporter_collector_ttl_seconds", "loadavg"));

  Configure({{"collectors", {{"loadavg", {{"enabled", true}}}, {"stat", {{"enabled", false}}}}}});
  Reload(daemon, kReloaded);
  EXPECT_TRUE(OfCollector(daemon, "hw_exporter_collector_ttl_seconds", "stat"));
  EXPECT_FALSE(OfCollector(daemon, "hw_exporter_collector_ttl_seconds", "loadavg"));
}

TEST_F(ReloadTest, SettingsOnlyARestartChangesKeepTheirRunningValuesAndAreNamed) {
  Configure({{"collectors", {{"loadavg", {{"enabled", true}}}}}});
  Daemon daemon = Start();
  const int other_port = FreeLoopbackPort();
  Configure({{"web", {{"listen_addresses", {"127.0.0.1:" + std::to_string(other_port)}}, {"threads", 4}}},
             {"cache", {{"ttl", "1s"}}},
             {"collectors", {{"loadavg", {{"enabled", true}}}}}});
  Reload(daemon, kReloaded);
  const std::string log = daemon.process().Output();
  EXPECT_NE(log.find("setting=--web.threads"), std::string::npos) << log;
  // Flags win over the file, so a listen address from the file is refused only when no flag set one.
  EXPECT_EQ(daemon.Get("/-/healthy").status, 200) << "still on the address it was started on";
  EXPECT_FALSE(IsListening("127.0.0.1", other_port));
  EXPECT_EQ(nlohmann::json::parse(daemon.Get("/cache/stats").body)["response_cache"]["ttl_seconds"], 1)
      << "what can change did";
}

TEST_F(ReloadTest, TheLifecycleEndpointAnswers403WithoutItsFlag) {
  Configure({{"collectors", {{"loadavg", {{"enabled", true}}}}}});
  Daemon daemon = Start();
  HttpResponse response = HttpRequest("POST", "127.0.0.1", daemon.port(), "/-/reload");
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(response.body, "Lifecycle API is not enabled.\n");
  EXPECT_EQ(daemon.process().Output().find("configuration reloaded"), std::string::npos);
}

TEST_F(ReloadTest, TheLifecycleEndpointReloadsWithItsFlag) {
  Configure({{"collectors", {{"loadavg", {{"enabled", true}}}}}});
  Daemon daemon = Start({"--web.enable-lifecycle"});
  HttpResponse get = daemon.Get("/-/reload");
  EXPECT_EQ(get.status, 405);
  EXPECT_EQ(get.headers["allow"], "POST, PUT");

  Configure({{"collectors", {{"loadavg", {{"enabled", true}}}, {"stat", {{"enabled", true}}}}}});
  EXPECT_EQ(HttpRequest("POST", "127.0.0.1", daemon.port(), "/-/reload").status, 200);
  EXPECT_TRUE(OfCollector(daemon, "hw_exporter_collector_ttl_seconds", "stat")) << "in force when it answers";

  directory_.Write("config.json", "[]");
  HttpResponse failed = HttpRequest("PUT", "127.0.0.1", daemon.port(), "/-/reload");
  EXPECT_EQ(failed.status, 500);
  EXPECT_NE(failed.body.find("failed to reload config: "), std::string::npos) << failed.body;
  EXPECT_EQ(LastReloadSuccessful(daemon), 0);
  EXPECT_TRUE(OfCollector(daemon, "hw_exporter_collector_ttl_seconds", "stat"));
}

TEST_F(ReloadTest, ABrokenWebConfigFileFailsTheReloadAndKeepsTheLastGood) {
  const std::string web = directory_.Write("web.yml", "http_server_config:\n  headers:\n    X-Frame-Options: deny\n");
  Configure({{"collectors", {{"loadavg", {{"enabled", true}}}}}});
  Daemon daemon = Start({"--web.config.file=" + web});
  EXPECT_EQ(daemon.Get("/-/healthy").headers["x-frame-options"], "deny");

  directory_.Write("web.yml", "http_server_config:\n  headres: {}\n");
  Reload(daemon, kNotReloaded);
  EXPECT_EQ(LastReloadSuccessful(daemon), 0);
  EXPECT_EQ(daemon.Get("/-/healthy").headers["x-frame-options"], "deny");

  directory_.Write("web.yml", "http_server_config:\n  headers:\n    X-Frame-Options: sameorigin\n");
  Reload(daemon, kReloaded);
  EXPECT_EQ(LastReloadSuccessful(daemon), 1);
  EXPECT_EQ(daemon.Get("/-/healthy").headers["x-frame-options"], "sameorigin");
}

}  // namespace
}  // namespace hw_exporter::testing

// Collectors that read files are refreshed when scraped, and only then; those that run a program keep their TTL.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "probe/stand_in.h"
#include "support/daemon.h"

namespace hw_exporter::testing {
namespace {

using namespace std::chrono_literals;

// A slot as /cache/stats shows it, which reads the cache without asking for any refresh.
nlohmann::json SlotOf(Daemon& daemon, const std::string& name) {
  const nlohmann::json stats = nlohmann::json::parse(daemon.Get("/cache/stats").body);
  for (const auto& slot : stats["family_cache"]["collectors"])
    if (slot["name"] == name) return slot;
  return nullptr;
}

std::uint64_t RefreshesOf(Daemon& daemon, const std::string& name) {
  return SlotOf(daemon, name)["refreshes"].get<std::uint64_t>();
}

TEST(OnDemand, NothingIsRefreshedThatNobodyScrapesAndAScrapeRefreshesWhatItReads) {
  std::vector<std::string> arguments = FixtureArguments("host_a", {"loadavg", "meminfo"});
  arguments.push_back("--collector.loadavg.ttl=100ms");
  arguments.push_back("--collector.meminfo.ttl=100ms");
  Daemon daemon(arguments);
  for (const char* name : {"loadavg", "meminfo"}) {
    ASSERT_TRUE(Eventually([&] { return RefreshesOf(daemon, name) == 1; }, 10s)) << name << ": filled at start";
    EXPECT_EQ(SlotOf(daemon, name)["refreshed"], "on demand") << name;
  }

  std::this_thread::sleep_for(1s);  // ten TTLs, unscraped
  for (const char* name : {"loadavg", "meminfo"}) EXPECT_EQ(RefreshesOf(daemon, name), 1u) << name;

  const HttpResponse first = daemon.Get("/metrics?collect[]=loadavg");
  ASSERT_EQ(first.status, 200);
  EXPECT_NE(first.body.find("node_load1 "), std::string::npos) << "served the data it had, without waiting";
  EXPECT_TRUE(Eventually([&] { return RefreshesOf(daemon, "loadavg") == 2; }, 10s));
  EXPECT_EQ(RefreshesOf(daemon, "meminfo"), 1u) << "not selected by the scrape";
}

TEST(OnDemand, ACollectorThatRunsAProgramKeepsItsTtl) {
  TempDir directory;
  std::vector<std::string> arguments = FixtureArguments("host_a", {"smartctl"});
  arguments.push_back("--collector.smartctl.path=" + WriteStandIn(directory, "smartctl", "echo '{}'\n"));
  arguments.push_back("--collector.smartctl.ttl=100ms");
  Daemon daemon(arguments);
  EXPECT_EQ(SlotOf(daemon, "smartctl")["refreshed"], "on its TTL");
  EXPECT_TRUE(Eventually([&] { return RefreshesOf(daemon, "smartctl") >= 3; }, 10s)) << "unscraped";
}

}  // namespace
}  // namespace hw_exporter::testing

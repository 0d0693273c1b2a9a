// Concurrent scrapes while a slow probe has not delivered yet: one render, everyone else waits on it.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <thread>

#include "support/daemon.h"

namespace hw_exporter::testing {
namespace {

TEST(SingleFlight, ConcurrentScrapesOfASlowCollectorRenderOnce) {
  std::string fixture = SharedFixture("ipmitool/supermicro-sensor.txt");
  if (fixture.empty()) fixture = Fixture("probe_ipmitool/statuses.txt");
  TempDir directory;
  std::string ipmitool = directory.Write("ipmitool", "#!/bin/sh\nsleep 1\ncat '" + fixture + "'\n");
  ::chmod(ipmitool.c_str(), 0755);

  auto arguments = FixtureArguments("host_a", {"loadavg", "ipmi"});
  arguments.push_back("--collector.ipmi.path=" + ipmitool);
  Daemon daemon(arguments);

  constexpr int kScrapes = 12;  // fewer than the daemon's worker threads, so all of them are in at once
  std::vector<HttpResponse> responses(kScrapes);
  std::vector<std::thread> scrapers;
  for (int i = 0; i < kScrapes; ++i)
    scrapers.emplace_back([&, i] { responses[static_cast<size_t>(i)] = daemon.Get("/metrics"); });
  for (auto& scraper : scrapers) scraper.join();

  for (const auto& response : responses) {
    ASSERT_EQ(response.status, 200);
    EXPECT_EQ(response.body, responses[0].body) << "every scrape got the one render";
    EXPECT_NE(response.body.find("ipmi_"), std::string::npos) << "the scrape waited for the probe's first data";
  }
  auto totals = nlohmann::json::parse(daemon.Get("/cache/stats").body)["response_cache"]["totals"];
  EXPECT_EQ(totals["misses"].get<int>(), 1) << totals.dump();
  EXPECT_EQ(totals["coalesced"].get<int>() + totals["hits"].get<int>(), kScrapes - 1) << totals.dump();
  EXPECT_GE(totals["coalesced"].get<int>(), kScrapes / 2) << "most scrapes arrived during the render";
}

}  // namespace
}  // namespace hw_exporter::testing

// The slow probes inside the running daemon: bounded processes under scrape storms, answers from cache while a
// probe hangs, and the last good data kept (then dropped) when a probe fails.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "support/daemon.h"

namespace hw_exporter::testing {
namespace {

using namespace std::chrono_literals;

std::string IpmitoolCapture() {
  std::string shared = SharedFixture("ipmitool/supermicro-sensor.txt");
  return shared.empty() ? Fixture("probe_ipmitool/statuses.txt") : shared;
}

// A stand-in probe: the first call prints `first`, every later call runs `later` (a shell snippet).
std::string WriteProbe(const TempDir& directory, const std::string& name, const std::string& first,
                       const std::string& later) {
  std::string calls = directory.path() + "/" + name + ".calls";
  std::string path = directory.Write(name,
                                     "#!/bin/sh\n"
                                     "if [ -e '" +
                                         calls + "' ]; then\n" + later +
                                         "\nfi\n"
                                         "touch '" +
                                         calls + "'\n" + first + "\n");
  ::chmod(path.c_str(), 0755);
  return path;
}

// A shell snippet that never returns and starts no process: it reads a FIFO nobody writes to. A stand-in that ran
// `sleep` instead would fork, and the forked shell, until it executes sleep, counts as one more probe.
std::string HangWithoutAChild(const TempDir& directory) {
  const std::string never = directory.path() + "/never";
  if (::mkfifo(never.c_str(), 0600) != 0 && errno != EEXIST)
    throw std::system_error(errno, std::generic_category(), "mkfifo");
  return "read line < '" + never + "'";
}

// Processes running the given script right now: "/bin/sh <script> ..." (not the daemon, whose flags name it).
// Processes come and go while /proc is read: one that vanishes between the listing and the read of its cmdline is
// not counted, and a listing the kernel breaks off is read again.
int CountRunning(const std::string& script) {
  const std::string argument = std::string(1, '\0') + script + '\0';
  for (int attempt = 0; attempt < 100; ++attempt) {
    int count = 0;
    std::error_code error;
    for (std::filesystem::directory_iterator it("/proc", error), end; !error && it != end; it.increment(error)) {
      const std::string pid = it->path().filename().string();
      if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
      std::ifstream file(it->path() / "cmdline", std::ios::binary);
      if (!file) continue;  // gone since the listing
      try {
        std::string cmdline((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
        if (cmdline.find(argument) != std::string::npos) ++count;
      } catch (const std::ios_base::failure&) {
        // gone while it was read (ESRCH): libstdc++ throws from the read
      }
    }
    if (!error) return count;
  }
  throw std::runtime_error("cannot list /proc");
}

nlohmann::json Collector(Daemon& daemon, const std::string& name) {
  nlohmann::json stats = nlohmann::json::parse(daemon.Get("/cache/stats").body);
  for (const auto& collector : stats["family_cache"]["collectors"])
    if (collector["name"] == name) return collector;
  return nullptr;
}

// Polls until the predicate holds or the deadline passes.
TEST(Probes, ScrapeStormsNeverRaiseTheProcessCountAndAreAnsweredWhileProbesHang) {
  TempDir directory;
  std::string ipmitool = WriteProbe(directory, "ipmitool", "cat '" + IpmitoolCapture() + "'",
                                    HangWithoutAChild(directory));
  std::string smartctl = WriteProbe(directory, "smartctl", "echo '{}'; exit 2", HangWithoutAChild(directory));
  auto arguments = FixtureArguments("host_a", {"loadavg", "ipmi", "smartctl"});
  for (const std::string& argument : std::vector<std::string>{
           "--probe.max-processes=1", "--collector.ipmi.path=" + ipmitool, "--collector.ipmi.ttl=1s",
           "--collector.ipmi.timeout=20s", "--collector.ipmi.command-timeout=15s",
           "--collector.smartctl.path=" + smartctl, "--collector.smartctl.ttl=1s", "--collector.smartctl.timeout=20s",
           "--web.threads=32", "--web.max-connections-per-client=1000",
           // A scrape that waited for a hanging probe would take this whole budget: far from any slow machine.
           "--web.scrape-timeout=60s"})
    arguments.push_back(argument);
  Daemon daemon(arguments);
  ASSERT_TRUE(Eventually([&] { return Collector(daemon, "ipmi")["has_data"] == true; }, 10s));
  ASSERT_TRUE(Eventually([&] { return CountRunning(ipmitool) + CountRunning(smartctl) == 1; }, 5s))
      << "a later refresh hangs in a probe";

  std::atomic<bool> storming{true};
  std::atomic<int> most_alive{0};
  std::thread sampler([&] {
    while (storming) {
      most_alive = std::max(most_alive.load(), CountRunning(ipmitool) + CountRunning(smartctl));
      std::this_thread::sleep_for(2ms);
    }
  });
  constexpr int kRounds = 3, kConcurrent = 200;
  std::atomic<int> answered{0}, with_sensors{0};
  std::atomic<long long> slowest_ms{0};
  for (int round = 0; round < kRounds; ++round) {
    std::vector<std::thread> scrapers;
    for (int i = 0; i < kConcurrent; ++i) {
      scrapers.emplace_back([&] {
        auto started = std::chrono::steady_clock::now();
        HttpResponse response = daemon.Get("/metrics");
        auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
        slowest_ms = std::max(slowest_ms.load(), static_cast<long long>(took.count()));
        answered += response.status == 200;
        with_sensors += response.body.find("ipmi_fan_speed_rpm") != std::string::npos;
      });
    }
    for (auto& scraper : scrapers) scraper.join();
  }
  storming = false;
  sampler.join();

  EXPECT_EQ(answered, kRounds * kConcurrent);
  EXPECT_EQ(with_sensors, kRounds * kConcurrent) << "served from the family cache while ipmitool hangs";
  EXPECT_LE(most_alive, 1) << "never more probe processes than --probe.max-processes";
  EXPECT_LT(slowest_ms, 30'000) << "no scrape waited out its budget for a hanging probe (which never returns)";
}

// A stand-in smartctl whose scan lists the given disks; a disk named in `answers` prints that fixture, any other
// hangs. Every probe is one process running the script.
std::string WriteSmartctl(const TempDir& directory, const std::vector<std::string>& disks,
                          const std::map<std::string, std::string>& answers) {
  std::string scan = R"({"devices": [)";
  for (const std::string& disk : disks) scan += R"({"name": "/dev/)" + disk + R"(", "type": "auto"},)";
  scan.back() = ']';
  scan += "}";
  std::string script = "#!/bin/sh\nif [ \"$1\" = --scan-open ]; then echo '" + scan + "'; exit 0; fi\n" +
                       "for last; do :; done\ncase \"$last\" in\n";
  for (const auto& [disk, fixture] : answers)
    script += "  /dev/" + disk + ") cat '" + Fixture("probe_smartctl/" + fixture) + "';;\n";
  script += "  *) " + HangWithoutAChild(directory) + ";;\nesac\n";
  std::string path = directory.Write("smartctl", script);
  ::chmod(path.c_str(), 0755);
  return path;
}

// One hung disk costs its own SMART data: the refresh publishes the disks read in time once the collector's
// timeout is up (not the hung probe's own 30 s), kills the hung probe, and says which disk was not read and why.
// SIGTERM while a scrape waits for a probe's first data (Prometheus' timeout header lets it wait up to an hour
// here): the probe is killed, the scrape ends (its connection is shut down with the others), and the daemon ends,
// leaving no probe behind.
TEST(Probes, AStopDuringAScrapeThatWaitsForAProbeEndsTheProbeTheScrapeAndTheDaemon) {
  TempDir directory;
  const std::string ipmitool = WriteProbe(directory, "ipmitool", HangWithoutAChild(directory),
                                          HangWithoutAChild(directory));
  auto arguments = FixtureArguments("host_a", {"loadavg", "ipmi"});
  arguments.insert(arguments.end(), {"--collector.ipmi.path=" + ipmitool, "--collector.ipmi.ttl=1h",
                                     "--collector.ipmi.timeout=10m", "--collector.ipmi.command-timeout=10m"});
  Daemon daemon(arguments);
  ASSERT_TRUE(Eventually([&] { return CountRunning(ipmitool) == 1; }, 20s));
  auto misses = [&] {
    return nlohmann::json::parse(daemon.Get("/cache/stats").body)["response_cache"]["totals"]["misses"].get<int>();
  };
  const int misses_before = misses();
  std::thread scrape([&] {
    try {
      HttpGet("127.0.0.1", daemon.port(), "/metrics?collect[]=ipmi", {{"X-Prometheus-Scrape-Timeout-Seconds", "3600"}},
              120s);
    } catch (const std::exception&) {
      // the connection shut down by the stop: what a scrape during a restart gets
    }
  });
  ASSERT_TRUE(Eventually([&] { return misses() > misses_before; }, 20s)) << "the scrape is rendering, and waits";
  const std::optional<int> status = daemon.process().Signal(SIGTERM, std::chrono::seconds(60));
  scrape.join();
  EXPECT_TRUE(status) << "the daemon was still waiting for the probe a minute after SIGTERM";
  EXPECT_EQ(CountRunning(ipmitool), 0) << "a probe outlived the daemon";
}

TEST(Probes, AHungDiskCostsOnlyItsOwnSmartData) {
  TempDir directory;
  std::string smartctl = WriteSmartctl(directory, {"sda", "nvme0", "sdz"},
                                       {{"sda", "ata.json"}, {"nvme0", "nvme.json"}});
  auto arguments = FixtureArguments("host_a", {"smartctl"});
  for (const std::string& argument :
       std::vector<std::string>{"--collector.smartctl.path=" + smartctl, "--collector.smartctl.ttl=1h",
                                "--collector.smartctl.timeout=3s", "--probe.max-processes=2"})
    arguments.push_back(argument);
  Daemon daemon(arguments);
  ASSERT_TRUE(Eventually([&] { return Collector(daemon, "smartctl")["refreshes"].get<int>() >= 1; }, 20s));
  EXPECT_EQ(CountRunning(smartctl), 0) << "a probe outlived the refresh";

  const std::string metrics = daemon.Get("/metrics").body;
  for (const char* series :
       {"smartctl_device_smart_status{device=\"sda\"} 1", "smartctl_device_smart_status{device=\"nvme0\"} 0",
        "smartctl_device_probe_success{device=\"sdz\"} 0",
        "smartctl_device_probe_failure{device=\"sdz\",reason=\"timeout\"} 1",
        "hw_exporter_collector_success{collector=\"smartctl\"} 0"})
    EXPECT_NE(metrics.find(series), std::string::npos) << series << " missing from\n" << metrics;
  nlohmann::json stats = Collector(daemon, "smartctl");
  EXPECT_EQ(stats["last_error"].get<std::string>().find("smartctl read 2 of 3 devices; not read: sdz: timeout"), 0u)
      << stats;
  ASSERT_EQ(stats["problems"].size(), 1u) << stats;
  EXPECT_EQ(stats["problems"][0].get<std::string>().find("sdz: timeout"), 0u) << stats;
}

// Disks are probed side by side, yet never more at once than --probe.max-processes, whatever the scrapes do.
TEST(Probes, ParallelDiskProbesStayWithinTheProcessLimitUnderScrapeStorms) {
  TempDir directory;
  std::string smartctl = WriteSmartctl(directory, {"sda", "sdb", "sdc", "sdd"}, {});
  auto arguments = FixtureArguments("host_a", {"loadavg", "smartctl"});
  for (const std::string& argument : std::vector<std::string>{
           "--collector.smartctl.path=" + smartctl, "--collector.smartctl.ttl=1s", "--collector.smartctl.timeout=5s",
           "--probe.max-processes=2", "--web.threads=32", "--web.max-connections-per-client=1000"})
    arguments.push_back(argument);
  Daemon daemon(arguments);
  ASSERT_TRUE(Eventually([&] { return CountRunning(smartctl) == 2; }, 10s)) << "disks are probed one at a time";

  std::atomic<bool> storming{true};
  std::atomic<int> most_alive{0};
  std::thread sampler([&] {
    while (storming) {
      most_alive = std::max(most_alive.load(), CountRunning(smartctl));
      std::this_thread::sleep_for(2ms);
    }
  });
  constexpr int kRounds = 2, kConcurrent = 200;
  std::atomic<int> answered{0};
  for (int round = 0; round < kRounds; ++round) {
    std::vector<std::thread> scrapers;
    for (int i = 0; i < kConcurrent; ++i)
      scrapers.emplace_back([&] { answered += daemon.Get("/metrics").status == 200; });
    for (auto& scraper : scrapers) scraper.join();
  }
  storming = false;
  sampler.join();
  EXPECT_EQ(answered, kRounds * kConcurrent);
  EXPECT_LE(most_alive, 2) << "more probe processes than --probe.max-processes";
}

TEST(Probes, AFailingProbeKeepsItsLastGoodDataUntilMaxStaleness) {
  TempDir directory;
  std::string ipmitool = WriteProbe(directory, "ipmitool", "cat '" + IpmitoolCapture() + "'",
                                    "echo 'Could not open device at /dev/ipmi0' >&2; exit 1");
  auto arguments = FixtureArguments("host_a", {"ipmi"});
  for (const std::string& argument : std::vector<std::string>{
           "--collector.ipmi.path=" + ipmitool, "--collector.ipmi.ttl=1s", "--collector.ipmi.timeout=1s",
           "--collector.ipmi.command-timeout=900ms", "--collector.ipmi.max-staleness=4s"})
    arguments.push_back(argument);
  Daemon daemon(arguments);

  ASSERT_TRUE(Eventually([&] { return Collector(daemon, "ipmi")["refreshes"].get<int>() >= 2; }, 10s));
  nlohmann::json failed = Collector(daemon, "ipmi");
  EXPECT_EQ(failed["last_success"], false);
  EXPECT_NE(failed["last_error"].get<std::string>().find("Could not open device"), std::string::npos) << failed;
  EXPECT_EQ(failed["has_data"], true) << "the last good sensors are still served";
  HttpResponse metrics = daemon.Get("/metrics");
  EXPECT_NE(metrics.body.find("ipmi_fan_speed_rpm"), std::string::npos);
  EXPECT_NE(metrics.body.find("hw_exporter_collector_success{collector=\"ipmi\"} 0"), std::string::npos);
  EXPECT_NE(metrics.body.find("hw_exporter_collector_cache_age_seconds{collector=\"ipmi\"}"), std::string::npos);
  EXPECT_NE(daemon.process().Output().find("Could not open device"), std::string::npos) << "the reason is logged";

  ASSERT_TRUE(Eventually([&] { return Collector(daemon, "ipmi")["has_data"] == false; }, 10s))
      << "dropped once older than max-staleness";
  metrics = daemon.Get("/metrics");
  EXPECT_EQ(metrics.body.find("ipmi_fan_speed_rpm"), std::string::npos);
  EXPECT_EQ(metrics.body.find("hw_exporter_collector_cache_age_seconds{collector=\"ipmi\"}"), std::string::npos);
}

}  // namespace
}  // namespace hw_exporter::testing

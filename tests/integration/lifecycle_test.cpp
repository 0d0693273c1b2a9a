// Starting, listening and stopping the daemon as an operator would.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <iterator>
#include <nlohmann/json.hpp>
#include <thread>

#include "hw_exporter/collectors/collector_table.h"
#include "support/daemon.h"

namespace hw_exporter::testing {
namespace {

using namespace std::chrono_literals;

void ExpectCleanStopWithinASecond(int signal) {
  Daemon daemon(FixtureArguments("host_a", {"cpu"}));
  ASSERT_EQ(daemon.Get("/metrics").status, 200);
  auto started = std::chrono::steady_clock::now();
  auto status = daemon.process().Signal(signal, 5s);
  auto took = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(status) << "still running 5 s after the signal";
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << daemon.process().Output();
  EXPECT_LT(took, 1s);
  EXPECT_NE(daemon.process().Output().find("shutting down"), std::string::npos);
}

size_t ThreadsOf(pid_t pid) {
  const std::string tasks = "/proc/" + std::to_string(pid) + "/task";
  return static_cast<size_t>(std::distance(std::filesystem::directory_iterator(tasks),
                                           std::filesystem::directory_iterator()));
}

// The fewest finished refreshes of any collector, from /cache/stats.
std::uint64_t FewestRefreshes(Daemon& daemon) {
  nlohmann::json stats = nlohmann::json::parse(daemon.Get("/cache/stats").body);
  std::uint64_t fewest = UINT64_MAX;
  for (const auto& collector : stats["family_cache"]["collectors"])
    fewest = std::min(fewest, collector["refreshes"].get<std::uint64_t>());
  return fewest;
}

// Scrapes while it waits: most collectors are refreshed when read.
bool WaitForRefreshes(Daemon& daemon, std::uint64_t count) {
  for (auto deadline = std::chrono::steady_clock::now() + 30s; std::chrono::steady_clock::now() < deadline;) {
    daemon.Get("/metrics");
    if (FewestRefreshes(daemon) >= count) return true;
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

TEST(Lifecycle, ThreadCountHoldsStillWhileEveryCollectorRefreshesEvery100ms) {
  std::vector<std::string> arguments = FixtureArguments("host_a", {});
  arguments.pop_back();  // no --collector.disable-defaults: every collector that is on by default
  for (const CollectorInfo& info : CollectorTable())
    if (info.enabled_by_default) arguments.push_back("--collector." + info.name + ".ttl=100ms");
  Daemon daemon(arguments);
  ASSERT_TRUE(WaitForRefreshes(daemon, 2));
  const pid_t pid = daemon.process().pid();
  const size_t threads = ThreadsOf(pid);
  std::atomic<bool> sampling{true};
  size_t fewest = threads, most = threads;
  std::thread sampler([&] {
    for (; sampling; std::this_thread::sleep_for(200us)) {
      const size_t now = ThreadsOf(pid);
      fewest = std::min(fewest, now);
      most = std::max(most, now);
    }
  });
  const bool refreshed = WaitForRefreshes(daemon, FewestRefreshes(daemon) + 10);
  sampling = false;
  sampler.join();
  ASSERT_TRUE(refreshed);
  EXPECT_EQ(fewest, threads) << "no thread may end while refreshes go on";
  EXPECT_EQ(most, threads) << "a refresh must not start a thread";
}

TEST(Lifecycle, SigtermStopsCleanlyWithinASecond) { ExpectCleanStopWithinASecond(SIGTERM); }

TEST(Lifecycle, SigintStopsCleanlyWithinASecond) { ExpectCleanStopWithinASecond(SIGINT); }

TEST(Lifecycle, StopsWithinASecondWithAnIdleKeepAliveConnectionOpen) {
  Daemon daemon(FixtureArguments("host_a", {"cpu"}));
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(daemon.port()));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  std::string request = "GET /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_EQ(::send(fd, request.data(), request.size(), 0), static_cast<ssize_t>(request.size()));
  char buffer[512];
  ASSERT_GT(::recv(fd, buffer, sizeof buffer, 0), 0);
  auto started = std::chrono::steady_clock::now();
  auto status = daemon.process().Signal(SIGTERM, 5s);
  EXPECT_TRUE(status);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
  ::close(fd);
}

// A FIFO where the kernel has a sensor file (its open would wait for a writer forever) costs its own series: the
// daemon serves every other hwmon series, names the file among the collector's problems, and stops at once.
TEST(Lifecycle, AFifoInPlaceOfASensorFileCostsItsSeriesAlone) {
  TempDir root;
  std::filesystem::copy(Fixture("sensors"), root.path(),
                        std::filesystem::copy_options::recursive | std::filesystem::copy_options::copy_symlinks);
  const std::string sensor = "sys/devices/platform/coretemp.0/hwmon/hwmon0/temp1_input";
  ASSERT_TRUE(std::filesystem::remove(root.path() + "/" + sensor));
  ASSERT_EQ(::mkfifo((root.path() + "/" + sensor).c_str(), 0600), 0);
  Daemon daemon({"--path.sysfs=" + root.path() + "/sys", "--collector.disable-defaults", "--collector.hwmon"});

  const std::string metrics = daemon.Get("/metrics").body;
  EXPECT_EQ(metrics.find("node_hwmon_temp_celsius{chip=\"platform_coretemp_0\",sensor=\"temp1\"}"), std::string::npos);
  EXPECT_NE(metrics.find("node_hwmon_temp_celsius{chip=\"platform_coretemp_0\",sensor=\"temp2\"}"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("hw_exporter_collector_success{collector=\"hwmon\"} 1"), std::string::npos);
  EXPECT_NE(metrics.find("hw_exporter_collector_problems{collector=\"hwmon\"} 1"), std::string::npos);
  const nlohmann::json stats = nlohmann::json::parse(daemon.Get("/cache/stats").body);
  nlohmann::json problems;
  for (const nlohmann::json& collector : stats["family_cache"]["collectors"])
    if (collector["name"] == "hwmon") problems = collector["problems"];
  ASSERT_EQ(problems.size(), 1u) << stats.dump(2);
  EXPECT_NE(problems[0].get<std::string>().find("hwmon0/temp1_input: not a regular file"), std::string::npos);

  const auto status = daemon.process().Signal(SIGTERM, 10s);
  ASSERT_TRUE(status && WIFEXITED(*status)) << daemon.process().Output();
  EXPECT_EQ(WEXITSTATUS(*status), 0);
  EXPECT_EQ(daemon.process().Output().find("timed out"), std::string::npos) << daemon.process().Output();
}

TEST(Lifecycle, DefaultListenAddressServesIPv4AndIPv6) {
  int port = FreeLoopbackPort();
  auto arguments = FixtureArguments("host_a", {"loadavg"});
  arguments.push_back("--web.listen-address=:" + std::to_string(port));
  Daemon daemon(arguments, port);
  EXPECT_EQ(HttpGet("127.0.0.1", port, "/metrics").status, 200);
  EXPECT_EQ(HttpGet("::1", port, "/metrics").status, 200);
}

TEST(Lifecycle, ListensOnAnIPv6LoopbackAddress) {
  int port = FreeLoopbackPort();
  auto arguments = FixtureArguments("host_a", {"loadavg"});
  arguments.push_back("--web.listen-address=[::1]:" + std::to_string(port));
  arguments.push_back("--web.listen-address=127.0.0.1:" + std::to_string(port));
  Daemon daemon(arguments, port);
  EXPECT_EQ(HttpGet("::1", port, "/-/healthy").status, 200);
}

TEST(Lifecycle, ConfigErrorsNameTheFieldAndExitNonZero) {
  TempDir directory;
  struct Case {
    std::vector<std::string> arguments;
    std::string message;
  };
  std::string bad_file = directory.Write("bad.json", R"({"cache": {"ttl": "5x"}})");
  for (const Case& bad : std::vector<Case>{
           {{"--collector.cpu.ttl=5x"}, "--collector.cpu.ttl"},
           {{"--no-such-flag"}, "--no-such-flag"},
           {{"--config.file=" + bad_file}, "/cache/ttl"},
           {{"--web.telemetry-path=/-/healthy"},
            "--web.telemetry-path: \"/-/healthy\" is the path of another endpoint"},
           {{"--web.telemetry-path=/cache/stats"}, "--web.telemetry-path"},
           {{"--web.telemetry-path=/hardware"}, "--web.telemetry-path: \"/hardware\" is the path of another endpoint"},
           {{"--collector.hwmon.chip-include=" + std::string(17000, '(') + std::string(17000, ')')},
            "--collector.hwmon.chip-include: a regular expression of 34000 characters"},
       }) {
    std::vector<std::string> argv{HW_EXPORTER_BINARY};
    argv.insert(argv.end(), bad.arguments.begin(), bad.arguments.end());
    ChildProcess process(argv, directory.path() + "/out.log");
    auto status = process.Signal(0, 5s);
    for (auto deadline = std::chrono::steady_clock::now() + 5s; !status && std::chrono::steady_clock::now() < deadline;)
      status = process.Exited();
    ASSERT_TRUE(status) << bad.message;
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 2) << process.Output();
    EXPECT_NE(process.Output().find(bad.message), std::string::npos) << process.Output();
  }
}

TEST(Lifecycle, AnAddressInUseIsAClearError) {
  Daemon first(FixtureArguments("host_a", {"loadavg"}));
  TempDir directory;
  ChildProcess second({HW_EXPORTER_BINARY, "--web.listen-address=127.0.0.1:" + std::to_string(first.port())},
                      directory.path() + "/out.log");
  std::optional<int> status;
  for (auto deadline = std::chrono::steady_clock::now() + 5s; !status && std::chrono::steady_clock::now() < deadline;)
    status = second.Exited();
  ASSERT_TRUE(status);
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 1);
  EXPECT_NE(second.Output().find("cannot start the HTTP server"), std::string::npos) << second.Output();
}

}  // namespace
}  // namespace hw_exporter::testing

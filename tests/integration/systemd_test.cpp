// The daemon under systemd's protocols, spoken by the test itself: readiness, reload, stopping and watchdog
// messages read from a NOTIFY_SOCKET the test binds, and socket activation through systemd-socket-activate.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include "support/daemon.h"
#include "support/notify_socket.h"

namespace hw_exporter::testing {
namespace {

using namespace std::chrono_literals;

std::uint64_t MonotonicMicroseconds() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return std::uint64_t(now.tv_sec) * 1'000'000 + std::uint64_t(now.tv_nsec) / 1'000;
}

std::string ReadWhole(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

class SystemdTest : public ::testing::Test {
 protected:
  // The daemon with NOTIFY_SOCKET (and `environment`), ready once it has said READY=1; `ready_message` keeps that.
  Daemon Start(std::vector<std::string> arguments, const std::vector<std::string>& environment = {}) {
    std::vector<std::string> launcher{"/usr/bin/env", "NOTIFY_SOCKET=" + notify_.path()};
    launcher.insert(launcher.end(), environment.begin(), environment.end());
    auto ready = [this](int) {
      auto message = notify_.WaitFor("READY=1", 100ms);
      if (message) ready_message_ = *message;
      return message.has_value();
    };
    return Daemon(std::move(arguments), ready, FreeLoopbackPort(), launcher);
  }

  NotifySocket notify_;
  std::string ready_message_;
  TempDir directory_;
};

TEST_F(SystemdTest, ReadyOnceServingWithAStatusLineAndStoppingOnSigterm) {
  Daemon daemon = Start(FixtureArguments("host_a", {"loadavg", "stat"}));
  EXPECT_EQ(daemon.Get("/-/healthy").status, 200) << "READY=1 comes once every listener is bound";
  EXPECT_NE(ready_message_.find("STATUS=serving 2 collectors at /metrics on port " + std::to_string(daemon.port())),
            std::string::npos)
      << ready_message_;
  ::kill(daemon.process().pid(), SIGTERM);
  EXPECT_TRUE(notify_.WaitFor("STOPPING=1", 10s));
}

TEST_F(SystemdTest, AReloadIsAnnouncedWithItsMonotonicTimeAndEndsWithReady) {
  Daemon daemon = Start(FixtureArguments("host_a", {"loadavg"}));
  const std::uint64_t before = MonotonicMicroseconds();
  ::kill(daemon.process().pid(), SIGHUP);
  auto reloading = notify_.WaitFor("RELOADING=1", 10s);
  ASSERT_TRUE(reloading);
  const std::uint64_t after = MonotonicMicroseconds();
  const auto at = reloading->find("MONOTONIC_USEC=");
  ASSERT_NE(at, std::string::npos) << *reloading;
  const std::uint64_t stamp = std::stoull(reloading->substr(at + 15));
  EXPECT_GE(stamp, before);
  EXPECT_LE(stamp, after);
  EXPECT_TRUE(notify_.WaitFor("READY=1", 10s)) << "the reload is over";
}

// WatchdogSec=2s. The exporter pings while it answers; with its only worker held by a scrape that waits for a
// probe that hangs, it cannot answer, and the pings stop until the scrape ends.
TEST_F(SystemdTest, WatchdogPingsOnlyWhileTheServerAnswers) {
  const std::string smartctl = directory_.Write("smartctl", "#!/bin/sh\nsleep 30\n");
  ::chmod(smartctl.c_str(), 0755);
  std::vector<std::string> arguments = FixtureArguments("host_a", {"loadavg", "smartctl"});
  for (const char* argument : {"--web.threads=1", "--collector.smartctl.timeout=20s"}) arguments.push_back(argument);
  arguments.push_back("--collector.smartctl.path=" + smartctl);
  Daemon daemon = Start(arguments, {"WATCHDOG_USEC=2000000"});
  ASSERT_TRUE(notify_.WaitFor("WATCHDOG=1", 10s)) << daemon.process().Output();

  std::atomic<bool> scraping{true};
  std::thread scrape([&] {
    // Waits 6 s for smartctl's first data, which never comes.
    HttpGet("127.0.0.1", daemon.port(), "/metrics?collect[]=smartctl", {{"X-Prometheus-Scrape-Timeout-Seconds", "6.5"}},
            20s);
    scraping = false;
  });
  auto last_ping = std::chrono::steady_clock::now();
  auto longest_silence = 0ms;
  while (scraping) {
    if (notify_.Receive(100ms) == "WATCHDOG=1") last_ping = std::chrono::steady_clock::now();
    longest_silence =
        std::max(longest_silence,
                 std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - last_ping));
  }
  scrape.join();
  EXPECT_GE(longest_silence, 2s) << "longer than WatchdogSec: systemd would have restarted it";
  EXPECT_TRUE(notify_.WaitFor("WATCHDOG=1", 10s)) << "pings again once it answers";
  const std::string log = daemon.process().Output();
  EXPECT_NE(log.find("not answering: systemd's watchdog is not pinged"), std::string::npos) << log;
  EXPECT_NE(log.find("healthy again"), std::string::npos) << log;
}

TEST_F(SystemdTest, ReadyOnAnAbstractNotifySocket) {
  NotifySocket abstract(NotifySocket::Address::kAbstract);
  ASSERT_EQ(abstract.path()[0], '@');
  Daemon daemon(FixtureArguments("host_a", {"loadavg"}), AnswersHealthy, FreeLoopbackPort(),
                {"/usr/bin/env", "NOTIFY_SOCKET=" + abstract.path()});
  auto ready = abstract.WaitFor("READY=1", 10'000ms);
  ASSERT_TRUE(ready) << daemon.process().Output();
  EXPECT_NE(ready->find("STATUS="), std::string::npos) << *ready;
}

TEST_F(SystemdTest, ANotifySocketThatIsNoSocketPathIsLoggedAndServingGoesOn) {
  Daemon daemon(FixtureArguments("host_a", {"loadavg"}), AnswersHealthy, FreeLoopbackPort(),
                {"/usr/bin/env", "NOTIFY_SOCKET=vsock:2:1234"});
  EXPECT_EQ(daemon.Get("/metrics").status, 200);
  // Logged when the daemon says it is ready, which may come after it first answers.
  EXPECT_TRUE(Eventually(
      [&] {
        return daemon.process().Output().find("NOTIFY_SOCKET is no socket path: vsock:2:1234") != std::string::npos;
      },
      10s))
      << daemon.process().Output();
}

TEST_F(SystemdTest, AHugeWatchdogIntervalIsBoundedToADay) {
  Daemon daemon = Start(FixtureArguments("host_a", {"loadavg"}), {"WATCHDOG_USEC=18446744073709551615"});
  EXPECT_NE(daemon.process().Output().find("systemd watchdog on\" interval=1d"), std::string::npos)
      << daemon.process().Output();
}

TEST_F(SystemdTest, NoWatchdogForAnotherProcess) {
  Daemon daemon = Start(FixtureArguments("host_a", {"loadavg"}), {"WATCHDOG_USEC=2000000", "WATCHDOG_PID=1"});
  EXPECT_EQ(daemon.process().Output().find("systemd watchdog on"), std::string::npos) << daemon.process().Output();
}

// systemd-socket-activate binds the port, passes it as LISTEN_FDS and executes the daemon on the first connection.
// The daemon serves on that socket, and its probes inherit neither the socket nor systemd's variables.
TEST_F(SystemdTest, SocketActivationServesOnThePassedSocketAndProbesInheritNothing) {
  const std::string seen = directory_.path() + "/probe.seen";
  const std::string smartctl =
      directory_.Write("smartctl", "#!/bin/sh\n{ env; for fd in /proc/$$/fd/*; do readlink $fd; done; } > '" + seen +
                                       ".tmp'\nmv '" + seen + ".tmp' '" + seen + "'\necho '{}'\n");
  ::chmod(smartctl.c_str(), 0755);
  const int port = FreeLoopbackPort();
  std::vector<std::string> arguments = FixtureArguments("host_a", {"loadavg", "smartctl"});
  arguments.push_back("--collector.smartctl.path=" + smartctl);
  arguments.push_back("--web.systemd-socket");
  Daemon daemon(arguments, AnswersHealthy, port,
                {"/usr/bin/systemd-socket-activate", "--listen=127.0.0.1:" + std::to_string(port),
                 "--setenv=NOTIFY_SOCKET=" + notify_.path()});
  EXPECT_EQ(daemon.Get("/metrics").status, 200);
  // In the start line, which may come after the daemon first answers.
  EXPECT_TRUE(Eventually(
      [&] { return daemon.process().Output().find("on port " + std::to_string(port)) != std::string::npos; }, 10s))
      << daemon.process().Output();

  ASSERT_TRUE(Eventually([&] { return std::ifstream(seen).good(); }, 10s)) << daemon.process().Output();
  const std::string probe = ReadWhole(seen);
  for (const char* variable : {"NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID", "WATCHDOG"})
    EXPECT_EQ(probe.find(variable), std::string::npos) << variable << " in:\n" << probe;
  EXPECT_EQ(probe.find("socket:"), std::string::npos) << "no socket among the probe's descriptors:\n" << probe;
  EXPECT_NE(probe.find("pipe:"), std::string::npos) << "its output goes to the exporter:\n" << probe;
}

TEST_F(SystemdTest, SocketActivationWithoutASocketIsAConfigError) {
  ChildProcess daemon({HW_EXPORTER_BINARY, "--web.systemd-socket"}, directory_.path() + "/daemon.log");
  ASSERT_TRUE(Eventually([&] { return daemon.Exited().has_value(); }, 10s));
  EXPECT_EQ(WEXITSTATUS(*daemon.Exited()), 2);
  EXPECT_NE(daemon.Output().find("--web.systemd-socket: systemd passed no socket"), std::string::npos)
      << daemon.Output();
}

// What systemd passes, checked as sd_listen_fds(3) says: LISTEN_PID must be this process, and each descriptor a
// listening TCP socket.
TEST_F(SystemdTest, SocketActivationRefusesSocketsForAnotherProcessAndDescriptorsThatAreNoListeningSocket) {
  const std::string binary = HW_EXPORTER_BINARY;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"LISTEN_FDS=1 LISTEN_PID=1 exec '" + binary + "' --web.systemd-socket",
       "--web.systemd-socket: systemd passed no socket (LISTEN_FDS is unset or not for this process)"},
      {"LISTEN_FDS=x LISTEN_PID=$$ exec '" + binary + "' --web.systemd-socket",
       "--web.systemd-socket: systemd passed no socket"},
      {"LISTEN_FDS=1 LISTEN_PID=$$ exec '" + binary + "' --web.systemd-socket 3</dev/null",
       "--web.systemd-socket: descriptor 3 from systemd is not a listening TCP socket"},
  };
  for (const auto& [command, message] : cases) {
    ChildProcess daemon({"/bin/sh", "-c", command}, directory_.path() + "/daemon.log");
    ASSERT_TRUE(Eventually([&] { return daemon.Exited().has_value(); }, 10s)) << command;
    EXPECT_EQ(WEXITSTATUS(*daemon.Exited()), 2) << command;
    EXPECT_NE(daemon.Output().find(message), std::string::npos) << command << "\n" << daemon.Output();
  }
}

}  // namespace
}  // namespace hw_exporter::testing

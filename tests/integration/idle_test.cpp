// Between scrapes the daemon keeps still: no thread of it runs while nobody connects, nor while a scraper keeps its
// connection open for the next scrape.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "support/daemon.h"
#include "support/raw_connections.h"

namespace hw_exporter::testing {
namespace {

using namespace std::chrono_literals;

std::string NameOf(pid_t pid, const std::string& tid) {
  std::ifstream comm("/proc/" + std::to_string(pid) + "/task/" + tid + "/comm");
  std::string name;
  std::getline(comm, name);
  return name;
}

// ThreadSanitizer's runtime has a thread of its own in the daemon (scripts/test.sh runs the suite under it), with
// the main thread's name, which wakes on its own schedule.
bool IsSanitizerThread(pid_t pid, const std::string& tid) {
#if defined(__SANITIZE_THREAD__)
  return tid != std::to_string(pid) && NameOf(pid, tid) == NameOf(pid, std::to_string(pid));
#else
  (void)pid;
  (void)tid;
  return false;
#endif
}

// How many times each of the daemon's threads was switched to, by name and thread id.
std::map<std::string, long> SwitchesOf(pid_t pid) {
  std::map<std::string, long> switches;
  for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task")) {
    const std::string tid = task.path().filename().string();
    if (IsSanitizerThread(pid, tid)) continue;
    std::ifstream status(task.path() / "status");
    for (std::string line; std::getline(status, line);)
      if (line.find("ctxt_switches:") != std::string::npos)
        switches[NameOf(pid, tid) + " (" + tid + ")"] += std::stol(line.substr(line.find(':') + 1));
  }
  return switches;
}

// Waits until no thread of the daemon has run for 3 s: what the start and the last request set off (the refreshes'
// deadlines, the gate's look at a closed connection) has passed.
std::map<std::string, long> Settled(pid_t pid) {
  std::map<std::string, long> last = SwitchesOf(pid);
  for (int attempt = 0; attempt < 10; ++attempt) {
    std::this_thread::sleep_for(3s);
    std::map<std::string, long> now = SwitchesOf(pid);
    if (now == last) return now;
    last = now;
  }
  return {};
}

// Sends a request on a keep-alive connection and reads its whole response (its head and Content-Length bytes):
// the connection is left ready for the next request. Returns the head.
std::string AnswerTo(int fd, const std::string& request) {
  EXPECT_EQ(send(fd, request.data(), request.size(), MSG_NOSIGNAL), static_cast<ssize_t>(request.size()));
  std::string received;
  std::size_t head_end = std::string::npos;
  std::size_t length = 0;
  char buffer[4096];
  while (head_end == std::string::npos || received.size() < head_end + 4 + length) {
    const ssize_t count = recv(fd, buffer, sizeof buffer, 0);
    if (count <= 0) return "";
    received.append(buffer, static_cast<std::size_t>(count));
    if (head_end == std::string::npos && (head_end = received.find("\r\n\r\n")) != std::string::npos) {
      const std::size_t field = received.find("Content-Length: ");
      if (field == std::string::npos || field > head_end) return "";
      length = std::stoul(received.substr(field + 16));
    }
  }
  return received.substr(0, head_end);
}

// Longer than any period the daemon's threads wait for but the collectors' TTLs and timeouts (the gate's sweeps
// take 1 s, civetweb's workers looked at their stop flag every 10 s), with a scraper's keep-alive connection held
// by a worker: no thread runs, and the next request on that connection, and a new connection, are answered.
TEST(Idle, NoThreadRunsBetweenScrapes) {
  Daemon daemon(FixtureArguments("host_a", {"loadavg", "meminfo"}));
  const int connection = ConnectFrom("127.0.0.1", daemon.port());
  const timeval answer_within{10, 0};  // a response that does not come fails the test instead of hanging it
  setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &answer_within, sizeof answer_within);
  const std::string request = "GET /metrics HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n";
  ASSERT_EQ(AnswerTo(connection, request).rfind("HTTP/1.1 200 ", 0), 0u);
  const pid_t pid = daemon.process().pid();
  const std::map<std::string, long> before = Settled(pid);
  ASSERT_FALSE(before.empty()) << "the daemon's threads never came to rest";

  std::this_thread::sleep_for(12s);
  for (const auto& [thread, switches] : SwitchesOf(pid))
    EXPECT_EQ(switches, before.contains(thread) ? before.at(thread) : 0) << thread << " ran";
  EXPECT_EQ(AnswerTo(connection, request).rfind("HTTP/1.1 200 ", 0), 0u);
  EXPECT_EQ(daemon.Get("/-/healthy").status, 200);
  close(connection);
}

}  // namespace
}  // namespace hw_exporter::testing

#include "hw_exporter/probe/process_runner.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "hw_exporter/core/fs.h"
#include "hw_exporter/core/strings.h"
#include "probe/process_hygiene.h"
#include "probe/stand_in.h"
#include "support/test_support.h"

namespace hw_exporter {
namespace {

using namespace std::chrono_literals;
using testing::LiveGroupMembers;
using testing::Quoted;
using testing::TempDir;
using testing::WriteStandIn;

const auto* const kHygiene = ::testing::AddGlobalTestEnvironment(new testing::ProcessHygieneEnvironment);

using Clock = std::chrono::steady_clock;

class ProcessRunnerTest : public testing::ProcessHygieneTest {
 protected:
  TempDir dir_;
  ProcessRunner runner_{2};
};

TEST_F(ProcessRunnerTest, CapturesStdoutAndExitStatus) {
  std::string fixture = testing::Fixture("probe_smartctl/ata.json");
  std::string program = WriteStandIn(dir_, "print", "cat " + Quoted(fixture) + "\nexit 3\n");
  ProcessResult result = runner_.Run({program}, 5s, 1 << 20);
  EXPECT_EQ(result.output, ReadFile(fixture));
  EXPECT_EQ(result.exit_status, 3);
  EXPECT_FALSE(result.timed_out);
  EXPECT_FALSE(result.truncated);
  EXPECT_EQ(result.error, "");
}

TEST_F(ProcessRunnerTest, PassesArgumentsWithoutAShell) {
  std::string program = WriteStandIn(dir_, "args", "for a; do echo \"[$a]\"; done\n");
  ProcessResult result = runner_.Run({program, "two words", "$HOME", "*", "a;b"}, 5s, 4096);
  EXPECT_EQ(result.output, "[two words]\n[$HOME]\n[*]\n[a;b]\n");
}

TEST_F(ProcessRunnerTest, ChildGetsNullStdinMinimalEnvironmentAndOwnGroup) {
  ::setenv("HW_EXPORTER_TEST_SECRET", "leak", 1);
  std::string program = WriteStandIn(dir_, "inspect",
                                     "echo \"stdin=$(readlink /proc/$$/fd/0)\"\n"
                                     "echo \"group=$(cut -d' ' -f5 /proc/$$/stat) pid=$$\"\n"
                                     "env | sort\n");
  ProcessResult result = runner_.Run({program}, 5s, 4096);
  ::unsetenv("HW_EXPORTER_TEST_SECRET");
  ASSERT_EQ(result.exit_status, 0) << result.error;
  EXPECT_NE(result.output.find("stdin=/dev/null\n"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("LC_ALL=C\n"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("PATH=/usr/sbin:/usr/bin:/sbin:/bin\n"), std::string::npos) << result.output;
  EXPECT_EQ(result.output.find("HW_EXPORTER_TEST_SECRET"), std::string::npos) << result.output;
  EXPECT_EQ(result.output.find("HOME="), std::string::npos) << result.output;
  std::istringstream lines(result.output.substr(result.output.find("group=")));
  std::string group;
  std::string pid;
  lines >> group >> pid;
  EXPECT_EQ(group.substr(6), pid.substr(4)) << "the child leads a process group of its own";
}

TEST_F(ProcessRunnerTest, ChildInheritsNoDescriptorOfTheDaemon) {
  // A descriptor opened without O_CLOEXEC, as a careless library might.
  int stray = ::open("/dev/null", O_RDONLY);
  ASSERT_GE(stray, 0);
  int high = ::fcntl(stray, F_DUPFD, 60);
  ::close(stray);
  std::string program = WriteStandIn(dir_, "fds", "ls /proc/$$/fd\n");
  ProcessResult result = runner_.Run({program}, 5s, 4096);
  ::close(high);
  std::vector<std::string_view> fds = SplitFields(result.output);
  EXPECT_EQ(std::count(fds.begin(), fds.end(), std::to_string(high)), 0) << result.output;
  EXPECT_EQ(std::count(fds.begin(), fds.end(), "1"), 1) << result.output;
}

TEST_F(ProcessRunnerTest, FindsProgramsOnTheChildPathOnly) {
  ProcessResult found = runner_.Run({"true"}, 5s, 16);
  EXPECT_EQ(found.exit_status, 0) << found.error;

  ProcessResult missing = runner_.Run({"hw-exporter-no-such-program"}, 5s, 16);
  EXPECT_EQ(missing.exit_status, -1);
  EXPECT_NE(missing.error.find("not found"), std::string::npos) << missing.error;

  ProcessResult absent = runner_.Run({dir_.path() + "/absent"}, 5s, 16);
  EXPECT_EQ(absent.exit_status, -1);
  EXPECT_NE(absent.error.find("cannot start"), std::string::npos) << absent.error;

  EXPECT_NE(runner_.Run({}, 5s, 16).error, "");
}

TEST_F(ProcessRunnerTest, TimeoutKillsTheWholeProcessGroup) {
  std::string pids = dir_.path() + "/pids";
  std::string program = WriteStandIn(dir_, "hang",
                                     "sleep 1000 &\n"
                                     "echo \"$$ $!\" > " +
                                         Quoted(pids) +
                                         "\n"
                                         "echo started\n"
                                         "wait\n");
  auto start = Clock::now();
  ProcessResult result = runner_.Run({program}, 500ms, 4096);
  auto elapsed = Clock::now() - start;

  EXPECT_TRUE(result.timed_out);
  EXPECT_EQ(result.exit_status, -1);
  EXPECT_NE(result.error.find("timed out"), std::string::npos) << result.error;
  EXPECT_EQ(result.output, "started\n") << "output read before the timeout is kept";
  EXPECT_GE(elapsed, 500ms);
  EXPECT_LT(elapsed, 3s);
  EXPECT_EQ(runner_.running(), 0);

  std::istringstream recorded(ReadFile(pids));
  pid_t leader = 0;
  pid_t sleeper = 0;
  recorded >> leader >> sleeper;
  ASSERT_GT(leader, 0);
  ASSERT_GT(sleeper, 0);
  // SIGKILL is delivered asynchronously to the orphaned sleep; give it a moment.
  auto give_up = Clock::now() + 3s;
  while (!LiveGroupMembers(leader).empty() && Clock::now() < give_up) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(LiveGroupMembers(leader).empty()) << "a process of the timed-out group survived";
}

TEST_F(ProcessRunnerTest, ReturnsWhenTheChildExitsThoughItsOwnChildHoldsTheOutput) {
  std::string program = WriteStandIn(dir_, "forker", "sleep 1000 &\necho done\n");
  auto start = Clock::now();
  ProcessResult result = runner_.Run({program}, 10s, 4096);
  EXPECT_LT(Clock::now() - start, 5s);
  EXPECT_EQ(result.exit_status, 0) << result.error;
  EXPECT_FALSE(result.timed_out);
  EXPECT_EQ(result.output, "done\n");
}

TEST_F(ProcessRunnerTest, BoundsCapturedOutputAndDrainsTheRest) {
  // 100 MB on stdout: the child must never block on a full pipe, and only the limit is kept.
  std::string program = WriteStandIn(dir_, "flood", "head -c 100000000 /dev/zero\necho end >&2\n");
  auto start = Clock::now();
  ProcessResult result = runner_.Run({program}, 20s, 1 << 20);
  EXPECT_LT(Clock::now() - start, 15s);
  EXPECT_EQ(result.exit_status, 0) << result.error;
  EXPECT_FALSE(result.timed_out);
  EXPECT_TRUE(result.truncated);
  EXPECT_EQ(result.output.size(), size_t{1} << 20);
  EXPECT_EQ(result.error_output, "end\n") << "stderr is read while stdout floods";
}

TEST_F(ProcessRunnerTest, KeepsOnlyTheStartOfStderr) {
  std::string program = WriteStandIn(dir_, "noisy", "head -c 100000 /dev/zero | tr '\\0' e >&2\necho out\n");
  ProcessResult result = runner_.Run({program}, 5s, 4096);
  EXPECT_EQ(result.output, "out\n");
  EXPECT_FALSE(result.truncated) << "the stdout flag is not about stderr";
  EXPECT_GT(result.error_output.size(), 0u);
  EXPECT_LE(result.error_output.size(), 4096u);
}

TEST_F(ProcessRunnerTest, ReportsDeathBySignal) {
  std::string program = WriteStandIn(dir_, "suicide", "kill -TERM $$\nsleep 5\n");
  ProcessResult result = runner_.Run({program}, 5s, 4096);
  EXPECT_EQ(result.exit_status, -1);
  EXPECT_FALSE(result.timed_out);
  EXPECT_NE(result.error.find("signal"), std::string::npos) << result.error;
}

TEST_F(ProcessRunnerTest, WaitingForAPlaceCountsAgainstTheTimeout) {
  ProcessRunner runner(1);
  std::string program = WriteStandIn(dir_, "slow", "sleep 1\n");
  std::thread holder([&] { runner.Run({program}, 5s, 16); });
  auto give_up = Clock::now() + 3s;
  while (runner.running() == 0 && Clock::now() < give_up) std::this_thread::sleep_for(1ms);
  ASSERT_EQ(runner.running(), 1);

  auto start = Clock::now();
  ProcessResult result = runner.Run({"true"}, 200ms, 16);
  auto waited = Clock::now() - start;
  holder.join();

  // Timed out while waiting: it gave up before the holder freed its place (had it waited for that, `true` would
  // have run). No upper bound on the wait: that would measure how busy the machine is.
  EXPECT_TRUE(result.timed_out);
  EXPECT_EQ(result.exit_status, -1);
  EXPECT_NE(result.error.find("waiting"), std::string::npos) << result.error;
  EXPECT_GE(waited, 200ms);
}

TEST_F(ProcessRunnerTest, NeverRunsMoreThanTheLimitAcrossCallers) {
  constexpr int kLimit = 3;
  constexpr int kCallers = 50;
  ProcessRunner runner(kLimit);
  std::string log = dir_.path() + "/log";
  // Each stand-in appends its start and end (ns since the epoch) while it holds its place.
  std::string program = WriteStandIn(dir_, "busy",
                                     "echo \"+ $(date +%s%N)\" >> " + Quoted(log) +
                                         "\n"
                                         "sleep 0.1\n"
                                         "echo \"- $(date +%s%N)\" >> " +
                                         Quoted(log) + "\n");
  std::atomic<bool> done{false};
  std::atomic<int> most_running{0};
  std::thread sampler([&] {
    while (!done) {
      int now = runner.running();
      int seen = most_running.load();
      while (now > seen && !most_running.compare_exchange_weak(seen, now)) {
      }
      std::this_thread::sleep_for(1ms);
    }
  });
  std::atomic<int> succeeded{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back([&] {
      if (runner.Run({program}, 30s, 64).exit_status == 0) ++succeeded;
    });
  }
  for (auto& caller : callers) caller.join();
  done = true;
  sampler.join();

  EXPECT_EQ(succeeded, kCallers);
  EXPECT_LE(most_running, kLimit);
  EXPECT_EQ(runner.running(), 0);

  // The recorded intervals: sweep the starts and ends in time order and track how many overlap.
  std::vector<std::pair<long long, int>> events;
  std::istringstream lines(ReadFile(log));
  std::string sign;
  long long at = 0;
  while (lines >> sign >> at) events.emplace_back(at, sign == "+" ? 1 : -1);
  ASSERT_EQ(events.size(), size_t{2 * kCallers});
  std::sort(events.begin(), events.end());  // an end sorts before a start at the same instant
  int overlapping = 0;
  int most_overlapping = 0;
  for (const auto& [when, change] : events) {
    overlapping += change;
    most_overlapping = std::max(most_overlapping, overlapping);
  }
  EXPECT_LE(most_overlapping, kLimit);
  EXPECT_GE(most_overlapping, 2) << "the callers should have run side by side";
}

TEST_F(ProcessRunnerTest, KillAllEndsRunningProbesAndRefusesNewOnes) {
  std::string program = WriteStandIn(dir_, "hang", "sleep 1000 &\nwait\n");
  ProcessResult hung;
  std::thread caller([&] { hung = runner_.Run({program}, 60s, 4096); });
  for (auto deadline = Clock::now() + 5s; runner_.running() == 0 && Clock::now() < deadline;)
    std::this_thread::sleep_for(1ms);
  ASSERT_EQ(runner_.running(), 1);
  auto started = Clock::now();
  runner_.KillAll();
  caller.join();
  EXPECT_LT(Clock::now() - started, 2s) << "the caller returns as soon as its child is gone";
  EXPECT_NE(hung.error, "");
  EXPECT_EQ(runner_.running(), 0);
  ProcessResult refused = runner_.Run({program}, 5s, 4096);
  EXPECT_NE(refused.error.find("shutting down"), std::string::npos) << refused.error;
}

// A stand-in that leaves `sleep 1000` behind in a session of its own, started by a subshell that exits at once (so
// the sleep is orphaned while the stand-in still runs). It waits until the sleep has written "<pid> <session>" to
// record, prints that line and goes on with `then`.
std::string WriteEscaper(const TempDir& dir, const std::string& record, const std::string& then) {
  std::string escapee = WriteStandIn(dir, "escapee",
                                     "echo \"$$ $(cut -d' ' -f6 /proc/$$/stat)\" > " + Quoted(record + ".tmp") +
                                         "\nmv " + Quoted(record + ".tmp") + " " + Quoted(record) +
                                         "\nexec sleep 1000\n");
  return WriteStandIn(dir, "escaper",
                      "( setsid " + Quoted(escapee) + " </dev/null >/dev/null 2>&1 & )\n" + "while [ ! -e " +
                          Quoted(record) + " ]; do sleep 0.01; done\n" + "cat " + Quoted(record) + "\n" + then);
}

// The escaped pid from an escaper's "<pid> <session>" line; 0 unless it leads a session of its own.
pid_t EscapedPid(const std::string& line) {
  std::istringstream fields(line);
  pid_t pid = 0;
  pid_t session = 0;
  fields >> pid >> session;
  return pid > 0 && pid == session ? pid : 0;
}

// True once pid is gone, neither running nor a zombie. sweep runs between looks (each sweep reaps what it killed).
bool GoneAfterSweeps(pid_t pid, const std::function<void()>& sweep) {
  for (auto give_up = Clock::now() + 30s; Clock::now() < give_up; std::this_thread::sleep_for(10ms)) {
    if (::kill(pid, 0) != 0 && errno == ESRCH) return true;
    sweep();
  }
  return false;
}

TEST_F(ProcessRunnerTest, IsTheSubreaperOfItsProbes) {
  int subreaper = 0;
  ASSERT_EQ(::prctl(PR_GET_CHILD_SUBREAPER, &subreaper, 0, 0, 0), 0);
  EXPECT_EQ(subreaper, 1);
}

TEST_F(ProcessRunnerTest, KillsWhatEscapedTheGroupOfAProbeThatExited) {
  std::string program = WriteEscaper(dir_, dir_.path() + "/escaped", "");
  ProcessResult result = runner_.Run({program}, 60s, 4096);
  ASSERT_EQ(result.exit_status, 0) << result.error;
  pid_t escaped = EscapedPid(result.output);
  ASSERT_GT(escaped, 0) << "not in a session of its own: " << result.output;
  EXPECT_TRUE(GoneAfterSweeps(escaped, [&] { runner_.Run({"true"}, 5s, 16); }))
      << "the escaped sleep " << escaped << " is still there";
}

TEST_F(ProcessRunnerTest, KillsWhatEscapedTheGroupOfAProbeThatTimedOut) {
  std::string program = WriteEscaper(dir_, dir_.path() + "/escaped", "exec sleep 1000\n");
  ProcessResult result = runner_.Run({program}, 3s, 4096);
  EXPECT_TRUE(result.timed_out);
  pid_t escaped = EscapedPid(result.output);
  ASSERT_GT(escaped, 0) << "not in a session of its own: " << result.output;
  EXPECT_TRUE(GoneAfterSweeps(escaped, [&] { runner_.Run({"true"}, 5s, 16); }))
      << "the escaped sleep " << escaped << " is still there";
}

TEST_F(ProcessRunnerTest, KillAllKillsWhatEscapedTheGroupOfARunningProbe) {
  std::string record = dir_.path() + "/escaped";
  std::string program = WriteEscaper(dir_, record, "exec sleep 1000\n");
  ProcessResult hung;
  std::thread caller([&] { hung = runner_.Run({program}, 600s, 4096); });
  for (auto give_up = Clock::now() + 30s; !std::filesystem::exists(record) && Clock::now() < give_up;)
    std::this_thread::sleep_for(5ms);
  pid_t escaped = EscapedPid(ReadFile(record));
  runner_.KillAll();
  caller.join();
  ASSERT_GT(escaped, 0) << "not in a session of its own: " << ReadFile(record);
  EXPECT_TRUE(GoneAfterSweeps(escaped, [&] { runner_.KillAll(); }))
      << "the escaped sleep " << escaped << " is still there";
}

TEST_F(ProcessRunnerTest, LeavesChildrenInItsOwnProcessGroupAlone) {
  pid_t own = 0;
  char sleep[] = "sleep";
  char seconds[] = "1000";
  char* argv[] = {sleep, seconds, nullptr};
  char* no_environment[] = {nullptr};
  ASSERT_EQ(::posix_spawnp(&own, "/bin/sleep", nullptr, nullptr, argv, no_environment), 0);
  EXPECT_EQ(runner_.Run({"true"}, 5s, 16).exit_status, 0);
  runner_.KillAll();
  EXPECT_EQ(::waitpid(own, nullptr, WNOHANG), 0) << "a child in the process's own group was taken for an escaped one";
  ::kill(own, SIGKILL);
  ::waitpid(own, nullptr, 0);
}

TEST(ProcessRunnerLimit, RejectsLessThanOneProcess) {
  EXPECT_THROW(ProcessRunner(0), std::invalid_argument);
  EXPECT_EQ(ProcessRunner(4).max_processes(), 4);
}

}  // namespace
}  // namespace hw_exporter

// /debug/pprof/ and SIGUSR2: profiles google-pprof reads, and every thread named with what it does.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "support/daemon.h"
#include "support/run_command.h"

namespace hw_exporter::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kPprof = "/usr/bin/google-pprof";

// ThreadSanitizer's runtime has a thread of its own in the daemon (scripts/test.sh runs the suite under it): a
// thread the exporter neither started nor can name.
#if defined(__SANITIZE_THREAD__)
constexpr int kRuntimeThreads = 1;
#else
constexpr int kRuntimeThreads = 0;
#endif

std::vector<std::string> WithPprof(std::vector<std::string> arguments) {
  arguments.push_back("--web.enable-pprof");
  return arguments;
}

std::set<pid_t> TasksOf(pid_t pid) {
  std::set<pid_t> tids;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task"))
    tids.insert(std::stoi(entry.path().filename().string()));
  return tids;
}

// Waits up to `max_wait` for the daemon's log to hold `text`.
bool WaitForLog(Daemon& daemon, const std::string& text, std::chrono::seconds max_wait = 10s) {
  for (auto deadline = std::chrono::steady_clock::now() + max_wait; std::chrono::steady_clock::now() < deadline;) {
    if (daemon.process().Output().find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

// google-pprof's text report of a CPU profile of the daemon's binary.
CommandResult PprofText(const std::string& profile) {
  return RunCommand({kPprof, "--text", HW_EXPORTER_BINARY, profile}, 60s);
}

TEST(Diagnostics, PprofPagesAreNotFoundWithoutTheFlag) {
  Daemon daemon(FixtureArguments("host_a", {"cpu"}));
  for (const char* path :
       {"/debug/pprof/", "/debug/pprof/profile?seconds=1", "/debug/pprof/heap", "/debug/pprof/threads"})
    EXPECT_EQ(daemon.Get(path).status, 404) << path;
}

TEST(Diagnostics, IndexAndHeapAnswerWithTheFlag) {
  Daemon daemon(WithPprof(FixtureArguments("host_a", {"cpu"})));
  HttpResponse index = daemon.Get("/debug/pprof/");
  EXPECT_EQ(index.status, 200);
  EXPECT_NE(index.body.find("profile?seconds="), std::string::npos) << index.body;
  HttpResponse heap = daemon.Get("/debug/pprof/heap");
  EXPECT_EQ(heap.status, 200);
  EXPECT_NE(heap.body.find("in_use_bytes "), std::string::npos) << heap.body;
  EXPECT_NE(heap.body.find("<malloc version="), std::string::npos) << heap.body;
}

// What /debug/pprof/threads?format=json says of the daemon's threads.
struct ThreadsPage {
  std::string body;
  std::set<pid_t> listed;
  std::set<std::string> names;
  int anonymous = 0;  // threads other than the main one, neither named nor registered
  bool main_registered = false;
  bool saw_own_request = false;
};

ThreadsPage ReadThreadsPage(Daemon& daemon) {
  const pid_t pid = daemon.process().pid();
  ThreadsPage page;
  HttpResponse response = daemon.Get("/debug/pprof/threads?format=json");
  EXPECT_EQ(response.status, 200) << response.body;
  page.body = response.body;
  const nlohmann::json threads = nlohmann::json::parse(page.body)["threads"];
  for (const auto& thread : threads) {
    const pid_t tid = thread["tid"].get<pid_t>();
    const std::string name = thread["name"];
    page.listed.insert(tid);
    page.names.insert(name);
    if (tid == pid) page.main_registered = !thread["doing"].is_null();
    if (tid != pid && (name == "hw_exporter" || thread["doing"].is_null())) ++page.anonymous;
    const std::string doing = thread["doing"].is_null() ? "" : thread["doing"].get<std::string>();
    if (doing.starts_with("serving /debug/pprof/threads to 127.0.0.1:")) page.saw_own_request = true;
  }
  return page;
}

TEST(Diagnostics, ThreadsPageNamesEveryThreadAndWhatItDoes) {
  Daemon daemon(WithPprof(FixtureArguments("host_a", {"cpu", "meminfo"})));
  // A thread the daemon has just started is listed before its first instruction names it: the page is read until
  // every thread has started (a thread that never names itself stays anonymous, and fails the test).
  ThreadsPage page = ReadThreadsPage(daemon);
  for (int attempt = 0; attempt < 100 && page.anonymous != kRuntimeThreads; ++attempt) {
    std::this_thread::sleep_for(50ms);
    page = ReadThreadsPage(daemon);
  }
  EXPECT_TRUE(page.main_registered) << "the main thread never registered";
  EXPECT_EQ(page.anonymous, kRuntimeThreads) << "threads without a name of their own or an activity:\n" << page.body;
  EXPECT_EQ(page.listed, TasksOf(daemon.process().pid())) << page.body;  // fixed once every thread has started
  EXPECT_TRUE(page.saw_own_request) << page.body;
  for (const char* name : {"hw_exporter", "http-gate", "http-listen", "http-1", "scheduler", "refresh:cpu",
                           "refresh:meminfo", "refresh:process"})
    EXPECT_TRUE(page.names.contains(name)) << name << " missing from\n" << page.body;

  HttpResponse text = daemon.Get("/debug/pprof/threads");
  EXPECT_EQ(text.status, 200);
  EXPECT_NE(text.body.find(" refresh:cpu "), std::string::npos) << text.body;
  EXPECT_NE(text.body.find(" idle for "), std::string::npos) << text.body;
  EXPECT_EQ(daemon.Get("/debug/pprof/threads?format=xml").status, 400);
}

TEST(Diagnostics, ProfileRefusesABadLength) {
  Daemon daemon(WithPprof(FixtureArguments("host_a", {"cpu"})));
  for (const char* query : {"seconds=0", "seconds=61", "seconds=abc", "seconds=", "seconds=5s"}) {
    HttpResponse response = daemon.Get(std::string("/debug/pprof/profile?") + query);
    EXPECT_EQ(response.status, 400) << query;
    EXPECT_NE(response.body.find("seconds must be a whole number from 1 to 60"), std::string::npos) << response.body;
  }
  HttpResponse unknown = daemon.Get("/debug/pprof/profile?second=5");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_NE(unknown.body.find("unknown parameter \"second\""), std::string::npos) << unknown.body;
}

// Scrapes that each render (no response cache) keep the exporter busy while it profiles itself: the profile must
// name the render, and a second profile asked for meanwhile is refused.
TEST(Diagnostics, ProfileNamesWhereTheTimeGoes) {
  if (!std::filesystem::exists(kPprof)) GTEST_SKIP() << kPprof << " is missing (google-perftools)";
  std::vector<std::string> arguments = FixtureArguments("host_a", {"cpu", "meminfo", "stat", "vmstat", "loadavg"});
  arguments.push_back("--no-cache.enabled");  // every scrape renders
  Daemon daemon(WithPprof(arguments));
  ASSERT_EQ(daemon.Get("/metrics").status, 200);
  std::atomic<bool> done{false};
  HttpResponse profile;
  std::thread profiler([&] {
    profile = HttpGet("127.0.0.1", daemon.port(), "/debug/pprof/profile?seconds=3", {}, 20s);
    done = true;
  });
  std::this_thread::sleep_for(200ms);
  const int second = daemon.Get("/debug/pprof/profile?seconds=1").status;
  while (!done) daemon.Get("/metrics", {{"Accept-Encoding", "gzip"}});
  profiler.join();
  if (profile.status == 501) GTEST_SKIP() << "this build has no CPU profiler (sanitizers)";
  ASSERT_EQ(profile.status, 200) << profile.body;
  EXPECT_EQ(second, 409);
  TempDir directory;
  const std::string path = directory.Write("profile", profile.body);
  CommandResult report = PprofText(path);
  ASSERT_EQ(report.exit_code, 0) << report.output;
  EXPECT_NE(report.output.find("hw_exporter::BodyRest"), std::string::npos) << report.output;
}

TEST(Diagnostics, Sigusr2StartsAndStopsAProfile) {
  if (!std::filesystem::exists(kPprof)) GTEST_SKIP() << kPprof << " is missing (google-perftools)";
  TempDir directory;
  std::vector<std::string> arguments = FixtureArguments("host_a", {"cpu"});
  arguments.push_back("--diagnostics.dir=" + directory.path());
  arguments.push_back("--no-cache.enabled");
  Daemon daemon(arguments);
  ASSERT_EQ(kill(daemon.process().pid(), SIGUSR2), 0);
  ASSERT_TRUE(WaitForLog(daemon, "profiling")) << daemon.process().Output();
  if (daemon.process().Output().find("has no CPU profiler") != std::string::npos)
    GTEST_SKIP() << "this build has no CPU profiler (sanitizers)";
  ASSERT_TRUE(WaitForLog(daemon, "profiling started")) << daemon.process().Output();
  for (int i = 0; i < 200; ++i) daemon.Get("/metrics");
  ASSERT_EQ(kill(daemon.process().pid(), SIGUSR2), 0);
  ASSERT_TRUE(WaitForLog(daemon, "profiling stopped")) << daemon.process().Output();

  std::vector<std::string> cpu, heap;
  const std::string prefix = "hw_exporter-" + std::to_string(daemon.process().pid()) + "-";
  for (const auto& entry : std::filesystem::directory_iterator(directory.path())) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(prefix + "cpu-") && name.ends_with(".prof")) cpu.push_back(entry.path().string());
    if (name.starts_with(prefix + "heap-") && name.ends_with(".txt")) heap.push_back(entry.path().string());
  }
  ASSERT_EQ(cpu.size(), 1u) << daemon.process().Output();
  ASSERT_EQ(heap.size(), 1u) << daemon.process().Output();
  EXPECT_NE(daemon.process().Output().find(cpu[0]), std::string::npos) << "the log names the file";
  CommandResult report = PprofText(cpu[0]);
  EXPECT_EQ(report.exit_code, 0) << report.output;
  EXPECT_NE(report.output.find("Total:"), std::string::npos) << report.output;
  EXPECT_EQ(daemon.Get("/-/healthy").status, 200);  // still serving after both signals
}

// The files of one kind the daemon wrote into `directory`.
std::vector<std::string> Captures(Daemon& daemon, const std::string& directory, const std::string& kind) {
  std::vector<std::string> paths;
  const std::string prefix = "hw_exporter-" + std::to_string(daemon.process().pid()) + "-" + kind + "-";
  for (const auto& entry : std::filesystem::directory_iterator(directory))
    if (entry.path().filename().string().starts_with(prefix)) paths.push_back(entry.path().string());
  return paths;
}

// Any exporter's resident memory is above one byte: it captures once --diagnostics.for has passed, and not again
// within the cool-down (an hour by default). When the trigger fires with a fake clock is capture_trigger_test's.
TEST(Diagnostics, CapturesProfilesWhenMemoryStaysAboveItsThreshold) {
  TempDir directory;
  std::vector<std::string> arguments = FixtureArguments("host_a", {"cpu"});
  arguments.insert(arguments.end(), {"--diagnostics.dir=" + directory.path(), "--diagnostics.memory-threshold=1",
                                     "--diagnostics.for=1s"});
  Daemon daemon(arguments);
  // " captured" ends both outcomes, "profiles captured" and "no profile captured", and not the warning before them.
  ASSERT_TRUE(WaitForLog(daemon, " captured", 20s)) << daemon.process().Output();
  if (daemon.process().Output().find("no profile captured") != std::string::npos)
    GTEST_SKIP() << "this build has no CPU profiler (sanitizers)";
  ASSERT_TRUE(WaitForLog(daemon, "profiles captured", 20s)) << daemon.process().Output();
  EXPECT_NE(daemon.process().Output().find("reason=memory"), std::string::npos) << daemon.process().Output();
  EXPECT_EQ(Captures(daemon, directory.path(), "cpu").size(), 1u);
  EXPECT_EQ(Captures(daemon, directory.path(), "heap").size(), 1u);
  std::this_thread::sleep_for(3s);  // three more samples, all above the threshold
  const std::string metrics = daemon.Get("/metrics").body;
  EXPECT_NE(metrics.find("hw_exporter_diagnostics_captures_total{reason=\"memory\"} 1\n"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("hw_exporter_diagnostics_captures_total{reason=\"cpu\"} 0\n"), std::string::npos);
  EXPECT_EQ(Captures(daemon, directory.path(), "cpu").size(), 1u) << daemon.process().Output();
}

TEST(Diagnostics, LeakWatchGaugesAreServed) {
  Daemon daemon(FixtureArguments("host_a", {"cpu", "meminfo"}));
  // The process slot refreshes every 5 s, and its first refresh may come before the last thread has started.
  const std::string threads = "process_threads " + std::to_string(TasksOf(daemon.process().pid()).size()) + "\n";
  std::string metrics;
  EXPECT_TRUE(Eventually([&] { return (metrics = daemon.Get("/metrics").body).find(threads) != std::string::npos; },
                         12s))
      << threads << metrics;
  EXPECT_NE(metrics.find("hw_exporter_probe_processes 0\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("hw_exporter_refreshes_in_flight "), std::string::npos) << metrics;
}

}  // namespace
}  // namespace hw_exporter::testing

#include "hw_exporter/diagnostics/thread_report.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "hw_exporter/core/fs.h"
#include "hw_exporter/core/parse_error.h"
#include "hw_exporter/core/thread_registry.h"
#include "hw_exporter/procfs/process.h"

namespace hw_exporter {

namespace {

std::string Duration(double seconds) {
  char text[32];
  if (seconds < 1) {
    std::snprintf(text, sizeof text, "%.0f ms", seconds * 1000);
  } else {
    std::snprintf(text, sizeof text, "%.1f s", seconds);
  }
  return text;
}

// The kernel's view of one thread, or nullopt when it has ended.
std::optional<ThreadReport> ReadThread(const std::string& directory, pid_t tid) {
  const std::string base = directory + "/" + std::to_string(tid);
  std::optional<std::string> stat = TryReadFile(base + "/stat");
  std::optional<std::string> comm = TryReadLine(base + "/comm");
  if (!stat || !comm) return std::nullopt;
  ThreadReport thread;
  thread.tid = tid;
  thread.name = *comm;
  try {
    const procfs::ProcessStat parsed = procfs::ParseProcessStat(*stat, base + "/stat");
    thread.state = parsed.state;
    thread.cpu_seconds = static_cast<double>(parsed.user_ticks + parsed.system_ticks) /
                         static_cast<double>(sysconf(_SC_CLK_TCK));
  } catch (const ParseError&) {
    return std::nullopt;
  }
  return thread;
}

}  // namespace

std::vector<ThreadReport> ListThreads(const std::string& task_directory) {
  std::map<pid_t, ThreadActivity> activities;
  for (ThreadActivity& activity : RegisteredThreads()) activities.emplace(activity.tid, std::move(activity));
  std::vector<ThreadReport> threads;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(task_directory, error)) {
    const pid_t tid = static_cast<pid_t>(std::atoi(entry.path().filename().c_str()));
    std::optional<ThreadReport> thread = ReadThread(task_directory, tid);
    if (!thread) continue;
    if (auto found = activities.find(tid); found != activities.end()) {
      thread->registered = true;
      thread->doing = found->second.busy ? found->second.doing : "idle";
      thread->for_seconds = std::chrono::duration<double>(found->second.for_how_long).count();
    }
    threads.push_back(std::move(*thread));
  }
  std::sort(threads.begin(), threads.end(), [](const auto& a, const auto& b) { return a.tid < b.tid; });
  return threads;
}

std::string ThreadsText(const std::vector<ThreadReport>& threads) {
  std::string text = std::to_string(threads.size()) + " threads\n";
  for (const ThreadReport& thread : threads) {
    char cpu[32];
    std::snprintf(cpu, sizeof cpu, "%.2fs", thread.cpu_seconds);
    text += std::to_string(thread.tid) + " " + thread.name + " " + thread.state + " cpu=" + cpu + " ";
    text += thread.registered ? thread.doing + " for " + Duration(thread.for_seconds) : "(not registered)";
    text += "\n";
  }
  return text;
}

std::string ThreadsJson(const std::vector<ThreadReport>& threads) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const ThreadReport& thread : threads) {
    nlohmann::ordered_json entry = {{"tid", thread.tid},
                                    {"name", thread.name},
                                    {"state", std::string(1, thread.state)},
                                    {"cpu_seconds", thread.cpu_seconds},
                                    {"doing", nullptr},
                                    {"for_seconds", nullptr}};
    if (thread.registered) {
      entry["doing"] = thread.doing;
      entry["for_seconds"] = thread.for_seconds;
    }
    list.push_back(std::move(entry));
  }
  return nlohmann::ordered_json{{"threads", list}}.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace hw_exporter

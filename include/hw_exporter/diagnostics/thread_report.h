#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace hw_exporter {

// One thread of the process, as the kernel sees it and as it said what it does (core/thread_registry.h).
struct ThreadReport {
  pid_t tid = 0;
  std::string name;  // /proc/self/task/<tid>/comm
  char state = '?';  // R running, S sleeping, D in an uninterruptible wait, ...
  double cpu_seconds = 0;
  bool registered = false;
  std::string doing;  // "refreshing smartctl", "idle", or "" for a thread that never registered
  double for_seconds = 0;
};

// Every thread in `task_directory` (/proc/self/task), in tid order. A thread that ends while it is read is left out.
std::vector<ThreadReport> ListThreads(const std::string& task_directory = "/proc/self/task");

// One line a thread: "12345 http-3 S cpu=0.12s serving /metrics to 127.0.0.1:51234 for 3 ms".
std::string ThreadsText(const std::vector<ThreadReport>& threads);
std::string ThreadsJson(const std::vector<ThreadReport>& threads);

}  // namespace hw_exporter

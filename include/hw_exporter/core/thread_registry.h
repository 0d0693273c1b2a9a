#pragma once

#include <sys/types.h>

#include <chrono>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace hw_exporter {

// Every long-lived thread of the exporter names itself and says what it is doing, so that /debug/pprof/threads can
// show a stuck refresh or a thread that should not be there. Publishing costs two uncontended lock/unlock pairs on
// the thread's own slot and a copy into a fixed buffer: no allocation, no shared lock.

// Names the calling thread (pthread_setname_np: its first 15 bytes, as /proc/<pid>/task/<tid>/comm shows it) and
// registers it until it ends. Call it first in the thread.
void NameThisThread(std::string_view name);

// Registers the calling thread without renaming it: the main thread, whose name is the process's.
void RegisterThisThread();

// What a registered thread does from its construction to its destruction, in the exporter's own words: `what`
// ("refreshing", "serving") followed by the parts, joined ("smartctl"; "/metrics", " to ", "127.0.0.1:51234").
// Text beyond a fixed length is cut. Does nothing on a thread that is not registered.
class Activity {
 public:
  Activity(const char* what, std::initializer_list<std::string_view> parts);
  ~Activity();
  Activity(const Activity&) = delete;
  Activity& operator=(const Activity&) = delete;
};

// One registered thread as it is now.
struct ThreadActivity {
  pid_t tid = 0;
  bool busy = false;
  std::string doing;                                   // "refreshing smartctl", or "" while idle
  std::chrono::steady_clock::duration for_how_long{};  // since the activity began, or since the thread became idle
};

std::vector<ThreadActivity> RegisteredThreads();

}  // namespace hw_exporter

#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace hw_exporter::testing {

// A program the test starts (the daemon, prometheus, node_exporter), with stdout and stderr in a file. The
// destructor kills it if it still runs, and always reaps it.
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, std::string output_path);  // throws std::runtime_error
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }

  // Sends the signal and waits up to max_wait for the exit. Returns the wait status (see WIFEXITED), or nullopt
  // if it still runs.
  std::optional<int> Signal(int signal, std::chrono::milliseconds max_wait);

  // The wait status if it has exited, without waiting.
  std::optional<int> Exited();

  // What it printed so far.
  std::string Output() const;

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
  std::string output_path_;
};

}  // namespace hw_exporter::testing

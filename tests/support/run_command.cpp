#include "support/run_command.h"

#include <signal.h>
#include <sys/wait.h>

#include <thread>

#include "support/child_process.h"
#include "support/test_support.h"

namespace hw_exporter::testing {

CommandResult RunCommand(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
  TempDir directory;
  ChildProcess child(argv, directory.path() + "/output");
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!child.Exited() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::optional<int> status = child.Exited();
  if (!status) status = child.Signal(SIGKILL, std::chrono::seconds(5));
  CommandResult result;
  if (status && WIFEXITED(*status)) result.exit_code = WEXITSTATUS(*status);
  result.output = child.Output();
  return result;
}

}  // namespace hw_exporter::testing

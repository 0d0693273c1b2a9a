#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace hw_exporter::testing {

struct CommandResult {
  int exit_code = -1;  // -1: killed by a signal, or still running at the deadline (then killed)
  std::string output;  // stdout and stderr, interleaved
};

// Runs a program (argv[0] a full path) with /dev/null as its input, and waits for it up to `timeout`.
CommandResult RunCommand(const std::vector<std::string>& argv,
                         std::chrono::milliseconds timeout = std::chrono::seconds(20));

}  // namespace hw_exporter::testing

#pragma once

#include <string>
#include <vector>

#include "hw_exporter/core/duration.h"

namespace hw_exporter {

struct ProcessResult {
  int exit_status = -1;      // the child's exit code; -1 when it was killed or could not start
  bool timed_out = false;    // the timeout ran out: waiting for a place, or running (then the group was killed)
  bool truncated = false;    // stdout was longer than the limit; the rest was discarded
  std::string output;        // stdout, at most the limit
  std::string error;         // why it could not start or was killed, empty otherwise
  std::string error_output;  // the start of stderr (a few KiB), for error messages
};

// Runs probe programs (smartctl, ipmitool) for every collector, never more than max_processes at once:
// a caller waits for a free place (the wait counts against its timeout). Children get no shell, /dev/null as
// stdin, no inherited descriptors, a minimal environment (PATH and LC_ALL=C) and their own process group; on
// timeout the whole group is killed and reaped. When a child exits, whatever it left running in its group is
// killed too. A program named without a slash is looked up in the children's PATH (/usr/sbin:/usr/bin:/sbin:/bin),
// not the daemon's.
//
// The constructor makes this process the subreaper of its descendants (PR_SET_CHILD_SUBREAPER), so what a probe
// starts and moves out of its group (setsid, a double fork) comes to this process when its parent dies, instead of
// to init. Every Run() and KillAll() then kills and reaps such escaped processes: children of this process that no
// runner started and that are not in its process group. Anything else this process starts must therefore stay in
// its process group, or be taken for something a probe left behind.
class ProcessRunner {
 public:
  explicit ProcessRunner(int max_processes);
  ~ProcessRunner();
  ProcessRunner(const ProcessRunner&) = delete;
  ProcessRunner& operator=(const ProcessRunner&) = delete;

  ProcessResult Run(const std::vector<std::string>& argv, Duration timeout, size_t max_output_bytes);

  int max_processes() const;
  int running() const;  // children alive right now

  // Kills every child's process group and what escaped from probes' groups, and refuses new children, so that
  // callers still in Run() return at once. For shutdown: nothing a probe started may outlive the exporter. The
  // destructor does it too.
  void KillAll();

  struct State;  // defined in process_runner.cpp; named here so its helpers there can refer to it

 private:
  State* state_;
};

}  // namespace hw_exporter

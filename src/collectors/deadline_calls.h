#pragma once

#include <functional>
#include <memory>
#include <string>

#include "hw_exporter/core/clock.h"
#include "hw_exporter/core/duration.h"
#include "hw_exporter/core/log.h"

namespace hw_exporter {

// Runs calls that work on a path (statfs on a mount point, the read of a sensor file) on a worker thread of its
// own, each under a deadline, so that a call that hangs (a dead NFS server, a driver that never answers) costs the
// caller a bounded wait. A path whose call outlives the timeout is "stuck": its calls fail at once, and none is
// started, until the hung call returns. The hung worker is given up (it ends by itself when its call returns) and a
// fresh one runs the calls that follow, so one hung path never blocks the others. While nothing hangs, the same
// thread runs every call.
class DeadlineCalls {
 public:
  // call_name and subject name the call and what it works on in the log: "statfs", "the mount point".
  DeadlineCalls(std::string call_name, std::string subject, Duration timeout, const Clock& clock, log::Logger log);
  // Joins the worker; a hung one was detached when it was given up, and owns what it uses.
  ~DeadlineCalls();
  DeadlineCalls(const DeadlineCalls&) = delete;
  DeadlineCalls& operator=(const DeadlineCalls&) = delete;

  // Runs call on the worker and waits for it until the timeout has passed on the clock. True when it returned;
  // false when the path is stuck, the call hung (the path is stuck from now on), threw, or no thread could be
  // started. A call that hangs outlives the wait, and may outlive this object: it must own what it uses (capture
  // by value; its result through a shared_ptr, read only when Run returns true).
  bool Run(const std::string& path, std::function<void()> call);

  bool IsStuck(const std::string& path) const;

 private:
  class Worker;
  struct StuckPaths;

  std::string call_name_;
  std::string subject_;
  Duration timeout_;
  const Clock& clock_;
  log::Logger log_;
  std::shared_ptr<StuckPaths> stuck_;  // shared with the hung workers, which unmark their path when they return
  std::unique_ptr<Worker> worker_;     // started on first use, and again after one is given up
};

}  // namespace hw_exporter

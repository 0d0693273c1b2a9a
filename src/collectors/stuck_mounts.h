#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "filesystem.h"
#include "hw_exporter/core/clock.h"
#include "hw_exporter/core/duration.h"
#include "hw_exporter/core/log.h"

namespace hw_exporter {

// Runs statfs calls on a worker thread of its own, so that a call that hangs (a dead NFS server) costs the caller
// a bounded wait instead of the collector. A path whose call outlives the timeout is "stuck": it fails at once, and
// no other call is started on it, until the hung call returns. The hung worker is given up (it ends by itself when
// its call returns) and a fresh one runs the calls that follow, so one hung mount never blocks the others. While
// nothing hangs, the same thread runs every call, and a collection's calls are handed to it at once.
class StuckMounts {
 public:
  StuckMounts(StatFsFunction statfs, Duration timeout, const Clock& clock, log::Logger log);
  // Joins the worker; a hung one was detached when it was given up, and owns what it uses.
  ~StuckMounts();
  StuckMounts(const StuckMounts&) = delete;
  StuckMounts& operator=(const StuckMounts&) = delete;

  // The usage of each path, in order; nullopt where the call failed, hung, or is still stuck. Waits at most the
  // timeout for each call that starts to hang here: a later call skips its path at once.
  std::vector<std::optional<FilesystemUsage>> StatAll(const std::vector<std::string>& paths);

  bool IsStuck(const std::string& path) const;

 private:
  class Worker;
  struct StuckPaths;

  // Starts a worker unless there is one; false, logged, when no thread can be started (path: the first call).
  bool StartWorker(const std::string& path);

  StatFsFunction statfs_;
  Duration timeout_;
  const Clock& clock_;
  log::Logger log_;
  std::shared_ptr<StuckPaths> stuck_;  // shared with the hung workers, which unmark their path when they return
  std::unique_ptr<Worker> worker_;     // started on first use, and again after one is given up
};

}  // namespace hw_exporter

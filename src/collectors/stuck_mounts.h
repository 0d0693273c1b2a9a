#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "filesystem.h"
#include "hang_watch.h"
#include "hw_exporter/core/clock.h"
#include "hw_exporter/core/duration.h"
#include "hw_exporter/core/log.h"

namespace hw_exporter {

// Runs statfs calls bounded in time (see HangWatch), so that a call that hangs (a dead NFS server) costs the caller
// a bounded wait instead of the collector. A path whose call outlives the timeout is "stuck": it fails at once, and
// no other call is started on it, until the hung call returns. The calls after it are made on a fresh worker, so one
// hung mount never blocks the others. While nothing hangs, one thread makes every call, and a collection's calls are
// handed to it at once.
class StuckMounts {
 public:
  StuckMounts(StatFsFunction statfs, Duration timeout, const Clock& clock, log::Logger log);

  // The usage of each path, in order; nullopt where the call failed, hung, or is still stuck. Waits at most the
  // timeout for each call that starts to hang here: a later call skips its path at once.
  std::vector<std::optional<FilesystemUsage>> StatAll(const std::vector<std::string>& paths);

 private:
  std::shared_ptr<const StatFsFunction> statfs_;  // shared with the calls, which may outlive this
  log::Logger log_;
  HangWatch watch_;
};

}  // namespace hw_exporter

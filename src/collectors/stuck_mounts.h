#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "deadline_calls.h"
#include "filesystem.h"
#include "hw_exporter/core/clock.h"
#include "hw_exporter/core/duration.h"
#include "hw_exporter/core/log.h"

namespace hw_exporter {

// The filesystem collector's statfs calls, each under the statfs timeout (see DeadlineCalls): a mount point whose
// call hangs (a dead NFS server) is skipped until the call returns, and never blocks the others.
class StuckMounts {
 public:
  StuckMounts(StatFsFunction statfs, Duration timeout, const Clock& clock, log::Logger log);

  // The usage of each path, in order; nullopt where the call failed, hung, or is still stuck. Waits at most the
  // timeout for each call that starts to hang here: a later call skips its path at once.
  std::vector<std::optional<FilesystemUsage>> StatAll(const std::vector<std::string>& paths);

  bool IsStuck(const std::string& path) const;

 private:
  std::optional<FilesystemUsage> Stat(const std::string& path);

  std::shared_ptr<const StatFsFunction> statfs_;  // shared with the calls, which a hung one may outlive this
  DeadlineCalls calls_;
};

}  // namespace hw_exporter

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

// Runs statfs calls on threads of their own, so that a call that hangs (a dead NFS server) costs the caller a
// bounded wait instead of the collector. A path whose call outlives the wait is "stuck": it fails at once, and no
// other call is started on it, until the hung call returns. Hung threads own what they use, so they may outlive
// this object.
class StuckMounts {
 public:
  StuckMounts(StatFsFunction statfs, Duration timeout, const Clock& clock, log::Logger log);

  // The usage of each path, in order; nullopt where the call failed, hung, or is still stuck. Returns within about
  // the timeout, however many calls hang.
  std::vector<std::optional<FilesystemUsage>> StatAll(const std::vector<std::string>& paths);

  bool IsStuck(const std::string& path) const;

 private:
  struct Call;
  struct State;

  StatFsFunction statfs_;
  Duration timeout_;
  const Clock& clock_;
  log::Logger log_;
  std::shared_ptr<State> state_;
};

}  // namespace hw_exporter

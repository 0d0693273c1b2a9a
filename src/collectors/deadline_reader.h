#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "hang_watch.h"
#include "hw_exporter/core/clock.h"
#include "hw_exporter/core/duration.h"
#include "hw_exporter/core/log.h"
#include "hw_exporter/sysfs/file_reader.h"

namespace hw_exporter {

// Runs collections whose every file read is bounded in time (see HangWatch): a sysfs attribute is read by its
// driver, and a driver that never answers (a stuck I2C bus, say) blocks the reading thread inside the kernel. A read
// that outlasts the timeout marks its path hung; the caller runs the collection again from its start, and then
// reading a hung path fails at once with ETIMEDOUT: one hung file costs its own series, not the collector's.
class DeadlineReader {
 public:
  // A collection, given the bounded reader to read every file with. It may outlive Run (when a read of its
  // hangs), so it must own what it touches, its output included: capture by value, and give each run an output of
  // its own. Every read of a collection given up fails at once, so that it ends quickly once its hung read returns.
  using Collection = std::function<void(const sysfs::FileReader& read_file)>;

  // How many reads may hang at once, each holding a thread; while that many do, Run fails instead of starting
  // yet another.
  static constexpr std::size_t kMaxHungReads = 8;

  DeadlineReader(sysfs::FileReader read_file, Duration timeout, const Clock& clock, log::Logger log);

  // Runs the collection to its end and returns true, or returns false when one of its reads hung: that path is
  // marked hung and the collection given up; run it again (with an output of its own) to read everything else.
  // Rethrows what the collection threw. Throws std::runtime_error while kMaxHungReads reads hang, and
  // std::system_error when no thread can be started.
  bool Run(const Collection& collection);

  // The paths whose read hung and has not returned yet, sorted.
  std::vector<std::string> HungPaths() const { return watch_.Hung(); }

 private:
  std::shared_ptr<const sysfs::FileReader> read_file_;  // shared with the collections, which may outlive this
  log::Logger log_;
  HangWatch watch_;
};

}  // namespace hw_exporter

#pragma once

#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "hw_exporter/core/clock.h"
#include "hw_exporter/core/duration.h"
#include "hw_exporter/core/family_set.h"
#include "hw_exporter/core/log.h"
#include "hw_exporter/core/paths.h"

namespace hw_exporter {

class ProcessRunner;

// One domain of metrics (cpu, meminfo, hwmon, smartctl ...). A collector knows nothing of caching, HTTP or
// threads: Collect() reads its sources and returns fresh families, or throws with a message that says why not.
// It is called from one thread at a time.
class Collector {
 public:
  virtual ~Collector() = default;
  virtual Families Collect() = 0;

  // What the last Collect() left out while succeeding, one line each (a file it could not read, say), for
  // /cache/stats. Called from the thread that calls Collect(), after it.
  virtual std::vector<std::string> Problems() const { return {}; }

  // For a collector whose sources announce their changes (a directory watched with inotify): starts watching, and
  // calls `changed` from a thread of its own whenever one changes, so that its data is refreshed at once instead
  // of on its TTL. The watching ends with the collector. The default watches nothing.
  virtual void WatchSources(std::function<void()> changed) { (void)changed; }
};

// A collector-specific setting (an include regex, a probe's path ...): flag --collector.<name>.<option>,
// config key collectors.<name>.<option>. Values are strings; the collector parses and validates them.
struct CollectorOption {
  std::string name;
  std::string default_value;
  std::string help;
  // A list: the flag may be repeated and the config key is an array of strings. The collector gets the values
  // one per line (ListOption in src/collectors/collector_options.h); the default is the empty list.
  bool repeatable = false;
};

// Thrown by a factory for a bad option value; the config layer reports it with the field's name.
class CollectorOptionError : public std::runtime_error {
 public:
  CollectorOptionError(std::string option, const std::string& reason)
      : std::runtime_error(reason), option_(std::move(option)) {}
  const std::string& option() const { return option_; }

 private:
  std::string option_;
};

// What a factory gets to build its collector.
struct CollectorContext {
  const Paths& paths;
  // Every option the table declares for this collector, with its default where not set.
  const std::map<std::string, std::string>& options;
  // Shared by every collector that starts processes, so their total stays bounded.
  ProcessRunner& process_runner;
  // Collectors take the time and log only through these: tests move the clock, and every line carries
  // collector=<name>.
  Clock& clock = Clock::Real();
  log::Logger log;
  // The collector's slot in the family cache: its refresh period, how long a refresh may take (the cache fails a
  // longer one and discards its result), and how long its last good data is served.
  Duration ttl{};
  Duration timeout{};
  Duration max_staleness{};

  const std::string& Option(const std::string& name) const;
};

}  // namespace hw_exporter

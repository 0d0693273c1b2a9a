#pragma once

// Runs collectors as the daemon builds them (from their table row, with the row's default options) over a fixture
// tree laid out as node_exporter's is: <root>/proc, <root>/sys, <root>/udev/data, and <root> as the rootfs.

#include <map>
#include <string>

#include "hw_exporter/collectors/collector_table.h"
#include "hw_exporter/probe/process_runner.h"

namespace hw_exporter::testing {

inline Paths TreePaths(const std::string& root) {
  Paths paths;
  paths.procfs = root + "/proc";
  paths.sysfs = root + "/sys";
  paths.rootfs = root;
  paths.udev_data = root + "/udev/data";
  return paths;
}

// One Collect() of a fresh collector; throws what the factory or Collect() throw.
inline Families CollectFromTable(const CollectorInfo& info, const Paths& paths) {
  std::map<std::string, std::string> options;
  for (const CollectorOption& option : info.options) options[option.name] = option.default_value;
  ProcessRunner runner(1);
  const CollectorContext context{paths, options, runner, Clock::Real(), log::Logger({{"collector", info.name}})};
  return info.factory(context)->Collect();
}

}  // namespace hw_exporter::testing

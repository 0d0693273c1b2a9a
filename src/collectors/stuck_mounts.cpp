#include "stuck_mounts.h"

#include <map>

namespace hw_exporter {

StuckMounts::StuckMounts(StatFsFunction statfs, Duration timeout, const Clock& clock, log::Logger log)
    : statfs_(std::make_shared<const StatFsFunction>(std::move(statfs))),
      calls_("statfs", "the mount point", timeout, clock, std::move(log)) {}

bool StuckMounts::IsStuck(const std::string& path) const { return calls_.IsStuck(path); }

std::vector<std::optional<FilesystemUsage>> StuckMounts::StatAll(const std::vector<std::string>& paths) {
  std::map<std::string, std::optional<FilesystemUsage>> by_path;  // one call per distinct path
  for (const std::string& path : paths) {
    if (by_path.contains(path)) continue;
    by_path.emplace(path, Stat(path));
  }
  std::vector<std::optional<FilesystemUsage>> usages;
  usages.reserve(paths.size());
  for (const std::string& path : paths) usages.push_back(by_path.at(path));
  return usages;
}

std::optional<FilesystemUsage> StuckMounts::Stat(const std::string& path) {
  auto usage = std::make_shared<std::optional<FilesystemUsage>>();
  if (!calls_.Run(path, [statfs = statfs_, path, usage] { *usage = (*statfs)(path); })) return std::nullopt;
  return *usage;
}

}  // namespace hw_exporter

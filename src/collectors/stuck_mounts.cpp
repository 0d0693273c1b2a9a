#include "stuck_mounts.h"

#include <exception>
#include <limits>
#include <map>
#include <system_error>

namespace hw_exporter {

namespace {

// A call that throws counts as failed: the worker's thread must outlive it.
std::optional<FilesystemUsage> CallStatFs(const StatFsFunction& statfs, const std::string& path) {
  try {
    return statfs(path);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// Each stuck path holds one thread at most, since no second call is made on it: the mount points bound them.
constexpr std::size_t kNoBoundButTheMountPoints = std::numeric_limits<std::size_t>::max();

}  // namespace

StuckMounts::StuckMounts(StatFsFunction statfs, Duration timeout, const Clock& clock, log::Logger log)
    : statfs_(std::make_shared<const StatFsFunction>(std::move(statfs))),
      log_(std::move(log)),
      watch_("statfs", timeout, kNoBoundButTheMountPoints, clock) {}

std::vector<std::optional<FilesystemUsage>> StuckMounts::StatAll(const std::vector<std::string>& paths) {
  for (const std::string& path : watch_.TakeReturned())
    log_.Info("statfs returned; the mount point is watched again", {{"path", path}});
  using ByPath = std::map<std::string, std::optional<FilesystemUsage>>;
  for (;;) {
    auto by_path = std::make_shared<ByPath>();  // a run given up keeps its own
    std::optional<std::string> stuck;
    try {
      stuck = watch_.Run([by_path, paths, statfs = statfs_](const HangWatch::Calls& calls) {
        for (const std::string& path : paths) {
          auto [entry, first] = by_path->try_emplace(path);  // one call per distinct path
          if (first) calls.Make(path, [&, &usage = entry->second] { usage = CallStatFs(*statfs, path); });
        }
      });
    } catch (const std::system_error& error) {
      log_.Warn("cannot start a thread for statfs", {{"err", error.what()}});
      return std::vector<std::optional<FilesystemUsage>>(paths.size());
    }
    if (!stuck) {
      std::vector<std::optional<FilesystemUsage>> usages;
      usages.reserve(paths.size());
      for (const std::string& path : paths) usages.push_back(by_path->at(path));
      return usages;
    }
    log_.Warn("statfs did not return in time; the mount point is skipped until it does",
              {{"path", *stuck}, {"timeout", FormatDuration(watch_.timeout())}});
  }
}

}  // namespace hw_exporter

#include "stuck_mounts.h"

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <system_error>
#include <thread>

namespace hw_exporter {

struct StuckMounts::Call {
  bool done = false;
  std::optional<FilesystemUsage> usage;
};

// Shared with the calls' threads; one mutex guards it all, so a call cannot finish between the caller's check
// that it has not and its marking the path stuck.
struct StuckMounts::State {
  std::mutex mutex;
  std::condition_variable call_done;
  std::set<std::string> stuck;
};

StuckMounts::StuckMounts(StatFsFunction statfs, Duration timeout, const Clock& clock, log::Logger log)
    : statfs_(std::move(statfs)),
      timeout_(timeout),
      clock_(clock),
      log_(std::move(log)),
      state_(std::make_shared<State>()) {}

bool StuckMounts::IsStuck(const std::string& path) const {
  std::lock_guard lock(state_->mutex);
  return state_->stuck.contains(path);
}

std::vector<std::optional<FilesystemUsage>> StuckMounts::StatAll(const std::vector<std::string>& paths) {
  const Clock::SteadyTime deadline = clock_.Now() + timeout_;
  std::map<std::string, std::shared_ptr<Call>> calls;  // one per distinct path that is not stuck
  for (const std::string& path : paths) {
    if (calls.contains(path) || IsStuck(path)) continue;
    auto call = std::make_shared<Call>();
    try {
      std::thread([state = state_, statfs = statfs_, log = log_, call, path] {
        std::optional<FilesystemUsage> usage = statfs(path);
        std::lock_guard lock(state->mutex);
        call->usage = usage;
        call->done = true;
        if (state->stuck.erase(path) > 0) log.Info("statfs returned; the mount point is watched again", {{"path", path}});
        state->call_done.notify_all();
      }).detach();
    } catch (const std::system_error& error) {
      log_.Warn("cannot start a thread for statfs", {{"path", path}, {"err", error.what()}});
      call->done = true;
    }
    calls.emplace(path, std::move(call));
  }

  std::unique_lock lock(state_->mutex);
  auto all_done = [&] {
    for (const auto& [path, call] : calls) {
      if (!call->done) return false;
    }
    return true;
  };
  // The deadline is on the context's clock, which a test may move: wait in real time for what remains of it, and
  // look again.
  for (Clock::SteadyTime now = clock_.Now(); !all_done() && now < deadline; now = clock_.Now())
    state_->call_done.wait_for(lock, deadline - now);
  for (const auto& [path, call] : calls) {
    if (call->done) continue;
    state_->stuck.insert(path);
    log_.Warn("statfs did not return in time; the mount point is skipped until it does",
              {{"path", path}, {"timeout", FormatDuration(timeout_)}});
  }

  std::vector<std::optional<FilesystemUsage>> usages;
  usages.reserve(paths.size());
  for (const std::string& path : paths) {
    auto found = calls.find(path);
    usages.push_back(found != calls.end() && found->second->done ? found->second->usage : std::nullopt);
  }
  return usages;
}

}  // namespace hw_exporter

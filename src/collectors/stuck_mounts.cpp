#include "stuck_mounts.h"

#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <set>
#include <system_error>
#include <thread>

#include "hw_exporter/core/thread_registry.h"

namespace hw_exporter {

struct StuckMounts::StuckPaths {
  std::mutex mutex;
  std::set<std::string> paths;
};

// One thread that runs the statfs calls handed to it, one at a time. What the thread uses is shared with it, not
// owned by this object, so that a worker whose call hangs can be given up: its thread is detached, and ends when
// the call returns, after unmarking the stuck path.
class StuckMounts::Worker {
 public:
  struct Result {
    bool returned = false;
    std::optional<FilesystemUsage> usage;  // nullopt when the call failed
  };

  // Throws std::system_error when no thread can be started.
  Worker(StatFsFunction statfs, std::shared_ptr<StuckPaths> stuck, log::Logger log)
      : shared_(std::make_shared<Shared>()),
        stuck_(stuck),
        log_(log),
        thread_(Run, shared_, std::move(statfs), std::move(stuck), std::move(log)) {}

  ~Worker() {
    if (!thread_.joinable()) return;  // given up
    {
      std::lock_guard lock(shared_->mutex);
      shared_->stop = true;
    }
    shared_->changed.notify_all();
    thread_.join();
  }

  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Runs statfs on the path and waits for it until the timeout has passed on the clock. A call that does not
  // return by then marks the path stuck and gives the worker up: destroy it and start another.
  Result Call(const std::string& path, const Clock& clock, Duration timeout) {
    // Taken before the call is handed over, so that whatever the call does to the clock counts.
    const Clock::SteadyTime deadline = clock.Now() + timeout;
    std::unique_lock lock(shared_->mutex);
    shared_->path = path;
    shared_->returned = false;
    shared_->changed.notify_all();
    // The clock may be one a test moves: wait in real time for what remains of the deadline, then look again.
    for (Clock::SteadyTime now = clock.Now(); !shared_->returned && now < deadline; now = clock.Now())
      shared_->changed.wait_for(lock, deadline - now);
    if (shared_->returned) return {true, std::move(shared_->usage)};

    // Under the worker's mutex, so that the call cannot return between this check and the marking.
    shared_->given_up = true;
    {
      std::lock_guard stuck_lock(stuck_->mutex);
      stuck_->paths.insert(path);
    }
    log_.Warn("statfs did not return in time; the mount point is skipped until it does",
              {{"path", path}, {"timeout", FormatDuration(timeout)}});
    lock.unlock();
    thread_.detach();
    return {};
  }

 private:
  struct Shared {
    std::mutex mutex;
    std::condition_variable changed;  // a call handed over or returned, or stop
    std::optional<std::string> path;  // the call to run, until it returns
    bool returned = false;
    std::optional<FilesystemUsage> usage;
    bool given_up = false;
    bool stop = false;
  };

  static void Run(std::shared_ptr<Shared> shared, StatFsFunction statfs, std::shared_ptr<StuckPaths> stuck,
                  log::Logger log) {
    NameThisThread("statfs");
    std::unique_lock lock(shared->mutex);
    for (;;) {
      shared->changed.wait(lock, [&] { return shared->stop || shared->path; });
      if (shared->stop) return;
      const std::string path = *shared->path;
      lock.unlock();
      std::optional<FilesystemUsage> usage = CallStatFs(statfs, path);
      lock.lock();
      shared->path.reset();
      shared->usage = std::move(usage);
      shared->returned = true;
      if (shared->given_up) {
        std::lock_guard stuck_lock(stuck->mutex);
        stuck->paths.erase(path);
        log.Info("statfs returned; the mount point is watched again", {{"path", path}});
        return;
      }
      shared->changed.notify_all();
    }
  }

  // A call that throws counts as failed: the thread must outlive it.
  static std::optional<FilesystemUsage> CallStatFs(const StatFsFunction& statfs, const std::string& path) {
    try {
      return statfs(path);
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }

  std::shared_ptr<Shared> shared_;
  std::shared_ptr<StuckPaths> stuck_;
  log::Logger log_;
  std::thread thread_;  // last: it starts with the members above in place
};

StuckMounts::StuckMounts(StatFsFunction statfs, Duration timeout, const Clock& clock, log::Logger log)
    : statfs_(std::move(statfs)),
      timeout_(timeout),
      clock_(clock),
      log_(std::move(log)),
      stuck_(std::make_shared<StuckPaths>()) {}

StuckMounts::~StuckMounts() = default;

bool StuckMounts::IsStuck(const std::string& path) const {
  std::lock_guard lock(stuck_->mutex);
  return stuck_->paths.contains(path);
}

std::vector<std::optional<FilesystemUsage>> StuckMounts::StatAll(const std::vector<std::string>& paths) {
  std::map<std::string, std::optional<FilesystemUsage>> by_path;  // one call per distinct path
  for (const std::string& path : paths) {
    if (by_path.contains(path)) continue;
    by_path.emplace(path, IsStuck(path) ? std::nullopt : Stat(path));
  }
  std::vector<std::optional<FilesystemUsage>> usages;
  usages.reserve(paths.size());
  for (const std::string& path : paths) usages.push_back(by_path.at(path));
  return usages;
}

std::optional<FilesystemUsage> StuckMounts::Stat(const std::string& path) {
  if (!worker_) {
    try {
      worker_ = std::make_unique<Worker>(statfs_, stuck_, log_);
    } catch (const std::system_error& error) {
      log_.Warn("cannot start a thread for statfs", {{"path", path}, {"err", error.what()}});
      return std::nullopt;
    }
  }
  Worker::Result result = worker_->Call(path, clock_, timeout_);
  if (!result.returned) worker_.reset();  // given up: a fresh worker takes the next call
  return result.usage;
}

}  // namespace hw_exporter

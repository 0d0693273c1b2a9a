#include "stuck_mounts.h"

#include <condition_variable>
#include <exception>
#include <functional>
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

// One thread that runs the statfs calls handed to it in a batch, one after another: a batch costs one hand-over
// and one wake of the caller, however many mount points it holds. What the thread uses is shared with it, not owned
// by this object, so that a worker whose call hangs can be given up: its thread is detached, and ends when the call
// returns, after unmarking the stuck path.
class StuckMounts::Worker {
 public:
  struct Results {
    std::vector<std::optional<FilesystemUsage>> usages;  // of the calls that returned, in order; nullopt: failed
    bool hung = false;                                   // the call after them hung, and those after it were not made
  };

  // Throws std::system_error when no thread can be started.
  Worker(StatFsFunction statfs, std::shared_ptr<StuckPaths> stuck, const Clock& clock, log::Logger log)
      : shared_(std::make_shared<Shared>()),
        stuck_(stuck),
        clock_(clock),
        log_(log),
        thread_(Run, shared_, std::move(statfs), std::move(stuck), std::cref(clock), std::move(log)) {}

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

  // Runs statfs on each path in turn, and waits until the last returns or one has lasted the timeout on the clock.
  // That one marks its path stuck and gives the worker up: destroy it, and start another for the paths after it.
  Results CallAll(std::vector<std::string> paths, Duration timeout) {
    std::unique_lock lock(shared_->mutex);
    shared_->paths = std::move(paths);
    shared_->usages.clear();
    shared_->batch = true;
    lock.unlock();
    shared_->changed.notify_all();  // unlocked, so that the worker it wakes does not wait again for the lock
    lock.lock();
    // Calls do not announce themselves (that would cost each a wake-up): look at the one under way when it will
    // have lasted the timeout. The clock may be one a test moves: wait in real time, then look again.
    for (;;) {
      if (!shared_->batch) return {std::move(shared_->usages), false};
      const Clock::SteadyTime now = clock_.Now();
      if (shared_->calling && now - shared_->call_started >= timeout) break;
      shared_->changed.wait_for(lock, shared_->calling ? shared_->call_started + timeout - now : timeout);
    }
    // Under the worker's mutex, so that the call cannot return between the check and the marking.
    shared_->given_up = true;
    const std::string& path = shared_->paths[shared_->usages.size()];
    {
      std::lock_guard stuck_lock(stuck_->mutex);
      stuck_->paths.insert(path);
    }
    log_.Warn("statfs did not return in time; the mount point is skipped until it does",
              {{"path", path}, {"timeout", FormatDuration(timeout)}});
    Results results{std::move(shared_->usages), true};
    lock.unlock();
    thread_.detach();
    return results;
  }

 private:
  struct Shared {
    std::mutex mutex;
    std::condition_variable changed;  // a batch handed over or ended, or stop
    std::vector<std::string> paths;   // the batch
    std::vector<std::optional<FilesystemUsage>> usages;
    bool batch = false;    // handed over, and not ended
    bool calling = false;  // a call is under way: that of paths[usages.size()]
    Clock::SteadyTime call_started;
    bool given_up = false;
    bool stop = false;
  };

  static void Run(std::shared_ptr<Shared> shared, StatFsFunction statfs, std::shared_ptr<StuckPaths> stuck,
                  const Clock& clock, log::Logger log) {
    NameThisThread("statfs");
    std::unique_lock lock(shared->mutex);
    for (;;) {
      shared->changed.wait(lock, [&] { return shared->stop || shared->batch; });
      if (shared->stop) return;
      while (shared->usages.size() < shared->paths.size()) {
        const std::string path = shared->paths[shared->usages.size()];
        shared->calling = true;
        shared->call_started = clock.Now();
        lock.unlock();
        std::optional<FilesystemUsage> usage = CallStatFs(statfs, path);
        lock.lock();
        shared->calling = false;
        if (shared->given_up) {  // touches nothing but what it owns: the clock may be gone
          std::lock_guard stuck_lock(stuck->mutex);
          stuck->paths.erase(path);
          log.Info("statfs returned; the mount point is watched again", {{"path", path}});
          return;
        }
        shared->usages.push_back(std::move(usage));
      }
      shared->batch = false;
      lock.unlock();
      shared->changed.notify_all();
      lock.lock();
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
  const Clock& clock_;
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
  std::vector<std::string> calls;
  for (const std::string& path : paths) {
    if (by_path.try_emplace(path).second && !IsStuck(path)) calls.push_back(path);
  }
  for (std::size_t made = 0; made < calls.size() && StartWorker(calls[made]);) {
    Worker::Results results = worker_->CallAll({calls.begin() + made, calls.end()}, timeout_);
    for (std::optional<FilesystemUsage>& usage : results.usages) by_path[calls[made++]] = std::move(usage);
    if (!results.hung) break;
    worker_.reset();  // given up: a fresh worker makes the calls after the one that hung
    ++made;
  }
  std::vector<std::optional<FilesystemUsage>> usages;
  usages.reserve(paths.size());
  for (const std::string& path : paths) usages.push_back(by_path.at(path));
  return usages;
}

bool StuckMounts::StartWorker(const std::string& path) {
  if (worker_) return true;
  try {
    worker_ = std::make_unique<Worker>(statfs_, stuck_, clock_, log_);
    return true;
  } catch (const std::system_error& error) {
    log_.Warn("cannot start a thread for statfs", {{"path", path}, {"err", error.what()}});
    return false;
  }
}

}  // namespace hw_exporter

#include "deadline_calls.h"

#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <set>
#include <system_error>
#include <thread>

namespace hw_exporter {

struct DeadlineCalls::StuckPaths {
  std::mutex mutex;
  std::set<std::string> paths;
};

// One thread that runs the calls handed to it, one at a time. What the thread uses is shared with it, not owned
// by this object, so that a worker whose call hangs can be given up: its thread is detached, and ends when the call
// returns, after unmarking the stuck path.
class DeadlineCalls::Worker {
 public:
  // Throws std::system_error when no thread can be started.
  Worker(std::shared_ptr<StuckPaths> stuck, std::string call_name, std::string subject, log::Logger log)
      : shared_(std::make_shared<Shared>()),
        stuck_(stuck),
        call_name_(call_name),
        subject_(subject),
        log_(log),
        thread_(Run, shared_, std::move(stuck), std::move(call_name), std::move(subject), std::move(log)) {}

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

  // Runs call and waits for it until the timeout has passed on the clock: true when it returned without throwing.
  // A call that does not return by then marks the path stuck and gives the worker up: destroy it and start
  // another. *returned says which.
  bool Call(const std::string& path, std::function<void()> call, const Clock& clock, Duration timeout, bool* returned) {
    // Taken before the call is handed over, so that whatever the call does to the clock counts.
    const Clock::SteadyTime deadline = clock.Now() + timeout;
    std::unique_lock lock(shared_->mutex);
    shared_->path = path;
    shared_->call = std::move(call);
    shared_->returned = false;
    shared_->changed.notify_all();
    // The clock may be one a test moves: wait in real time for what remains of the deadline, then look again.
    for (Clock::SteadyTime now = clock.Now(); !shared_->returned && now < deadline; now = clock.Now())
      shared_->changed.wait_for(lock, deadline - now);
    *returned = shared_->returned;
    if (shared_->returned) return shared_->succeeded;

    // Under the worker's mutex, so that the call cannot return between this check and the marking.
    shared_->given_up = true;
    {
      std::lock_guard stuck_lock(stuck_->mutex);
      stuck_->paths.insert(path);
    }
    log_.Warn(call_name_ + " did not return in time; " + subject_ + " is skipped until it does",
              {{"path", path}, {"timeout", FormatDuration(timeout)}});
    lock.unlock();
    thread_.detach();
    return false;
  }

 private:
  struct Shared {
    std::mutex mutex;
    std::condition_variable changed;  // a call handed over or returned, or stop
    std::optional<std::string> path;  // the path of the call to run, until it returns
    std::function<void()> call;
    bool returned = false;
    bool succeeded = false;
    bool given_up = false;
    bool stop = false;
  };

  static void Run(std::shared_ptr<Shared> shared, std::shared_ptr<StuckPaths> stuck, std::string call_name,
                  std::string subject, log::Logger log) {
    std::unique_lock lock(shared->mutex);
    for (;;) {
      shared->changed.wait(lock, [&] { return shared->stop || shared->path; });
      if (shared->stop) return;
      const std::string path = *shared->path;
      std::function<void()> call = std::move(shared->call);
      lock.unlock();
      const bool succeeded = CallCatching(call);
      lock.lock();
      shared->path.reset();
      shared->succeeded = succeeded;
      shared->returned = true;
      if (shared->given_up) {
        std::lock_guard stuck_lock(stuck->mutex);
        stuck->paths.erase(path);
        log.Info(call_name + " returned; " + subject + " is watched again", {{"path", path}});
        return;
      }
      shared->changed.notify_all();
    }
  }

  // A call that throws counts as failed: the thread must outlive it.
  static bool CallCatching(const std::function<void()>& call) {
    try {
      call();
      return true;
    } catch (const std::exception&) {
      return false;
    }
  }

  std::shared_ptr<Shared> shared_;
  std::shared_ptr<StuckPaths> stuck_;
  std::string call_name_;
  std::string subject_;
  log::Logger log_;
  std::thread thread_;  // last: it starts with the members above in place
};

DeadlineCalls::DeadlineCalls(std::string call_name, std::string subject, Duration timeout, const Clock& clock,
                             log::Logger log)
    : call_name_(std::move(call_name)),
      subject_(std::move(subject)),
      timeout_(timeout),
      clock_(clock),
      log_(std::move(log)),
      stuck_(std::make_shared<StuckPaths>()) {}

DeadlineCalls::~DeadlineCalls() = default;

bool DeadlineCalls::IsStuck(const std::string& path) const {
  std::lock_guard lock(stuck_->mutex);
  return stuck_->paths.contains(path);
}

bool DeadlineCalls::Run(const std::string& path, std::function<void()> call) {
  if (IsStuck(path)) return false;
  if (!worker_) {
    try {
      worker_ = std::make_unique<Worker>(stuck_, call_name_, subject_, log_);
    } catch (const std::system_error& error) {
      log_.Warn("cannot start a thread for " + call_name_, {{"path", path}, {"err", error.what()}});
      return false;
    }
  }
  bool returned = false;
  const bool succeeded = worker_->Call(path, std::move(call), clock_, timeout_, &returned);
  if (!returned) worker_.reset();  // given up: a fresh worker takes the next call
  return succeeded;
}

}  // namespace hw_exporter

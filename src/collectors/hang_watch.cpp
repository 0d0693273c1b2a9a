#include "hang_watch.h"

#include <condition_variable>
#include <exception>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <utility>

#include "hw_exporter/core/thread_registry.h"

namespace hw_exporter {

struct HangWatch::HungKeys {
  mutable std::mutex mutex;
  std::set<std::string> keys;
  std::vector<std::string> returned;  // since the last TakeReturned
};

// One thread that runs the jobs handed to it, one at a time, and shows which call it is in. What the thread uses
// is shared with it, not owned by this object, so that a worker whose call hangs can be given up: its thread is
// detached, and ends when the call returns, after unmarking the hung key.
class HangWatch::Worker {
 public:
  // Throws std::system_error when no thread can be started.
  Worker(const std::string& thread_name, std::shared_ptr<HungKeys> hung, const Clock& clock)
      : shared_(std::make_shared<Shared>(std::move(hung), clock)), thread_(Loop, shared_, thread_name) {}

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

  // Runs the job and waits until it ends (rethrowing what it threw) or until one of its calls has lasted the
  // timeout on the clock. Returns the key of that call, marked hung; the worker is then given up: destroy it.
  std::optional<std::string> Run(const Job& job, Duration timeout) {
    std::unique_lock lock(shared_->mutex);
    shared_->job = job;
    shared_->ended = false;
    shared_->error = nullptr;
    lock.unlock();
    shared_->changed.notify_all();  // unlocked, so that the worker it wakes does not wait again for the lock
    lock.lock();
    // Calls do not announce themselves (that would cost each a wake-up): look at the one under way once per
    // timeout, or when it will have lasted the timeout. The clock may be one a test moves: wait in real time, then
    // look again.
    for (;;) {
      if (shared_->ended) {
        if (shared_->error) std::rethrow_exception(shared_->error);
        return std::nullopt;
      }
      const Clock::SteadyTime now = shared_->clock.Now();
      if (shared_->calling && now - shared_->call_started >= timeout) break;
      shared_->changed.wait_for(lock, shared_->calling ? shared_->call_started + timeout - now : timeout);
    }
    // Under the worker's mutex, so that the call cannot return between the check and the marking.
    shared_->given_up = true;
    std::string key = *shared_->calling;
    {
      std::lock_guard hung_lock(shared_->hung->mutex);
      shared_->hung->keys.insert(key);
    }
    lock.unlock();
    thread_.detach();
    return key;
  }

 private:
  struct Shared final : Calls {
    Shared(std::shared_ptr<HungKeys> h, const Clock& c) : hung(std::move(h)), clock(c) {}

    bool Make(const std::string& key, const std::function<void()>& call) const override {
      {
        std::lock_guard hung_lock(hung->mutex);
        if (hung->keys.contains(key)) return false;
      }
      {
        std::lock_guard lock(mutex);
        if (given_up) return false;
        calling = &key;
        call_started = clock.Now();
      }
      call();
      std::lock_guard lock(mutex);
      calling = nullptr;
      if (!given_up) return true;
      // The call that hung, returned: it touches nothing but what the thread owns, since the clock may be gone.
      std::lock_guard hung_lock(hung->mutex);
      hung->keys.erase(key);
      hung->returned.push_back(key);
      return false;
    }

    const std::shared_ptr<HungKeys> hung;
    const Clock& clock;  // read only while the worker is not given up
    mutable std::mutex mutex;
    std::condition_variable changed;  // a job handed over or ended, or stop
    std::optional<Job> job;
    bool ended = false;
    std::exception_ptr error;                      // what the job threw
    mutable const std::string* calling = nullptr;  // the key of the call under way (Make's argument)
    mutable Clock::SteadyTime call_started;
    bool given_up = false;
    bool stop = false;
  };

  static void Loop(std::shared_ptr<Shared> shared, std::string thread_name) {
    NameThisThread(thread_name);
    std::unique_lock lock(shared->mutex);
    for (;;) {
      shared->changed.wait(lock, [&] { return shared->stop || shared->job; });
      if (shared->stop) return;
      Job job = std::move(*shared->job);
      shared->job.reset();
      lock.unlock();
      std::exception_ptr error;
      try {
        job(*shared);
      } catch (...) {
        error = std::current_exception();  // Run's to rethrow: the thread must outlive it
      }
      lock.lock();
      if (shared->given_up) return;
      shared->error = error;
      shared->ended = true;
      lock.unlock();
      shared->changed.notify_all();
      lock.lock();
    }
  }

  std::shared_ptr<Shared> shared_;
  std::thread thread_;  // last: it starts with the members above in place
};

HangWatch::HangWatch(std::string thread_name, Duration timeout, std::size_t max_hung, const Clock& clock)
    : thread_name_(std::move(thread_name)),
      timeout_(timeout),
      max_hung_(max_hung),
      clock_(clock),
      hung_(std::make_shared<HungKeys>()) {}

HangWatch::~HangWatch() = default;

std::optional<std::string> HangWatch::Run(const Job& job) {
  if (Hung().size() >= max_hung_) {
    throw std::runtime_error(std::to_string(max_hung_) +
                             " calls hang, each holding a thread; no other is started until one returns");
  }
  if (!worker_) worker_ = std::make_unique<Worker>(thread_name_, hung_, clock_);
  std::optional<std::string> hung_key = worker_->Run(job, timeout_);
  if (hung_key) worker_.reset();  // given up: a fresh worker runs the next job
  return hung_key;
}

std::vector<std::string> HangWatch::Hung() const {
  std::lock_guard lock(hung_->mutex);
  return {hung_->keys.begin(), hung_->keys.end()};
}

std::vector<std::string> HangWatch::TakeReturned() {
  std::lock_guard lock(hung_->mutex);
  return std::exchange(hung_->returned, {});
}

}  // namespace hw_exporter

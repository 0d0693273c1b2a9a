#include "deadline_reader.h"
#include "hw_exporter/core/thread_registry.h"

#include <cerrno>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>

namespace hw_exporter {

struct DeadlineReader::Hung {
  mutable std::mutex mutex;
  std::set<std::string> paths;
  // Paths whose hung read has returned since the last Run, which logs them: a thread given up logs nothing, so
  // that one whose read returns while the process exits touches nothing but what it owns.
  std::vector<std::string> returned;
};

namespace {

std::optional<std::string> TimedOut(int* error_number) {
  if (error_number) *error_number = ETIMEDOUT;
  return std::nullopt;
}

}  // namespace

// One thread that runs the collections handed to it, one at a time, and shows which read it is in. What the
// thread uses is shared with it, not owned by this object, so that a worker whose read hangs can be given up: its
// thread is detached, and ends when the read returns, after unmarking the hung path.
class DeadlineReader::Worker {
 public:
  // Throws std::system_error when no thread can be started.
  Worker(sysfs::FileReader read_file, std::shared_ptr<Hung> hung, const Clock& clock)
      : shared_(std::make_shared<Shared>()),
        hung_(hung),
        clock_(clock),
        thread_(Loop, shared_, BoundedReader(shared_, std::move(read_file), std::move(hung), clock)) {}

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

  // Runs the collection and waits until it ends (rethrowing what it threw) or until one of its reads has lasted
  // the timeout on the clock. Returns the path of that read, marked hung; the worker is then given up: destroy it.
  std::optional<std::string> Run(const Collection& collection, Duration timeout) {
    std::unique_lock lock(shared_->mutex);
    shared_->collection = collection;
    shared_->ended = false;
    shared_->error = nullptr;
    lock.unlock();
    shared_->changed.notify_all();  // unlocked, so that the worker it wakes does not wait again for the lock
    lock.lock();
    // Reads do not announce themselves (that would cost every read a wake-up): look at the one under way once per
    // timeout, or when it will have lasted the timeout. The clock may be one a test moves: wait in real time, then
    // look again.
    for (;;) {
      if (shared_->ended) {
        if (shared_->error) std::rethrow_exception(shared_->error);
        return std::nullopt;
      }
      const Clock::SteadyTime now = clock_.Now();
      if (shared_->reading && now - shared_->read_started >= timeout) break;
      shared_->changed.wait_for(lock, shared_->reading ? shared_->read_started + timeout - now : timeout);
    }
    // Under the worker's mutex, so that the read cannot return between the check and the marking.
    shared_->given_up = true;
    std::string path = *shared_->reading;
    {
      std::lock_guard hung_lock(hung_->mutex);
      hung_->paths.insert(path);
    }
    lock.unlock();
    thread_.detach();
    return path;
  }

 private:
  struct Shared {
    std::mutex mutex;
    std::condition_variable changed;  // a collection handed over or ended, or stop
    std::optional<Collection> collection;
    bool ended = false;
    std::exception_ptr error;              // what the collection threw
    const std::string* reading = nullptr;  // the path of the read under way (the reader's argument)
    Clock::SteadyTime read_started;
    bool given_up = false;
    bool stop = false;
  };

  // The reader the collection is given: each read shows itself to Run while it lasts. A hung path fails at once,
  // and so does every read of a collection given up, so that it ends quickly once its hung read returns.
  static sysfs::FileReader BoundedReader(std::shared_ptr<Shared> shared, sysfs::FileReader read_file,
                                         std::shared_ptr<Hung> hung, const Clock& clock) {
    return [shared, read_file, hung, &clock](const std::string& path, int* error_number) {
      {
        std::lock_guard hung_lock(hung->mutex);
        if (hung->paths.contains(path)) return TimedOut(error_number);
      }
      {
        std::lock_guard lock(shared->mutex);
        if (shared->given_up) return TimedOut(error_number);
        shared->reading = &path;
        shared->read_started = clock.Now();
      }
      std::optional<std::string> contents = read_file(path, error_number);
      std::lock_guard lock(shared->mutex);
      shared->reading = nullptr;
      if (!shared->given_up) return contents;
      std::lock_guard hung_lock(hung->mutex);
      hung->paths.erase(path);
      hung->returned.push_back(path);
      return TimedOut(error_number);
    };
  }

  static void Loop(std::shared_ptr<Shared> shared, sysfs::FileReader bounded) {
    NameThisThread("hwmon-read");
    std::unique_lock lock(shared->mutex);
    for (;;) {
      shared->changed.wait(lock, [&] { return shared->stop || shared->collection; });
      if (shared->stop) return;
      Collection collection = std::move(*shared->collection);
      shared->collection.reset();
      lock.unlock();
      std::exception_ptr error;
      try {
        collection(bounded);
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
  std::shared_ptr<Hung> hung_;
  const Clock& clock_;
  std::thread thread_;  // last: it starts with the members above in place
};

DeadlineReader::DeadlineReader(sysfs::FileReader read_file, Duration timeout, const Clock& clock, log::Logger log)
    : read_file_(std::move(read_file)),
      timeout_(timeout),
      clock_(clock),
      log_(std::move(log)),
      hung_(std::make_shared<Hung>()) {}

DeadlineReader::~DeadlineReader() = default;

bool DeadlineReader::Run(const Collection& collection) {
  if (HungPaths().size() >= kMaxHungReads) {
    throw std::runtime_error(std::to_string(kMaxHungReads) +
                             " file reads hang, each holding a thread; no other is started until one returns");
  }
  LogReturnedReads();
  if (!worker_) worker_ = std::make_unique<Worker>(read_file_, hung_, clock_);
  std::optional<std::string> hung_path = worker_->Run(collection, timeout_);
  if (!hung_path) return true;
  worker_.reset();  // given up: a fresh worker runs the next collection
  log_.Warn("a file read did not return in time; the file is skipped until it does",
            {{"path", *hung_path}, {"timeout", FormatDuration(timeout_)}});
  return false;
}

void DeadlineReader::LogReturnedReads() {
  std::vector<std::string> returned;
  {
    std::lock_guard lock(hung_->mutex);
    returned.swap(hung_->returned);
  }
  for (const std::string& path : returned)
    log_.Info("a file whose read hung returned; it is read again", {{"path", path}});
}

std::vector<std::string> DeadlineReader::HungPaths() const {
  std::lock_guard lock(hung_->mutex);
  return {hung_->paths.begin(), hung_->paths.end()};
}

}  // namespace hw_exporter

#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hw_exporter/core/clock.h"
#include "hw_exporter/core/duration.h"

namespace hw_exporter {

// Runs jobs whose every blocking call is bounded in time. A call into the kernel that never returns (a sysfs read
// from a stuck I2C bus, a statfs on a dead NFS server) blocks its thread where nothing can interrupt it. So a job
// runs on a worker thread, and the caller watches the call under way: one that outlasts the timeout marks its key
// (the file or mount point it is for) hung and gives the worker up; that thread ends by itself when the call
// returns. The caller then runs the job again from its start, and on a fresh worker a call for a hung key fails at
// once: one hung file costs its own data, not the job's. While nothing hangs, one thread runs every job: a job is
// one hand-over and one wake of the caller, and a call costs two uncontended locks and a look at the clock.
class HangWatch {
 public:
  // What a job makes its bounded calls through.
  class Calls {
   public:
    // Makes the call and returns true; or returns false without making it while `key` is hung, and also when the
    // job was given up, so that a job given up ends quickly once its hung call returns.
    virtual bool Make(const std::string& key, const std::function<void()>& call) const = 0;

   protected:
    ~Calls() = default;
  };

  // A job may outlive Run (when a call of its hangs), so it must own what it touches, its output included:
  // capture by value, and give each run an output of its own.
  using Job = std::function<void(const Calls& calls)>;

  // thread_name: the workers' (for /debug/pprof/threads and `top -H`). While max_hung calls hang, each holding a
  // thread, Run fails instead of starting yet another.
  HangWatch(std::string thread_name, Duration timeout, std::size_t max_hung, const Clock& clock);
  // Joins the worker; one given up was detached, and owns what it uses.
  ~HangWatch();
  HangWatch(const HangWatch&) = delete;
  HangWatch& operator=(const HangWatch&) = delete;

  // Runs the job to its end and returns nullopt, or returns the key of the call that hung: that key is marked hung
  // and the job given up; run it again to make every other call. Rethrows what the job threw. Throws
  // std::runtime_error while max_hung calls hang, and std::system_error when no thread can be started.
  std::optional<std::string> Run(const Job& job);

  // How long a call may last before it counts as hung.
  Duration timeout() const { return timeout_; }

  // The keys whose call hung and has not returned yet, sorted.
  std::vector<std::string> Hung() const;
  // The keys whose hung call has returned since the last look, for the caller to log: a thread given up logs
  // nothing, so that one whose call returns while the process exits touches nothing but what it owns.
  std::vector<std::string> TakeReturned();

 private:
  class Worker;
  struct HungKeys;

  std::string thread_name_;
  Duration timeout_;
  std::size_t max_hung_;
  const Clock& clock_;
  std::shared_ptr<HungKeys> hung_;  // shared with the given-up workers, which unmark their key when it returns
  std::unique_ptr<Worker> worker_;  // started on first use, and again after one is given up
};

}  // namespace hw_exporter

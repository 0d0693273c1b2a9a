#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace hw_exporter {

// A fixed set of threads that run the tasks of one refresh side by side (the probes of every disk, say), started
// with the first batch and kept: a refresh starts no thread, and the thread count never moves.
class TaskPool {
 public:
  explicit TaskPool(std::size_t threads);
  // Joins the threads; a task under way is waited for.
  ~TaskPool();
  TaskPool(const TaskPool&) = delete;
  TaskPool& operator=(const TaskPool&) = delete;

  // Runs every task and returns once all have ended, running them on the pool's threads, as many at once as it
  // has. Tasks must not throw. Throws std::system_error when the threads cannot be started.
  void RunAll(std::vector<std::function<void()>> tasks);

 private:
  void Work();

  std::size_t size_;
  std::mutex mutex_;
  std::condition_variable changed_;  // a task queued or ended, or stop
  std::deque<std::function<void()>> queued_;
  std::size_t unfinished_ = 0;  // queued or running
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace hw_exporter

#include "task_pool.h"

#include <algorithm>

#include "hw_exporter/core/thread_registry.h"

namespace hw_exporter {

TaskPool::TaskPool(std::size_t threads) : size_(std::max<std::size_t>(threads, 1)) {}

TaskPool::~TaskPool() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  for (std::thread& thread : threads_) thread.join();
}

void TaskPool::RunAll(std::vector<std::function<void()>> tasks) {
  while (threads_.size() < size_) threads_.emplace_back(&TaskPool::Work, this);
  std::unique_lock lock(mutex_);
  unfinished_ += tasks.size();
  for (auto& task : tasks) queued_.push_back(std::move(task));
  changed_.notify_all();
  changed_.wait(lock, [&] { return unfinished_ == 0; });
}

void TaskPool::Work() {
  NameThisThread("task-pool");
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return stop_ || !queued_.empty(); });
    if (stop_) return;
    std::function<void()> task = std::move(queued_.front());
    queued_.pop_front();
    lock.unlock();
    task();
    lock.lock();
    if (--unfinished_ == 0) changed_.notify_all();
  }
}

}  // namespace hw_exporter

#include "collectors/task_pool.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

namespace hw_exporter {
namespace {

using namespace std::chrono_literals;

// Tasks that each wait until `expected` of them run at once: they end only if the pool runs them side by side
// (each gives up after a generous while, so that a pool that does not fails instead of hanging).
struct Meeting {
  std::mutex mutex;
  std::condition_variable changed;
  int arrived = 0;
  int most_at_once = 0;
  int running = 0;

  void Attend(int expected) {
    std::unique_lock lock(mutex);
    ++arrived;
    most_at_once = std::max(most_at_once, ++running);
    changed.notify_all();
    changed.wait_for(lock, 30s, [&] { return arrived >= expected; });
    --running;
  }
};

TEST(TaskPool, RunsTasksSideBySideAndReturnsWhenAllHaveEnded) {
  TaskPool pool(3);
  Meeting meeting;
  std::vector<std::function<void()>> tasks(3, [&] { meeting.Attend(3); });
  pool.RunAll(std::move(tasks));
  EXPECT_EQ(meeting.arrived, 3);
  EXPECT_EQ(meeting.running, 0) << "RunAll returned before every task had ended";
  EXPECT_EQ(meeting.most_at_once, 3);
}

TEST(TaskPool, NeverRunsMoreTasksAtOnceThanItHasThreadsAndKeepsItsThreads) {
  TaskPool pool(2);
  std::mutex mutex;
  std::set<std::thread::id> threads;
  std::atomic<int> running{0}, most{0}, done{0};
  for (int batch = 0; batch < 3; ++batch) {
    std::vector<std::function<void()>> tasks;
    for (int i = 0; i < 10; ++i) {
      tasks.push_back([&] {
        most = std::max(most.load(), ++running);
        {
          std::lock_guard lock(mutex);
          threads.insert(std::this_thread::get_id());
        }
        std::this_thread::sleep_for(1ms);
        --running;
        ++done;
      });
    }
    pool.RunAll(std::move(tasks));
  }
  EXPECT_EQ(done, 30);
  EXPECT_LE(most, 2);
  EXPECT_LE(threads.size(), 2u) << "a batch started threads of its own";
}

TEST(TaskPool, AnEmptyBatchReturnsAtOnce) {
  TaskPool pool(2);
  pool.RunAll({});
}

}  // namespace
}  // namespace hw_exporter

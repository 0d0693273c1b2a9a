#include "hw_exporter/diagnostics/thread_report.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "hw_exporter/core/thread_registry.h"

namespace hw_exporter {
namespace {

// A thread that names itself, says what it does, and waits until told to end.
class BusyThread {
 public:
  BusyThread() {
    thread_ = std::thread([this] {
      NameThisThread("refresh:a-very-long-collector-name");
      Activity activity("refreshing", {"smartctl", " on ", "/dev/sda"});
      std::unique_lock lock(mutex_);
      tid_ = gettid();
      changed_.notify_all();
      changed_.wait(lock, [this] { return stop_; });
    });
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return tid_ != 0; });
  }
  ~BusyThread() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }
  pid_t tid() const { return tid_; }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool stop_ = false;
  pid_t tid_ = 0;
  std::thread thread_;
};

const ThreadReport* Find(const std::vector<ThreadReport>& threads, pid_t tid) {
  for (const ThreadReport& thread : threads)
    if (thread.tid == tid) return &thread;
  return nullptr;
}

TEST(ThreadReport, ShowsEachThreadsNameAndWhatItDoes) {
  BusyThread busy;
  const std::vector<ThreadReport> threads = ListThreads();
  const ThreadReport* thread = Find(threads, busy.tid());
  ASSERT_NE(thread, nullptr);
  EXPECT_EQ(thread->name, "refresh:a-very-");  // the kernel keeps 15 bytes
  EXPECT_TRUE(thread->registered);
  EXPECT_EQ(thread->doing, "refreshing smartctl on /dev/sda");
  EXPECT_NE(thread->state, '?');
  const ThreadReport* main = Find(threads, getpid());
  ASSERT_NE(main, nullptr);
  EXPECT_FALSE(main->registered);  // this test's main thread never registered
  const std::string text = ThreadsText(threads);
  EXPECT_NE(text.find(std::to_string(busy.tid()) + " refresh:a-very- "), std::string::npos) << text;
  EXPECT_NE(text.find("refreshing smartctl on /dev/sda for "), std::string::npos) << text;
  EXPECT_NE(text.find("(not registered)"), std::string::npos) << text;
}

TEST(ThreadReport, AnIdleThreadSaysSoAndAnEndedOneIsGone) {
  pid_t tid = 0;
  {
    std::mutex mutex;
    std::condition_variable changed;
    bool stop = false;
    std::thread idle([&] {
      NameThisThread("idler");
      { Activity once("serving", {"/metrics"}); }
      std::unique_lock lock(mutex);
      tid = gettid();
      changed.notify_all();
      changed.wait(lock, [&] { return stop; });
    });
    {
      std::unique_lock lock(mutex);
      changed.wait(lock, [&] { return tid != 0; });
    }
    const std::vector<ThreadReport> threads = ListThreads();
    const ThreadReport* thread = Find(threads, tid);
    ASSERT_NE(thread, nullptr);
    EXPECT_EQ(thread->doing, "idle");
    {
      std::lock_guard lock(mutex);
      stop = true;
    }
    changed.notify_all();
    idle.join();
  }
  for (const ThreadActivity& activity : RegisteredThreads()) EXPECT_NE(activity.tid, tid) << "still registered";
  EXPECT_EQ(Find(ListThreads(), tid), nullptr);
}

TEST(ThreadReport, JsonHasOneObjectAThread) {
  BusyThread busy;
  const std::string json = ThreadsJson(ListThreads());
  EXPECT_NE(json.find("\"doing\": \"refreshing smartctl on /dev/sda\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"name\": \"refresh:a-very-\""), std::string::npos) << json;
}

}  // namespace
}  // namespace hw_exporter

#include "collectors/deadline_reader.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/fake_clock.h"
#include "support/test_support.h"

namespace hw_exporter {
namespace {

using namespace std::chrono_literals;
using testing::FakeClock;

constexpr auto kTimeout = 20ms;

// Files held in memory, any of which can be made to hang like a read a driver never answers: such a read moves
// the clock past the timeout (so that hanging never depends on how fast the machine is), then blocks until the
// test releases it. Shared with the reads, which may outlive the test's objects while they hang.
class Files {
 public:
  Files() : state_(std::make_shared<State>()) {}

  void Set(const std::string& path, std::string contents) {
    std::lock_guard lock(state_->mutex);
    state_->contents[path] = std::move(contents);
  }
  void Hang(const std::string& path) {
    std::lock_guard lock(state_->mutex);
    state_->hanging.insert(path);
  }
  void Release() {
    std::lock_guard lock(state_->mutex);
    state_->hanging.clear();
    state_->released.notify_all();
  }
  int Reads(const std::string& path) const {
    std::lock_guard lock(state_->mutex);
    return state_->reads[path];
  }
  FakeClock& clock() { return state_->clock; }

  sysfs::FileReader Reader() const {
    return [state = state_](const std::string& path, int* error_number) -> std::optional<std::string> {
      std::unique_lock lock(state->mutex);
      ++state->reads[path];
      if (state->hanging.contains(path)) {
        state->clock.Advance(kTimeout);
        state->released.wait(lock, [&] { return !state->hanging.contains(path); });
      }
      auto found = state->contents.find(path);
      if (found != state->contents.end()) return found->second;
      if (error_number) *error_number = ENOENT;
      return std::nullopt;
    };
  }

 private:
  struct State {
    std::mutex mutex;
    std::condition_variable released;
    std::map<std::string, std::string> contents;
    std::set<std::string> hanging;
    std::map<std::string, int> reads;
    FakeClock clock;
  };
  std::shared_ptr<State> state_;
};

// Reads the paths in order into a map of its own: what a collection given up writes is never seen.
struct ReadAll {
  std::vector<std::string> paths;
  std::shared_ptr<std::map<std::string, std::string>> output = std::make_shared<std::map<std::string, std::string>>();

  void operator()(const sysfs::FileReader& read_file) const {
    for (const std::string& path : paths) {
      int error = 0;
      if (auto contents = read_file(path, &error)) (*output)[path] = *contents;
    }
  }
};

// Runs ReadAll over the paths until a run ends whole, and returns what that run read.
std::map<std::string, std::string> ReadUntilWhole(DeadlineReader& reader, const std::vector<std::string>& paths) {
  for (;;) {
    ReadAll read_all{paths};
    if (reader.Run(read_all)) return *read_all.output;
  }
}

TEST(DeadlineReader, ReadsEveryFileOnOneThreadWhileNothingHangs) {
  Files files;
  files.Set("a", "1");
  files.Set("b", "2");
  DeadlineReader reader(files.Reader(), kTimeout, files.clock(), log::Logger({}));
  for (int run = 0; run < 3; ++run) {
    EXPECT_EQ(ReadUntilWhole(reader, {"a", "b", "missing"}),
              (std::map<std::string, std::string>{{"a", "1"}, {"b", "2"}}));
  }
  EXPECT_TRUE(reader.HungPaths().empty());
}

TEST(DeadlineReader, AHungReadCostsItsFileAloneUntilItReturns) {
  Files files;
  files.Set("a", "1");
  files.Set("b", "2");
  files.Set("c", "3");
  files.Hang("b");
  DeadlineReader reader(files.Reader(), kTimeout, files.clock(), log::Logger({}));

  ReadAll first{{"a", "b", "c"}};
  EXPECT_FALSE(reader.Run(first)) << "the run whose read hung ended whole";
  EXPECT_EQ(reader.HungPaths(), std::vector<std::string>{"b"});
  // Run again, the collection gets every other file, and the hung one is not read again while it hangs.
  EXPECT_EQ(ReadUntilWhole(reader, {"a", "b", "c"}), (std::map<std::string, std::string>{{"a", "1"}, {"c", "3"}}));
  EXPECT_EQ(ReadUntilWhole(reader, {"a", "b", "c"}), (std::map<std::string, std::string>{{"a", "1"}, {"c", "3"}}));
  EXPECT_EQ(files.Reads("b"), 1);

  // Once the hung read returns (on the thread given up, in its own time), the file is read again.
  files.Release();
  EXPECT_TRUE(testing::Eventually([&] { return reader.HungPaths().empty(); }, 30s));
  EXPECT_EQ(ReadUntilWhole(reader, {"a", "b", "c"}),
            (std::map<std::string, std::string>{{"a", "1"}, {"b", "2"}, {"c", "3"}}));
  EXPECT_EQ(files.Reads("b"), 2);
}

TEST(DeadlineReader, WhatACollectionThrowsReachesTheCaller) {
  Files files;
  DeadlineReader reader(files.Reader(), kTimeout, files.clock(), log::Logger({}));
  EXPECT_THROW(reader.Run([](const sysfs::FileReader&) { throw std::runtime_error("unreadable directory"); }),
               std::runtime_error);
  files.Set("a", "1");
  EXPECT_EQ(ReadUntilWhole(reader, {"a"}), (std::map<std::string, std::string>{{"a", "1"}}));
}

// Each hung read holds a thread: the count is bounded, and the reader fails instead of starting more.
TEST(DeadlineReader, StopsStartingThreadsOnceTheBoundOfHungReadsIsReached) {
  Files files;
  std::vector<std::string> paths;
  for (std::size_t i = 0; i <= DeadlineReader::kMaxHungReads; ++i) {
    paths.push_back("hung" + std::to_string(i));
    files.Set(paths.back(), "1");
    files.Hang(paths.back());
  }
  DeadlineReader reader(files.Reader(), kTimeout, files.clock(), log::Logger({}));
  for (std::size_t i = 0; i < DeadlineReader::kMaxHungReads; ++i) EXPECT_FALSE(reader.Run(ReadAll{paths}));
  EXPECT_EQ(reader.HungPaths().size(), DeadlineReader::kMaxHungReads);
  EXPECT_THROW(reader.Run(ReadAll{paths}), std::runtime_error);
  EXPECT_EQ(files.Reads(paths.back()), 0) << "a thread was started past the bound";
  files.Release();
}

// Destroying the reader while a given-up read still hangs does not wait for it (shutdown stays within its
// budget); the read ends later by itself, touching nothing of the reader's.
TEST(DeadlineReader, IsDestroyedWithoutWaitingForAHungRead) {
  Files files;
  files.Set("a", "1");
  files.Hang("a");
  {
    DeadlineReader reader(files.Reader(), kTimeout, files.clock(), log::Logger({}));
    EXPECT_FALSE(reader.Run(ReadAll{{"a"}}));
  }
  files.Release();
}

}  // namespace
}  // namespace hw_exporter

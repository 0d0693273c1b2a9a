#pragma once

// Checks that what ran child processes left nothing behind: no child of this process (running or a zombie) and
// no more open file descriptors than before.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cerrno>
#include <filesystem>

namespace hw_exporter::testing {

inline size_t OpenFdCount() {
  size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) ++count;
  return count;
}

// True when this process has no child at all: waitpid(-1) finds neither a zombie (which it would reap, so the
// check fails only once) nor a running child.
inline bool HasNoChildren() { return ::waitpid(-1, nullptr, WNOHANG) < 0 && errno == ECHILD; }

// A test fixture whose every test must end with no child processes and the file descriptors it started with.
class ProcessHygieneTest : public ::testing::Test {
 protected:
  void SetUp() override { fds_before_ = OpenFdCount(); }
  void TearDown() override {
    EXPECT_TRUE(HasNoChildren()) << "a child process was left running or unreaped";
    EXPECT_EQ(OpenFdCount(), fds_before_) << "file descriptors leaked";
  }

 private:
  size_t fds_before_ = 0;
};

// The same check over the whole test program, for the tests that are not ProcessHygieneTests.
class ProcessHygieneEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { fds_before_ = OpenFdCount(); }
  void TearDown() override {
    EXPECT_TRUE(HasNoChildren()) << "a child process was left running or unreaped";
    EXPECT_EQ(OpenFdCount(), fds_before_) << "file descriptors leaked";
  }

 private:
  size_t fds_before_ = 0;
};

}  // namespace hw_exporter::testing

#pragma once

#include <chrono>
#include <functional>
#include <string>

namespace hw_exporter::testing {

// The project's own fixture trees (tests/fixtures/<relative>).
std::string Fixture(const std::string& relative);

// The shared real captures (../shared/fixtures/<relative>); empty when that folder is absent, so a test can
// GTEST_SKIP() with a message.
std::string SharedFixture(const std::string& relative);

// The node_exporter capture (proc, sys, udev/data of real hosts, with their symbolic links), unpacked at configure
// time from ../shared/fixtures/node_exporter.tar.gz into <build>/fixtures/node_exporter; NodeTree("sys/class/net")
// is a path inside it. Empty when the tree is absent, so a test can GTEST_SKIP() << kNoNodeTree.
std::string NodeTree(const std::string& relative = "");
extern const char* const kNoNodeTree;

// ThreadSanitizer's runtime starts a thread of its own along with the first thread a program creates. A test that
// counts the process's threads calls this first, so that its count moves only with what it tests.
void StartRuntimeThreads();

// Checks `condition` every 20 ms until it holds (true) or `limit` has passed (false): for what the daemon does in
// its own time, so that no test depends on how fast the machine is.
bool Eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit);

// A fresh directory under the system temp dir, removed with its contents when the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // Writes a file (creating parent directories) and returns its full path.
  std::string Write(const std::string& relative, const std::string& contents) const;

 private:
  std::string path_;
};

}  // namespace hw_exporter::testing

#include "support/test_support.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace hw_exporter::testing {

bool Eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
  for (auto deadline = std::chrono::steady_clock::now() + limit; std::chrono::steady_clock::now() < deadline;
       std::this_thread::sleep_for(std::chrono::milliseconds(20)))
    if (condition()) return true;
  return condition();
}

std::string Fixture(const std::string& relative) { return std::string(HW_EXPORTER_FIXTURES) + "/" + relative; }

std::string SharedFixture(const std::string& relative) {
  std::filesystem::path root(HW_EXPORTER_SHARED_FIXTURES);
  if (!std::filesystem::is_directory(root)) return {};
  return (root / relative).string();
}

const char* const kNoNodeTree = "no node_exporter capture in the build tree (" HW_EXPORTER_NODE_TREE
                                "): ../shared/fixtures/node_exporter.tar.gz was absent when the build was configured";

std::string NodeTree(const std::string& relative) {
  std::filesystem::path root(HW_EXPORTER_NODE_TREE);
  if (!std::filesystem::is_directory(root / "proc")) return {};
  return relative.empty() ? root.string() : (root / relative).string();
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "hw_exporter_test.XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string TempDir::Write(const std::string& relative, const std::string& contents) const {
  std::filesystem::path file = std::filesystem::path(path_) / relative;
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << contents;
  return file.string();
}

void StartRuntimeThreads() {
  std::thread([] {}).join();
}

}  // namespace hw_exporter::testing

#include "hw_exporter/diagnostics/capture_directory.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "support/test_support.h"

namespace hw_exporter {
namespace {

TEST(CaptureDirectory, NamesFilesByPidKindAndUtcTime) {
  CaptureDirectory directory("/var/tmp");
  const Clock::WallTime at = Clock::WallTime{} + std::chrono::seconds(1'795'000'000) + std::chrono::milliseconds(41);
  EXPECT_EQ(directory.NewPath("cpu", "prof", at),
            "/var/tmp/hw_exporter-" + std::to_string(getpid()) + "-cpu-20261118T110640.041Z.prof");
}

TEST(CaptureDirectory, PruneKeepsTheNewestOfItsOwnFiles) {
  testing::TempDir temporary;
  namespace fs = std::filesystem;
  const auto base = fs::file_time_type::clock::now();
  for (std::size_t i = 0; i < CaptureDirectory::kKept + 5; ++i) {
    const std::string path = temporary.Write("hw_exporter-1-cpu-" + std::to_string(100 + i) + ".prof", "x");
    fs::last_write_time(path, base + std::chrono::seconds(i));
  }
  temporary.Write("other.prof", "not ours");
  CaptureDirectory(temporary.path()).Prune();
  std::size_t ours = 0;
  for (const auto& entry : fs::directory_iterator(temporary.path()))
    if (entry.path().filename().string().starts_with("hw_exporter-")) ++ours;
  EXPECT_EQ(ours, CaptureDirectory::kKept);
  for (std::size_t i = 0; i < 5; ++i)  // the oldest went
    EXPECT_FALSE(fs::exists(temporary.path() + "/hw_exporter-1-cpu-" + std::to_string(100 + i) + ".prof")) << i;
  EXPECT_TRUE(fs::exists(temporary.path() + "/other.prof"));
}

TEST(CaptureDirectory, DefaultsToSystemdsRuntimeDirectory) {
  const char* saved = getenv("RUNTIME_DIRECTORY");
  const std::string kept = saved ? saved : "";
  setenv("RUNTIME_DIRECTORY", "/run/hw_exporter:/run/other", 1);
  EXPECT_EQ(DefaultCaptureDirectory(), "/run/hw_exporter");
  unsetenv("RUNTIME_DIRECTORY");
  EXPECT_FALSE(DefaultCaptureDirectory().empty());
  if (saved) setenv("RUNTIME_DIRECTORY", kept.c_str(), 1);
}

}  // namespace
}  // namespace hw_exporter

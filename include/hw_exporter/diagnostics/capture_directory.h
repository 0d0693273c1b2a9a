#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "hw_exporter/core/clock.h"

namespace hw_exporter {

// Where profiles are written (--diagnostics.dir), and how many are kept there.
class CaptureDirectory {
 public:
  // Profiles kept in the directory, over every kind and every run: the oldest go first.
  static constexpr std::size_t kKept = 20;

  explicit CaptureDirectory(std::string path) : path_(std::move(path)) {}

  // <directory>/hw_exporter-<pid>-<kind>-<UTC time>.<extension>, the time to the millisecond
  // (hw_exporter-812-cpu-20261128T171502.041Z.prof).
  std::string NewPath(std::string_view kind, std::string_view extension, Clock::WallTime now) const;

  // Removes the oldest hw_exporter-* files beyond kKept, by modification time.
  void Prune() const;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// $RUNTIME_DIRECTORY when systemd sets it (its first entry), else the system's temporary directory.
std::string DefaultCaptureDirectory();

}  // namespace hw_exporter

#include "hw_exporter/diagnostics/capture_directory.h"

#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <system_error>
#include <vector>

namespace hw_exporter {

namespace {

constexpr std::string_view kPrefix = "hw_exporter-";

std::string UtcTime(Clock::WallTime now) {
  const auto since_epoch = now.time_since_epoch();
  const time_t seconds = static_cast<time_t>(std::chrono::duration_cast<std::chrono::seconds>(since_epoch).count());
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count() % 1000;
  tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  const std::size_t length = strftime(text, sizeof text, "%Y%m%dT%H%M%S", &utc);
  std::snprintf(text + length, sizeof text - length, ".%03dZ", static_cast<int>(millis));
  return text;
}

}  // namespace

std::string CaptureDirectory::NewPath(std::string_view kind, std::string_view extension, Clock::WallTime now) const {
  return path_ + "/" + std::string(kPrefix) + std::to_string(getpid()) + "-" + std::string(kind) + "-" + UtcTime(now) +
         "." + std::string(extension);
}

void CaptureDirectory::Prune() const {
  namespace fs = std::filesystem;
  std::error_code error;
  std::vector<std::pair<fs::file_time_type, fs::path>> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(path_, error)) {
    if (!entry.is_regular_file(error) || !entry.path().filename().string().starts_with(kPrefix)) continue;
    files.emplace_back(entry.last_write_time(error), entry.path());
  }
  if (files.size() <= kKept) return;
  std::sort(files.begin(), files.end());
  for (std::size_t i = 0; i < files.size() - kKept; ++i) fs::remove(files[i].second, error);
}

std::string DefaultCaptureDirectory() {
  if (const char* runtime = getenv("RUNTIME_DIRECTORY"); runtime && *runtime) {
    const std::string_view directories(runtime);
    return std::string(directories.substr(0, directories.find(':')));
  }
  std::error_code error;
  const std::filesystem::path temporary = std::filesystem::temp_directory_path(error);
  return error ? "/tmp" : temporary.string();
}

}  // namespace hw_exporter

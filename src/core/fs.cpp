#include "hw_exporter/core/fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "hw_exporter/core/strings.h"

namespace hw_exporter {

FsError::FsError(const std::string& path, int error_number)
    : std::runtime_error(path + ": " + std::strerror(error_number)), error_number_(error_number) {}

std::optional<std::string> TryReadFile(const std::string& path, int* error_number) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (error_number) *error_number = errno;
    return std::nullopt;
  }
  std::string contents;
  char buffer[4096];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
      contents.append(buffer, static_cast<size_t>(n));
    } else if (n == 0) {
      break;
    } else if (errno != EINTR) {
      if (error_number) *error_number = errno;
      ::close(fd);
      return std::nullopt;
    }
  }
  ::close(fd);
  return contents;
}

std::string ReadFile(const std::string& path) {
  int error_number = 0;
  auto contents = TryReadFile(path, &error_number);
  if (!contents) throw FsError(path, error_number);
  return *std::move(contents);
}

std::optional<std::string> TryReadLine(const std::string& path, int* error_number) {
  auto contents = TryReadFile(path, error_number);
  if (!contents) return std::nullopt;
  std::string_view text = *contents;
  text = text.substr(0, text.find('\n'));
  return std::string(Trim(text));
}

std::vector<std::string> ListDirectory(const std::string& path) {
  std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(path.c_str()), &::closedir);
  if (!dir) throw FsError(path, errno);
  std::vector<std::string> names;
  while (const dirent* entry = ::readdir(dir.get())) {
    std::string_view name = entry->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> ListDirectoryIfExists(const std::string& path) {
  try {
    return ListDirectory(path);
  } catch (const FsError& error) {
    if (error.error_number() == ENOENT || error.error_number() == ENOTDIR) return {};
    throw;
  }
}

bool PathExists(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0;
}

std::optional<std::string> ReadLink(const std::string& path) {
  char buffer[4096];
  ssize_t n = ::readlink(path.c_str(), buffer, sizeof buffer);
  if (n < 0) return std::nullopt;
  return std::string(buffer, static_cast<size_t>(n));
}

}  // namespace hw_exporter

#include "hw_exporter/core/fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "descriptor_reads.h"
#include "hw_exporter/core/strings.h"
#include "hw_exporter/core/unique_fd.h"

namespace hw_exporter {

using descriptor_reads::End;
using descriptor_reads::OpenForReading;
using descriptor_reads::ReadBounded;
using descriptor_reads::ReadUpTo;

namespace {

std::string FsErrorMessage(const std::string& path, int error_number, std::size_t max_bytes) {
  if (error_number == EFBIG) return path + ": larger than " + std::to_string(max_bytes) + " bytes";
  if (error_number == kNotRegularFile) return path + ": not a regular file";
  return path + ": " + std::strerror(error_number);
}

// Doubles the capacity, but never past limit: std::string's own growth could take up to twice the limit.
void Grow(std::string& contents, std::size_t limit) {
  std::string larger;
  larger.reserve(std::min(2 * contents.capacity(), limit));
  larger.append(contents);
  contents.swap(larger);
}

thread_local ReadsInDirectory* innermost_directory = nullptr;

// One read at offset `at` (pread) or at the descriptor's position; retried when a signal interrupts it.
ssize_t ReadOnce(int fd, char* into, std::size_t asked, bool from_start, std::size_t at) {
  for (;;) {
    const ssize_t n = from_start ? ::pread(fd, into, asked, static_cast<off_t>(at)) : ::read(fd, into, asked);
    if (n >= 0 || errno != EINTR) return n;
  }
}

// Whether a read of n bytes, asked for `asked`, was the file's last.
bool ReachedEnd(ssize_t n, std::size_t asked, End end) {
  return n == 0 || (end == End::kAtShortRead && static_cast<std::size_t>(n) < asked);
}

}  // namespace

namespace descriptor_reads {

bool ReadUpTo(int fd, std::size_t limit, End end, std::string& contents, bool from_start) {
  // The first page goes through the stack: most kernel attributes are a few bytes, which the string then holds
  // without a heap block of its own, where reading straight into it would allocate a page per attribute.
  char first[4096];
  const std::size_t first_limit = std::min(limit, sizeof first);
  std::size_t held = 0;
  while (held < first_limit) {
    const std::size_t asked = first_limit - held;
    const ssize_t n = ReadOnce(fd, first + held, asked, from_start, contents.size() + held);
    if (n < 0) return false;
    held += static_cast<std::size_t>(n);
    if (ReachedEnd(n, asked, end)) {
      contents.append(first, held);
      return true;
    }
  }
  contents.append(first, held);
  // A larger file is read straight into the string, as much as it has room for, so that it takes a few reads
  // rather than one per page.
  while (contents.size() < limit) {
    if (contents.size() == contents.capacity()) Grow(contents, limit);
    const std::size_t size = contents.size();
    contents.resize(std::min(contents.capacity(), limit));
    const std::size_t asked = contents.size() - size;
    const ssize_t n = ReadOnce(fd, contents.data() + size, asked, from_start, size);
    const int read_error = errno;
    contents.resize(n > 0 ? size + static_cast<std::size_t>(n) : size);
    if (n < 0) {
      errno = read_error;
      return false;
    }
    if (ReachedEnd(n, asked, end)) return true;
  }
  return true;
}

int OpenForReading(const std::string& path, bool regular_only, struct stat* opened) {
  const char* name = path.c_str();
  const int directory = ReadsInDirectory::DescriptorFor(path, &name);
  if (!regular_only) return ::openat(directory, name, O_RDONLY | O_CLOEXEC);
  struct stat info {};
  if (::fstatat(directory, name, &info, 0) != 0) return -1;
  if (!S_ISREG(info.st_mode)) {
    errno = kNotRegularFile;
    return -1;
  }
  const int fd = ::openat(directory, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return fd;
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    errno = kNotRegularFile;
    return -1;
  }
  if (opened) *opened = info;
  return fd;
}

std::optional<std::string> ReadBounded(int fd, std::size_t max_bytes, End end, bool from_start, int* error_number) {
  std::string contents;
  int failure = 0;
  // One byte past the bound tells a file of exactly max_bytes from a longer one.
  if (!ReadUpTo(fd, max_bytes + 1, end, contents, from_start)) failure = errno;
  if (failure == 0 && contents.size() > max_bytes) failure = EFBIG;
  if (failure == 0) return contents;
  if (error_number) *error_number = failure;
  return std::nullopt;
}

}  // namespace descriptor_reads

namespace {

std::int64_t Nanoseconds(const struct timespec& time) {
  return std::int64_t{time.tv_sec} * 1'000'000'000 + time.tv_nsec;
}

// Whether the entry is a regular file, not following a symbolic link: the type the listing gives (sysfs, procfs and
// every common file system give it), and only where the file system leaves it unknown, the entry's status.
bool IsRegularFileEntry(int directory_fd, const dirent64& entry) {
  if (entry.d_type != DT_UNKNOWN) return entry.d_type == DT_REG;
  struct stat info {};
  return ::fstatat(directory_fd, entry.d_name, &info, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(info.st_mode);
}

// Read with getdents64 into a buffer on the stack rather than with opendir, whose stream allocates 32 KiB on the
// heap: a refresh lists a few dozen directories, and those buffers were most of what the hwmon reader allocated.
std::vector<std::string> ListOpenDirectory(int fd, const std::string& path, bool regular_files_only = false) {
  std::vector<std::string> names;
  alignas(dirent64) char entries[4096];
  while (const ssize_t filled = ::getdents64(fd, entries, sizeof entries)) {
    if (filled < 0) throw FsError(path, errno);
    for (ssize_t offset = 0; offset < filled;) {
      const auto* entry = reinterpret_cast<const dirent64*>(entries + offset);
      const std::string_view name = entry->d_name;
      offset += entry->d_reclen;
      if (name == "." || name == "..") continue;
      if (regular_files_only && !IsRegularFileEntry(fd, *entry)) continue;
      names.emplace_back(name);
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

bool IsAbsence(int error_number) { return error_number == ENOENT || error_number == ENOTDIR; }

// The path the kernel resolved fd, opened from path, to.
std::optional<std::string> RealPathOf(int fd, const std::string& path) {
  std::optional<std::string> real = ReadLink("/proc/self/fd/" + std::to_string(fd));
  if (real && real->starts_with('/')) return real;
  // No /proc to ask (or an answer that is no path): resolve it here.
  std::error_code error;
  std::filesystem::path resolved = std::filesystem::canonical(path, error);
  if (error) return std::nullopt;
  return resolved.string();
}

}  // namespace

std::optional<DirectoryStamp> SettledStamp(const struct stat& status, std::chrono::system_clock::time_point now) {
  const DirectoryStamp stamp{status.st_dev, status.st_ino, Nanoseconds(status.st_mtim), Nanoseconds(status.st_ctim)};
  constexpr std::int64_t kGranularityNs = 2'000'000'000;
  const std::int64_t now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
  if (now_ns - std::max(stamp.modified_ns, stamp.changed_ns) <= kGranularityNs) return std::nullopt;
  return stamp;
}

// Readable rather than O_PATH, so that the directory can be listed through it too.
ReadsInDirectory::ReadsInDirectory(std::string directory)
    : directory_(std::move(directory)),
      fd_(::open(directory_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)),
      open_error_(fd_ < 0 ? errno : 0),
      outer_(innermost_directory) {
  struct stat status {};
  if (fd_ >= 0 && ::fstat(fd_, &status) == 0) stamp_ = SettledStamp(status, std::chrono::system_clock::now());
  innermost_directory = this;
}

ReadsInDirectory::~ReadsInDirectory() {
  innermost_directory = outer_;
  if (fd_ >= 0) ::close(fd_);
}

bool ReadsInDirectory::Exists() const { return fd_ >= 0 || !IsAbsence(open_error_); }

std::vector<std::string> ReadsInDirectory::ListIfExists() const { return List(/*regular_files_only=*/false); }

std::vector<std::string> ReadsInDirectory::ListRegularFilesIfExists() const {
  return List(/*regular_files_only=*/true);
}

std::vector<std::string> ReadsInDirectory::List(bool regular_files_only) const {
  if (!Exists()) return {};
  if (fd_ < 0) throw FsError(directory_, open_error_);
  if (listed_ && ::lseek(fd_, 0, SEEK_SET) != 0) throw FsError(directory_, errno);
  listed_ = true;
  return ListOpenDirectory(fd_, directory_, regular_files_only);
}

std::optional<std::string> ReadsInDirectory::RealPath() const {
  if (fd_ < 0) return std::nullopt;
  return RealPathOf(fd_, directory_);
}

const ReadsInDirectory* ReadsInDirectory::ScopeFor(const std::string& path, const char** name) {
  for (const ReadsInDirectory* scope = innermost_directory; scope; scope = scope->outer_) {
    const std::string& directory = scope->directory_;
    const std::size_t length = directory.size();
    if (scope->fd_ < 0 || path.size() <= length + 1 || path.compare(0, length, directory) != 0 || path[length] != '/' ||
        path.find('/', length + 1) != std::string::npos) {
      continue;
    }
    *name = path.c_str() + length + 1;
    return scope;
  }
  return nullptr;
}

int ReadsInDirectory::DescriptorFor(const std::string& path, const char** name) {
  const ReadsInDirectory* scope = ScopeFor(path, name);
  return scope ? scope->fd_ : AT_FDCWD;
}

std::optional<DirectoryStamp> ReadsInDirectory::StampFor(const std::string& path) {
  const char* name = nullptr;
  const ReadsInDirectory* scope = ScopeFor(path, &name);
  return scope ? scope->stamp_ : std::nullopt;
}

FsError::FsError(const std::string& path, int error_number, std::size_t max_bytes)
    : std::runtime_error(FsErrorMessage(path, error_number, max_bytes)), error_number_(error_number) {}

namespace {

std::optional<std::string> ReadWhole(const std::string& path, int* error_number, std::size_t max_bytes,
                                     bool regular_only) {
  int fd = OpenForReading(path, regular_only);
  if (fd < 0) {
    if (error_number) *error_number = errno;
    return std::nullopt;
  }
  auto contents = ReadBounded(fd, max_bytes, End::kAtEmptyRead, false, error_number);
  ::close(fd);
  return contents;
}

}  // namespace

std::optional<std::string> TryReadFile(const std::string& path, int* error_number, std::size_t max_bytes) {
  return ReadWhole(path, error_number, max_bytes, false);
}

std::optional<std::string> TryReadRegularFile(const std::string& path, int* error_number, std::size_t max_bytes) {
  return ReadWhole(path, error_number, max_bytes, true);
}

std::string ReadFile(const std::string& path, std::size_t max_bytes) {
  int error_number = 0;
  auto contents = TryReadFile(path, &error_number, max_bytes);
  if (!contents) throw FsError(path, error_number, max_bytes);
  return *std::move(contents);
}

std::optional<std::string> TryReadLine(const std::string& path, int* error_number, std::size_t max_bytes) {
  auto contents = TryReadFile(path, error_number, max_bytes);
  if (!contents) return std::nullopt;
  std::string_view text = *contents;
  text = text.substr(0, text.find('\n'));
  return std::string(Trim(text));
}

std::string ChildPath(std::string_view directory, std::string_view name) {
  std::string path;
  path.reserve(directory.size() + 1 + name.size());
  path.append(directory).append(1, '/').append(name);
  return path;
}

std::vector<std::string> ListDirectory(const std::string& path) {
  const UniqueFd directory(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!directory.valid()) throw FsError(path, errno);
  return ListOpenDirectory(directory.get(), path);
}

std::vector<std::string> ListDirectoryIfExists(const std::string& path) {
  try {
    return ListDirectory(path);
  } catch (const FsError& error) {
    if (IsAbsence(error.error_number())) return {};
    throw;
  }
}

bool PathExists(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0;
}

std::size_t CountOwnDescriptors(const std::string& fd_directory) {
  struct statfs filesystem {};
  if (::statfs(fd_directory.c_str(), &filesystem) != 0 || filesystem.f_type != PROC_SUPER_MAGIC) {
    return ListDirectory(fd_directory).size();
  }
  struct stat status {};
  if (::stat(fd_directory.c_str(), &status) == 0 && status.st_size > 0) return static_cast<std::size_t>(status.st_size);
  return ListDirectory(fd_directory).size() - 1;
}

FileVersion FileVersionOf(const std::string& path) {
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) return {};
  return {true, status.st_dev, status.st_ino, status.st_size, Nanoseconds(status.st_mtim)};
}

std::optional<std::string> RealPath(const std::string& path) {
  const UniqueFd opened(::open(path.c_str(), O_PATH | O_CLOEXEC));
  if (!opened.valid()) return std::nullopt;
  return RealPathOf(opened.get(), path);
}

std::optional<std::string> ReadLink(const std::string& path) {
  char buffer[4096];
  ssize_t n = ::readlink(path.c_str(), buffer, sizeof buffer);
  if (n < 0) return std::nullopt;
  return std::string(buffer, static_cast<size_t>(n));
}

}  // namespace hw_exporter

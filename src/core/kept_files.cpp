#include "hw_exporter/core/kept_files.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>

#include "descriptor_reads.h"
#include "hw_exporter/core/fs.h"

namespace hw_exporter {

using descriptor_reads::End;
using descriptor_reads::OpenForReading;
using descriptor_reads::ReadBounded;

struct KeptFiles::Descriptor {
  Descriptor(int opened, const struct stat& status) : fd(opened), device(status.st_dev), inode(status.st_ino) {}
  ~Descriptor() { ::close(fd); }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;

  bool IsFileAt(const std::string& path) const {
    const char* name = path.c_str();
    const int directory = ReadsInDirectory::DescriptorFor(path, &name);
    struct stat status {};
    return ::fstatat(directory, name, &status, 0) == 0 && status.st_dev == device && status.st_ino == inode;
  }

  const int fd;
  const dev_t device;
  const ino_t inode;
};

namespace {

std::size_t ProcessCapacity() {
  constexpr std::size_t kMost = 512;
  struct rlimit limit {};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return kMost;
  return std::min<std::size_t>(kMost, limit.rlim_cur / 4);
}

}  // namespace

KeptFiles::KeptFiles(std::size_t capacity, Duration idle_limit, const Clock& clock)
    : capacity_(capacity), idle_limit_(idle_limit), clock_(clock) {}

KeptFiles::~KeptFiles() = default;

KeptFiles& KeptFiles::Process() {
  static KeptFiles* const files = new KeptFiles(ProcessCapacity(), std::chrono::minutes(10), Clock::Real());
  return *files;
}

std::optional<std::string> KeptFiles::Read(const std::string& path, int* error_number, std::size_t max_bytes,
                                           const std::optional<DirectoryStamp>& directory) {
  if (const Entry kept = Find(path); kept.descriptor) {
    const bool vouched_for = directory && kept.directory == directory;
    if (vouched_for || kept.descriptor->IsFileAt(path)) {
      if (auto contents = ReadBounded(kept.descriptor->fd, max_bytes, End::kAtShortRead, true, nullptr)) {
        if (directory && !vouched_for) Confirm(path, kept.descriptor.get(), *directory);
        return contents;
      }
    }
    Forget(path, kept.descriptor.get());
  }
  struct stat opened {};
  const int fd = OpenForReading(path, true, &opened);
  if (fd < 0) {
    if (error_number) *error_number = errno;
    return std::nullopt;
  }
  auto descriptor = std::make_shared<const Descriptor>(fd, opened);
  auto contents = ReadBounded(fd, max_bytes, End::kAtShortRead, true, error_number);
  if (contents) Keep(path, std::move(descriptor), directory);
  return contents;
}

std::size_t KeptFiles::Size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

KeptFiles::Entry KeptFiles::Find(const std::string& path) {
  std::lock_guard lock(mutex_);
  auto entry = entries_.find(path);
  if (entry == entries_.end()) return {};
  entry->second.last_read = clock_.Now();
  return entry->second;
}

void KeptFiles::Forget(const std::string& path, const Descriptor* kept) {
  std::lock_guard lock(mutex_);
  auto entry = entries_.find(path);
  // Another thread may have put a fresh descriptor in its place meanwhile: that one stays.
  if (entry != entries_.end() && entry->second.descriptor.get() == kept) entries_.erase(entry);
}

void KeptFiles::Keep(const std::string& path, std::shared_ptr<const Descriptor> descriptor,
                     const std::optional<DirectoryStamp>& directory) {
  std::lock_guard lock(mutex_);
  const Clock::SteadyTime now = clock_.Now();
  if (entries_.size() >= capacity_) CloseIdle(now);
  if (entries_.size() >= capacity_) return;
  entries_.try_emplace(path, Entry{std::move(descriptor), now, directory});
}

void KeptFiles::Confirm(const std::string& path, const Descriptor* kept, const DirectoryStamp& directory) {
  std::lock_guard lock(mutex_);
  auto entry = entries_.find(path);
  if (entry != entries_.end() && entry->second.descriptor.get() == kept) entry->second.directory = directory;
}

void KeptFiles::CloseIdle(Clock::SteadyTime now) {
  if (last_sweep_ && now - *last_sweep_ < idle_limit_ / 10) return;
  last_sweep_ = now;
  std::erase_if(entries_, [&](const auto& entry) { return now - entry.second.last_read >= idle_limit_; });
}

std::optional<std::string> TryReadKernelAttribute(const std::string& path, int* error_number, std::size_t max_bytes) {
  return KeptFiles::Process().Read(path, error_number, max_bytes, ReadsInDirectory::StampFor(path));
}

}  // namespace hw_exporter

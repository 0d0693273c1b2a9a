#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "hw_exporter/core/clock.h"
#include "hw_exporter/core/duration.h"
#include "hw_exporter/core/fs.h"

namespace hw_exporter {

// Open descriptors of the kernel attributes read at every refresh, read again from their start. Opening an
// attribute costs more than reading it: a path walk, and in sysfs an open file and a buffer that the kernel makes
// and frees again. Reading a kept descriptor at offset 0 (pread) makes sysfs and procfs produce the value anew,
// and reads a regular file's current contents.
//
// A kept descriptor is read only while it is still the file at its path: each read first looks the path up (one
// fstatat, relative to the ReadsInDirectory scope that holds its directory) and compares device and inode. A file
// replaced or removed, or a directory on its path moved or swapped (a network interface renamed), is opened anew; so a
// read returns what opening the path and reading it would. A read that fails on a kept descriptor (a device removed
// under it) forgets it and tries the path afresh once. The lookup is left out while the file's directory has the
// stamp (fs.h) it had when the descriptor was last found at its path: then no entry of the directory has changed
// since, or, in sysfs, a removed attribute's descriptor fails at its read.
//
// Bounded: at most `capacity` descriptors (each holds a page of kernel memory for its buffer while open); once full,
// the ones unread for `idle_limit` are closed (a device unplugged), at most once per tenth of it, and a file that
// finds no room is read as before, opened and closed. Thread-safe; a read on a kept descriptor runs outside the
// lock, so one that hangs holds up no other, and holds its descriptor open until it returns.
class KeptFiles {
 public:
  KeptFiles(std::size_t capacity, Duration idle_limit, const Clock& clock);
  ~KeptFiles();
  KeptFiles(const KeptFiles&) = delete;
  KeptFiles& operator=(const KeptFiles&) = delete;

  // TryReadKernelAttribute's contract: the contents of a regular file of at most max_bytes, or nullopt with
  // *error_number set (kNotRegularFile, EFBIG, errno). Keeps the descriptor of a file read whole. directory: the
  // stamp of path's directory taken before this read (ReadsInDirectory::StampFor), when there is one.
  std::optional<std::string> Read(const std::string& path, int* error_number, std::size_t max_bytes,
                                  const std::optional<DirectoryStamp>& directory = std::nullopt);

  // How many descriptors are kept, and how many may be.
  std::size_t Size() const;
  std::size_t Capacity() const { return capacity_; }

  // The one TryReadKernelAttribute uses: up to 512 descriptors, and no more than a quarter of the soft limit on
  // open files when it is first used (the exporter raises that limit to the hard one first), closed after 10
  // minutes unread. Never destroyed, since a thread given up inside a hung read may still be in it when the
  // process exits.
  static KeptFiles& Process();

 private:
  struct Descriptor;
  struct Entry {
    std::shared_ptr<const Descriptor> descriptor;
    Clock::SteadyTime last_read;
    std::optional<DirectoryStamp> directory;  // its directory's when it was last found at its path
  };

  Entry Find(const std::string& path);
  void Forget(const std::string& path, const Descriptor* kept);
  void Keep(const std::string& path, std::shared_ptr<const Descriptor> descriptor,
            const std::optional<DirectoryStamp>& directory);
  void Confirm(const std::string& path, const Descriptor* kept, const DirectoryStamp& directory);
  void CloseIdle(Clock::SteadyTime now);

  const std::size_t capacity_;
  const Duration idle_limit_;
  const Clock& clock_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::optional<Clock::SteadyTime> last_sweep_;
};

}  // namespace hw_exporter

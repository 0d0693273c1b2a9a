#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace hw_exporter {

// Every read of a whole file has a bound, so that a file that never ends (a /dev/zero where a kernel file should
// be, in a broken or crafted tree) costs a bounded read instead of all the memory there is. This is the bound for
// /proc files, where the largest grow with the host: /proc/cpuinfo by about 1.6 KiB per CPU (about 13 MiB at 8192
// CPUs, x86-64's most), mountinfo by 100 to 300 bytes per mount (a few MiB on a container host with tens of
// thousands), /proc/diskstats and /proc/net/dev by 100 to 200 bytes per device (2 MiB for 10,000), /proc/stat by
// about 100 bytes per CPU and a few per interrupt. 16 MiB holds all of them with room to spare, while a read that
// hits it stays a passing cost (16 MiB of memory, a fraction of a second).
inline constexpr std::size_t kMaxProcFileBytes = std::size_t{16} << 20;

// What tells one state of a directory's entries from the next, on a file system that keeps it: adding, removing or
// renaming an entry sets the directory's modification and change times, and a directory put in its place has
// another inode. sysfs keeps no such times (its directories' do not move), but there a removed attribute's open
// descriptor fails at its next read instead.
struct DirectoryStamp {
  dev_t device = 0;
  ino_t inode = 0;
  std::int64_t modified_ns = 0;
  std::int64_t changed_ns = 0;

  bool operator==(const DirectoryStamp&) const = default;
};

// The stamp of a directory with this status, looked at `now`; nullopt while an entry may still change without moving
// its times, because they are no older than a file system's timestamp granularity (two seconds, FAT's, the coarsest
// of Linux's file systems), or are in the future (the clock was set back).
std::optional<DirectoryStamp> SettledStamp(const struct stat& status, std::chrono::system_clock::time_point now);

// While it lives, this thread's reads of files directly inside `directory` (TryReadFile and the other readers
// here, given "<directory>/<name>") are made relative to a descriptor of the directory it holds open, so that the
// kernel walks one name instead of the whole path, symbolic links included: most of the cost of reading a short
// sysfs attribute. What a read returns is what reading the whole path would, unless the directory is moved or
// replaced while the scope lives (it is read where it was when the scope began). Inert when the directory cannot be
// opened; scopes nest, and a read goes through the innermost one that holds its file's directory. For a loop that
// reads many files of one directory (a hwmon chip's), which it lists through the same descriptor, and whose kept
// attributes (kept_files.h) its stamp vouches for.
class ReadsInDirectory {
 public:
  explicit ReadsInDirectory(std::string directory);
  ~ReadsInDirectory();
  ReadsInDirectory(const ReadsInDirectory&) = delete;
  ReadsInDirectory& operator=(const ReadsInDirectory&) = delete;

  // Whether the directory is there: opened, or not opened for another reason than its absence (ENOENT, ENOTDIR),
  // which ListIfExists then throws.
  bool Exists() const;

  const std::string& directory() const { return directory_; }

  // ListDirectoryIfExists(directory), read through the scope's descriptor.
  std::vector<std::string> ListIfExists() const;
  // The same, only the regular files (not symbolic links): told by the type the listing gives each entry, so that
  // a directory of attributes, links and subdirectories (a power supply's) is sorted without a stat per entry.
  std::vector<std::string> ListRegularFilesIfExists() const;

  // RealPath(directory), asked of the scope's descriptor: one system call.
  std::optional<std::string> RealPath() const;

  // For the *at() system calls: the descriptor of the innermost scope whose directory path is directly inside, with
  // *name set to the file's name in it (a pointer into path); otherwise AT_FDCWD, with *name left as it was.
  static int DescriptorFor(const std::string& path, const char** name);

  // That scope's directory's SettledStamp as the scope began.
  static std::optional<DirectoryStamp> StampFor(const std::string& path);

 private:
  static const ReadsInDirectory* ScopeFor(const std::string& path, const char** name);
  std::vector<std::string> List(bool regular_files_only) const;

  std::string directory_;
  int fd_;
  int open_error_;  // errno of the open that failed, when fd_ is -1
  std::optional<DirectoryStamp> stamp_;
  mutable bool listed_ = false;  // the descriptor's position is past the entries
  ReadsInDirectory* outer_;
};

// A file or directory of the kernel's could not be read; what() names the path and errno's text, or, for a file
// longer than its read's bound (EFBIG), the bound: "/sys/class/hwmon/hwmon0/temp1_input: larger than 4096 bytes".
class FsError : public std::runtime_error {
 public:
  // max_bytes: the bound of the read that failed, said when error_number is EFBIG.
  FsError(const std::string& path, int error_number, std::size_t max_bytes = kMaxProcFileBytes);
  int error_number() const { return error_number_; }

 private:
  int error_number_;
};

// Whole contents of a (small, kernel-provided) file. Throws FsError, also for a file of more than max_bytes.
std::string ReadFile(const std::string& path, std::size_t max_bytes = kMaxProcFileBytes);

// Contents, or nullopt with *error_number set (ENOENT, EACCES, EAGAIN, ENODATA, ...) so the caller can
// decide which absences are normal. A file of more than max_bytes is EFBIG, found out by reading max_bytes + 1
// bytes and no more; the buffer never grows past that either. Never throws for I/O errors.
std::optional<std::string> TryReadFile(const std::string& path, int* error_number = nullptr,
                                       std::size_t max_bytes = kMaxProcFileBytes);

// The error of a read that wants a regular file and finds something else (a FIFO, socket or device node where a
// kernel attribute should be). No read of a file returns it, so it tells this case from the others; FsError's
// message says "not a regular file".
inline constexpr int kNotRegularFile = EMEDIUMTYPE;

// TryReadFile for a path that must be a regular file, as every sysfs attribute is: anything else fails at once with
// kNotRegularFile, without being opened, where reading it could wait forever (a FIFO) or do something (a device).
// The file is opened with O_NONBLOCK, which changes nothing for sysfs attributes and regular files.
std::optional<std::string> TryReadRegularFile(const std::string& path, int* error_number = nullptr,
                                              std::size_t max_bytes = kMaxProcFileBytes);

// TryReadRegularFile for a kernel attribute (sysfs), whose whole value the kernel makes at the first read and hands
// out as far as the buffer goes: a read that returns less than asked for has returned all of it, so the read that
// would return nothing is not made (one system call in five, on every attribute of every refresh). A regular file
// of a captured tree ends the same way. The file's descriptor is kept open for the next read of the same path
// (KeptFiles::Process(), in kept_files.h).
std::optional<std::string> TryReadKernelAttribute(const std::string& path, int* error_number, std::size_t max_bytes);

// First line without the trailing newline and surrounding blanks, or nullopt (see TryReadFile).
std::optional<std::string> TryReadLine(const std::string& path, int* error_number = nullptr,
                                       std::size_t max_bytes = kMaxProcFileBytes);

// "<directory>/<name>", built in one allocation (a path per attribute per refresh adds up).
std::string ChildPath(std::string_view directory, std::string_view name);

// Names of the entries of a directory, sorted, without "." and "..". Throws FsError.
std::vector<std::string> ListDirectory(const std::string& path);

// Like ListDirectory, but an absent directory is an empty list.
std::vector<std::string> ListDirectoryIfExists(const std::string& path);

bool PathExists(const std::string& path);

// How many descriptors this process has open, from its descriptor directory (<procfs>/self/fd). procfs gives the
// count as the directory's size from Linux 6.2 on: two system calls, where listing the directory makes the kernel
// build an entry for every descriptor. On an older kernel the directory is listed, less the listing's own
// descriptor; a directory elsewhere (a captured tree) is counted entry by entry. Throws FsError.
std::size_t CountOwnDescriptors(const std::string& fd_directory);

// What tells one version of a file from the next: writing it in place changes its size or modification time,
// replacing it (a renamed temporary file, a symbolic link moved) changes the inode.
struct FileVersion {
  bool exists = false;  // false for a file that cannot be stat'ed, whose other fields are then 0
  dev_t device = 0;
  ino_t inode = 0;
  off_t size = 0;
  std::int64_t modified_ns = 0;

  bool operator==(const FileVersion&) const = default;
};

// The version of the file at path (following symbolic links).
FileVersion FileVersionOf(const std::string& path);

// The path with every symbolic link resolved (std::filesystem::canonical's answer), or nullopt when it does not
// exist. Asks the kernel, which resolved it on opening: three system calls, where canonical makes one or two per
// component of the path, each walking the path again from its start.
std::optional<std::string> RealPath(const std::string& path);

// Target of a symbolic link, or nullopt when it is not one.
std::optional<std::string> ReadLink(const std::string& path);

}  // namespace hw_exporter

#pragma once

#include <cerrno>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "hw_exporter/core/fs.h"

namespace hw_exporter::sysfs {

// The kernel gives an attribute's value in one page at most (sysfs_emit): 4096 bytes where pages are 4 KiB. Pages
// are larger on some arm64 and ppc64 kernels, but the attributes read here are short words and numbers there too.
// A longer file is no attribute (a huge file where one should be, in a broken or crafted tree) and fails with
// EFBIG after 4097 bytes instead of being read to its end.
inline constexpr std::size_t kMaxAttributeBytes = 4096;

// TryReadKernelAttribute with the bound of an attribute: how every attribute is read. Attributes are regular files, so
// a FIFO, socket or device node in the place of one (a broken or crafted tree) fails at once with kNotRegularFile
// instead of blocking the reader.
std::optional<std::string> TryReadAttribute(const std::string& path, int* error_number = nullptr);

// An attribute's first line without surrounding blanks, or nullopt when it cannot be read, whatever the reason.
std::optional<std::string> TryReadAttributeLine(const std::string& path);

// An attribute's contents. Throws FsError when it cannot be read.
std::string ReadAttribute(const std::string& path);

// How a parser reads one attribute file: TryReadAttribute's contract (contents, or nullopt with errno; EFBIG for
// a file longer than kMaxAttributeBytes, kNotRegularFile for one that is no regular file). A seam, so that a test can
// make a file root-only (EACCES), which a test running as root cannot do with permissions.
using FileReader = std::function<std::optional<std::string>(const std::string& path, int* error_number)>;

inline FileReader RealFileReader() {
  return [](const std::string& path, int* error_number) { return TryReadAttribute(path, error_number); };
}

// True for the errors that mean "only a privileged user may read this" rather than "this is broken".
inline bool IsPermissionError(int error_number) { return error_number == EACCES || error_number == EPERM; }

// An attribute's contents without surrounding blanks; nullopt when the file does not exist or only root may read
// it. Other errors throw FsError; for a file longer than an attribute can be, its message names kMaxAttributeBytes.
std::optional<std::string> ReadOptionalAttribute(const std::string& path,
                                                 const FileReader& read_file = RealFileReader());

}  // namespace hw_exporter::sysfs

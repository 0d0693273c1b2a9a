#pragma once

#include <cerrno>
#include <functional>
#include <optional>
#include <string>

#include "hw_exporter/core/fs.h"

namespace hw_exporter::sysfs {

// How a parser reads one attribute file: TryReadFile's contract (contents, or nullopt with errno). A seam, so
// that a test can make a file root-only (EACCES), which a test running as root cannot do with permissions.
using FileReader = std::function<std::optional<std::string>(const std::string& path, int* error_number)>;

inline FileReader RealFileReader() {
  return [](const std::string& path, int* error_number) { return TryReadFile(path, error_number); };
}

// True for the errors that mean "only a privileged user may read this" rather than "this is broken".
inline bool IsPermissionError(int error_number) { return error_number == EACCES || error_number == EPERM; }

// An attribute's contents without surrounding blanks; nullopt when the file does not exist or only root may read
// it. Other errors throw FsError.
std::optional<std::string> ReadOptionalAttribute(const std::string& path, const FileReader& read_file = RealFileReader());

}  // namespace hw_exporter::sysfs

#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace hw_exporter {

// A file or directory of the kernel's could not be read; what() names the path and errno's text.
class FsError : public std::runtime_error {
 public:
  FsError(const std::string& path, int error_number);
  int error_number() const { return error_number_; }

 private:
  int error_number_;
};

// Whole contents of a (small, kernel-provided) file. Throws FsError.
std::string ReadFile(const std::string& path);

// Contents, or nullopt with *error_number set (ENOENT, EACCES, EAGAIN, ENODATA, ...) so the caller can
// decide which absences are normal. Never throws for I/O errors.
std::optional<std::string> TryReadFile(const std::string& path, int* error_number = nullptr);

// First line without the trailing newline and surrounding blanks, or nullopt (see TryReadFile).
std::optional<std::string> TryReadLine(const std::string& path, int* error_number = nullptr);

// Names of the entries of a directory, sorted, without "." and "..". Throws FsError.
std::vector<std::string> ListDirectory(const std::string& path);

// Like ListDirectory, but an absent directory is an empty list.
std::vector<std::string> ListDirectoryIfExists(const std::string& path);

bool PathExists(const std::string& path);

// Target of a symbolic link, or nullopt when it is not one.
std::optional<std::string> ReadLink(const std::string& path);

}  // namespace hw_exporter

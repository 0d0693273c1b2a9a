#pragma once

// A FileReader that fails chosen files with a chosen errno and counts every read, for the errors real drivers
// return (EAGAIN, ENODATA, EIO) that a file on a tmpfs cannot.

#include <map>
#include <string>

#include "hw_exporter/core/strings.h"
#include "hw_exporter/sysfs/file_reader.h"

namespace hw_exporter::testing {

class FailingReader {
 public:
  // Reads of a path ending in suffix fail with error_number.
  FailingReader& Fail(const std::string& suffix, int error_number) {
    failures_[suffix] = error_number;
    return *this;
  }

  sysfs::FileReader Reader() {
    return [this](const std::string& path, int* error_number) -> std::optional<std::string> {
      ++reads_[path];
      for (const auto& [suffix, error] : failures_) {
        if (EndsWith(path, suffix)) {
          *error_number = error;
          return std::nullopt;
        }
      }
      return sysfs::TryReadAttribute(path, error_number);
    };
  }

  // How often a path ending in suffix was read.
  int Reads(const std::string& suffix) const {
    int count = 0;
    for (const auto& [path, reads] : reads_) {
      if (EndsWith(path, suffix)) count += reads;
    }
    return count;
  }

 private:
  std::map<std::string, int> failures_;
  std::map<std::string, int> reads_;
};

}  // namespace hw_exporter::testing

#include "hw_exporter/sysfs/file_reader.h"

#include <string_view>
#include <utility>

#include "hw_exporter/core/strings.h"

namespace hw_exporter::sysfs {

std::optional<std::string> TryReadAttribute(const std::string& path, int* error_number) {
  return TryReadKernelAttribute(path, error_number, kMaxAttributeBytes);
}

std::optional<std::string> TryReadAttributeLine(const std::string& path) {
  auto contents = TryReadAttribute(path);
  if (!contents) return std::nullopt;
  std::string_view text = *contents;
  return std::string(Trim(text.substr(0, text.find('\n'))));
}

std::string ReadAttribute(const std::string& path) {
  int error_number = 0;
  auto contents = TryReadAttribute(path, &error_number);
  if (!contents) throw FsError(path, error_number, kMaxAttributeBytes);
  return *std::move(contents);
}

std::optional<std::string> ReadOptionalAttribute(const std::string& path, const FileReader& read_file) {
  int error_number = 0;
  auto contents = read_file(path, &error_number);
  if (contents) return std::string(Trim(*contents));
  if (error_number == ENOENT || error_number == ENOTDIR || IsPermissionError(error_number)) return std::nullopt;
  throw FsError(path, error_number, kMaxAttributeBytes);
}

}  // namespace hw_exporter::sysfs

#include "hw_exporter/sysfs/sensor_attribute.h"

#include <cctype>
#include <cerrno>

#include "hw_exporter/core/fs.h"
#include "hw_exporter/core/strings.h"

namespace hw_exporter::sysfs {

bool IsValueUnavailable(int error_number) {
  switch (error_number) {
    case EAGAIN:
    case ENODATA:
    case EIO:
    case ENODEV:
    case ENXIO:
    case EOPNOTSUPP:
    case EINVAL: return true;
    default: return false;
  }
}

std::optional<std::string> ReadSensorAttribute(const std::string& path, const FileReader& read_file) {
  int error_number = 0;
  auto contents = read_file(path, &error_number);
  if (contents) return std::string(Trim(*contents));
  if (error_number == ENOENT || error_number == ENOTDIR || IsPermissionError(error_number) ||
      IsValueUnavailable(error_number)) {
    return std::nullopt;
  }
  throw FsError(path, error_number, kMaxAttributeBytes);
}

std::vector<NumberedEntry> ListNumberedEntries(const std::string& directory, std::string_view prefix) {
  std::vector<NumberedEntry> entries;
  for (const std::string& entry : ListDirectoryIfExists(directory)) {
    if (entry.size() <= prefix.size() || !StartsWith(entry, prefix)) continue;
    if (!std::isdigit(static_cast<unsigned char>(entry[prefix.size()]))) continue;
    entries.push_back({ChildPath(directory, entry), entry.substr(prefix.size())});
  }
  return entries;
}

}  // namespace hw_exporter::sysfs

#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hw_exporter/sysfs/file_reader.h"

namespace hw_exporter::sysfs {

// True for the errors with which a driver says it has no value to give at the moment, or none for this device:
// EAGAIN (device busy or asleep), ENODATA (no reading yet, sensor disabled by firmware), EIO (the transfer on the
// sensor's bus failed), ENODEV/ENXIO (device gone), EOPNOTSUPP/EINVAL (property not supported by this driver).
// A reader skips such a value instead of retrying it or failing the whole collection.
bool IsValueUnavailable(int error_number);

// An attribute's contents without surrounding blanks; nullopt when the file does not exist, only root may read
// it, or its value is unavailable (see IsValueUnavailable). Other errors, a file longer than an attribute can be
// among them, throw FsError.
std::optional<std::string> ReadSensorAttribute(const std::string& path, const FileReader& read_file);

// One numbered device of a directory: "thermal_zone3" under prefix "thermal_zone" is (<directory>/thermal_zone3, "3").
struct NumberedEntry {
  std::string path;
  std::string number;
};

// The entries "<prefix><digit>..." of a directory in name order (node_exporter globs "<prefix>[0-9]*"); an absent
// directory has none.
std::vector<NumberedEntry> ListNumberedEntries(const std::string& directory, std::string_view prefix);

}  // namespace hw_exporter::sysfs

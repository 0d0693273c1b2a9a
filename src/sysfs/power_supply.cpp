#include "hw_exporter/sysfs/power_supply.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "hw_exporter/core/fs.h"
#include "hw_exporter/core/strings.h"
#include "hw_exporter/sysfs/sensor_attribute.h"

namespace hw_exporter::sysfs {

namespace {

// The attributes of Documentation/ABI/testing/sysfs-class-power whose values are words, not numbers.
constexpr std::array<std::string_view, 11> kTextAttributes = {
    "capacity_level", "charge_type", "health",     "manufacturer", "model_name", "scope",
    "serial_number",  "status",      "technology", "type",         "usb_type",
};

bool IsTextAttribute(std::string_view file_name) {
  return std::find(kTextAttributes.begin(), kTextAttributes.end(), file_name) != kTextAttributes.end();
}

}  // namespace

std::vector<std::string> ListPowerSupplies(const std::string& class_directory) {
  return ListDirectoryIfExists(class_directory);
}

std::optional<PowerSupply> ReadPowerSupply(const std::string& class_directory, const std::string& name,
                                           const FileReader& read_file) {
  std::string directory = ChildPath(class_directory, name);
  const ReadsInDirectory reads_here(directory);
  // A supply that went away since it was listed (a charger unplugged) is not an error.
  if (!reads_here.Exists()) return std::nullopt;
  PowerSupply supply{name, {}, {}};
  // Attributes are regular files; the links (device, subsystem) and directories (power, hwmon0) are not.
  for (const std::string& file_name : reads_here.ListRegularFilesIfExists()) {
    std::string path = ChildPath(directory, file_name);
    auto text = ReadSensorAttribute(path, read_file);
    if (!text) continue;
    if (IsTextAttribute(file_name)) {
      if (!text->empty()) supply.properties[file_name] = *text;
    } else if (auto value = ParseSigned(*text)) {
      supply.values[file_name] = *value;
    }
  }
  return supply;
}

}  // namespace hw_exporter::sysfs

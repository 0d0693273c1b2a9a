#include "hw_exporter/sysfs/thermal.h"

#include "hw_exporter/core/parse_error.h"
#include "hw_exporter/core/strings.h"
#include "hw_exporter/sysfs/sensor_attribute.h"

namespace hw_exporter::sysfs {

namespace {

long long RequireSigned(const std::string& text, const std::string& path) {
  auto value = ParseSigned(text);
  if (!value) throw ParseError(path, "expected an integer, got \"" + text + "\"");
  return *value;
}

}  // namespace

std::vector<ThermalZone> ReadThermalZones(const std::string& class_directory, const FileReader& read_file) {
  std::vector<ThermalZone> zones;
  for (const auto& [path, zone] : ListNumberedEntries(class_directory, "thermal_zone")) {
    auto type = ReadSensorAttribute(path + "/type", read_file);
    auto temp = ReadSensorAttribute(path + "/temp", read_file);
    if (!type || !temp) continue;
    zones.push_back({zone, *type, RequireSigned(*temp, path + "/temp")});
  }
  return zones;
}

std::vector<CoolingDevice> ReadCoolingDevices(const std::string& class_directory, const FileReader& read_file) {
  std::vector<CoolingDevice> devices;
  for (const auto& [path, name] : ListNumberedEntries(class_directory, "cooling_device")) {
    auto type = ReadSensorAttribute(path + "/type", read_file);
    auto max_state = ReadSensorAttribute(path + "/max_state", read_file);
    auto cur_state = ReadSensorAttribute(path + "/cur_state", read_file);
    if (!type || !max_state || !cur_state) continue;
    devices.push_back({name, *type, RequireSigned(*max_state, path + "/max_state"),
                       RequireSigned(*cur_state, path + "/cur_state")});
  }
  return devices;
}

}  // namespace hw_exporter::sysfs

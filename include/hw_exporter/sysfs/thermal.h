#pragma once

#include <string>
#include <vector>

#include "hw_exporter/sysfs/file_reader.h"

namespace hw_exporter::sysfs {

// /sys/class/thermal/thermal_zone<zone>.
struct ThermalZone {
  std::string zone;  // the number after "thermal_zone"
  std::string type;  // "x86_pkg_temp", "acpitz", "cpu-thermal" ...
  long long temp_millicelsius = 0;
};

// /sys/class/thermal/cooling_device<name>.
struct CoolingDevice {
  std::string name;  // the number after "cooling_device"
  std::string type;  // "Processor", "Fan", "intel_powerclamp" ...
  long long max_state = 0;
  long long cur_state = 0;  // -1 for some drivers (intel_powerclamp when idle)
};

// The zones of a class/thermal directory in directory-name order. A zone whose type or temperature is missing or
// unavailable (EAGAIN, ENODATA, EIO: firmware that cannot answer right now) is skipped; a temperature that is not
// a number, or another read error, throws.
std::vector<ThermalZone> ReadThermalZones(const std::string& class_directory,
                                          const FileReader& read_file = RealFileReader());

// The cooling devices of a class/thermal directory, with the same rules as ReadThermalZones.
std::vector<CoolingDevice> ReadCoolingDevices(const std::string& class_directory,
                                              const FileReader& read_file = RealFileReader());

}  // namespace hw_exporter::sysfs

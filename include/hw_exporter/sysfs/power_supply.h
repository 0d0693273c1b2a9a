#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hw_exporter/sysfs/file_reader.h"

namespace hw_exporter::sysfs {

// The attributes of one /sys/class/power_supply/<name> directory, by file name, in the kernel's units
// (microvolts, microamps, microwatt-hours, tenths of a degree Celsius, seconds ...).
struct PowerSupply {
  std::string name;
  std::map<std::string, long long> values;        // the integer attributes ("capacity", "voltage_now" ...)
  std::map<std::string, std::string> properties;  // the non-empty text attributes ("status", "model_name" ...)
};

// The names of the power supplies of a class/power_supply directory, sorted; none when it is absent.
std::vector<std::string> ListPowerSupplies(const std::string& class_directory);

// Reads every regular file of one supply's directory. The text attributes of the power supply ABI are kept as
// text; any other file that holds an integer is a value, and what holds neither (uevent ...) is left out. A file
// that is absent, root-only, or that the driver cannot answer now (ENODATA, EAGAIN, EIO, EINVAL, EOPNOTSUPP:
// properties a battery does not implement, a fuel gauge that does not respond) is left out; other errors throw.
// nullopt when the supply's directory is gone.
std::optional<PowerSupply> ReadPowerSupply(const std::string& class_directory, const std::string& name,
                                           const FileReader& read_file = RealFileReader());

}  // namespace hw_exporter::sysfs

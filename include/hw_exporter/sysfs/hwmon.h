#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hw_exporter/sysfs/file_reader.h"

namespace hw_exporter::sysfs {

// The parts of a hwmon attribute file name "<type><number>_<property>": "temp1_crit_alarm" is (temp, 1,
// crit_alarm), "pwm1" is (pwm, 1, ""), "beep_enable" is (beep_enable, 0, "").
struct HwmonFileName {
  std::string type;
  int number = 0;
  std::string property;
};

// nullopt for names that do not have that shape ("temp1x").
std::optional<HwmonFileName> ParseHwmonFileName(std::string_view file_name);

// A name made fit for a label value the way node_exporter makes it: lower case, every character outside
// [a-z0-9:_] replaced by '_', leading and trailing '_' removed ("Physical id 0\n" -> "physical_id_0").
std::string CleanHwmonName(std::string_view name);

// One sensor of a chip (all the files of "temp1": temp1_input, temp1_crit, temp1_label ...).
struct HwmonSensor {
  std::string name;  // type and number: "temp1", "fan2", "beep_enable0"
  std::string type;  // "temp"
  // Attribute contents (trailing newlines removed) by property: "" for the file without one ("pwm1"), "input",
  // "crit", "label" ...
  std::map<std::string, std::string> attributes;
};

// One directory of class/hwmon.
struct HwmonChip {
  std::string directory;  // <class directory>/hwmonN
  // The "chip" label, stable across reboots where hwmonN is not: "<parent>_<device>" from where the chip's
  // "device" link points (platform_coretemp_0, pci0000:00_0000:00:1f_3), else the "name" file, else "hwmonN".
  std::string label;
  // The "name" file, cleaned (the "chip_name" label); nullopt when absent or empty.
  std::optional<std::string> name;
  // From its directory and from its device's directory (where some drivers, applesmc for one, put their files),
  // sorted by name. Only the sensor types node_exporter knows are read. A file that cannot be read is left out and
  // not retried: drivers answer EAGAIN or ENODATA for a sensor without a reading, and a read that fails now would
  // fail again within the same refresh.
  std::vector<HwmonSensor> sensors;
};

// Whether a chip with this label is read.
using HwmonChipFilter = std::function<bool(const std::string& label)>;

// Every chip of a class/hwmon directory that `wanted` keeps (all when it is empty), in directory-name order, with
// its sensors; entries that are not directories (or links to one) are skipped, and an absent class directory has no
// chips.
std::vector<HwmonChip> ReadHwmonChips(const std::string& class_directory,
                                      const FileReader& read_file = RealFileReader(),
                                      const HwmonChipFilter& wanted = {});

}  // namespace hw_exporter::sysfs

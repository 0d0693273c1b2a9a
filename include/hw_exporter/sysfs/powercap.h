#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hw_exporter/sysfs/file_reader.h"

namespace hw_exporter::sysfs {

// One RAPL power zone of /sys/class/powercap (intel-rapl:0, intel-rapl:0:0, intel-rapl-mmio:0 ...).
struct RaplZone {
  // The zone's name with a numeric "-<index>" suffix split off ("package-0" -> "package", index 0). Names without
  // one ("core", "dram") are numbered by how often the name was seen before, in directory order.
  std::string name;
  int index = 0;
  std::string path;  // the zone's directory, normalised
  // energy_uj; nullopt when only root may read it (since CVE-2020-8694).
  std::optional<std::uint64_t> energy_microjoules;
};

// Reads every zone (an entry with a readable "name") of a class/powercap directory, in name order; an absent
// directory gives none. A zone whose energy_uj is missing or malformed throws.
std::vector<RaplZone> ReadRaplZones(const std::string& class_directory, const FileReader& read_file = RealFileReader());

}  // namespace hw_exporter::sysfs

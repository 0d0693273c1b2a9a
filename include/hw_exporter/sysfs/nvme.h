#pragma once

#include <string>
#include <vector>

namespace hw_exporter::sysfs {

// The identity of one NVMe controller of /sys/class/nvme.
struct NvmeController {
  std::string device;  // nvme0
  std::string firmware_revision;
  std::string model;
  std::string serial;
  std::string state;  // live, resetting, dead ...
};

// Reads every controller of a class/nvme directory, sorted by name; an absent directory gives none. Entries
// without the controller attributes (the nvme-fabrics control device) are not controllers and are left out.
std::vector<NvmeController> ReadNvmeControllers(const std::string& class_directory);

}  // namespace hw_exporter::sysfs

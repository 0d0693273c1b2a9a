#pragma once

#include <map>
#include <string>
#include <string_view>

#include "hw_exporter/core/paths.h"

namespace hw_exporter::sysfs {

// The properties of one udev database entry: its "E:KEY=value" lines (udevadm(8)), by key.
using UdevProperties = std::map<std::string, std::string, std::less<>>;

UdevProperties ParseUdevProperties(std::string_view text);

// The properties udev recorded for block device major:minor (<udev data>/b<major>:<minor>); empty when there is no
// readable entry, which is normal for devices udev does not manage.
UdevProperties ReadBlockDeviceUdevProperties(const Paths& paths, unsigned major, unsigned minor);

// The value of a property, or "" when absent.
const std::string& UdevProperty(const UdevProperties& properties, std::string_view key);

}  // namespace hw_exporter::sysfs

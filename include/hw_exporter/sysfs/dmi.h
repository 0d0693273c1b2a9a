#pragma once

#include <map>
#include <string>

#include "hw_exporter/sysfs/file_reader.h"

namespace hw_exporter::sysfs {

// The identification strings of /sys/class/dmi/id, as attribute file name -> value without surrounding blanks.
using DmiId = std::map<std::string, std::string>;

// Reads the DMI attributes of a class/dmi/id directory. An attribute that is absent, or that only root may read
// (the serial numbers and product_uuid), is left out; an absent directory gives an empty result. Other read
// errors throw FsError.
DmiId ReadDmiId(const std::string& directory, const FileReader& read_file = RealFileReader());

}  // namespace hw_exporter::sysfs

#pragma once

// The hwmon collector's seam: how it reads a sensor file, so that a test can make a read hang the way one of a
// slow or stuck driver can.

#include <memory>

#include "hw_exporter/collectors/collector.h"
#include "hw_exporter/sysfs/file_reader.h"

namespace hw_exporter {

// MakeHwmonCollector with another reader of sensor files.
std::unique_ptr<Collector> MakeHwmonCollector(const CollectorContext& context, sysfs::FileReader read_file);

}  // namespace hw_exporter

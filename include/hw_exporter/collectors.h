#pragma once

// Factories of the collectors, one per file of src/collectors/; the table in table.cpp is their only caller.

#include <memory>

#include "hw_exporter/collector.h"

namespace hw_exporter {

std::unique_ptr<Collector> MakeCpuCollector(const CollectorContext& context);
std::unique_ptr<Collector> MakeCpufreqCollector(const CollectorContext& context);
std::unique_ptr<Collector> MakeDiskstatsCollector(const CollectorContext& context);
std::unique_ptr<Collector> MakeFilesystemCollector(const CollectorContext& context);
std::unique_ptr<Collector> MakeHwmonCollector(const CollectorContext& context);
std::unique_ptr<Collector> MakeIpmiCollector(const CollectorContext& context);
std::unique_ptr<Collector> MakeLoadavgCollector(const CollectorContext& context);
std::unique_ptr<Collector> MakeMeminfoCollector(const CollectorContext& context);
std::unique_ptr<Collector> MakeNetdevCollector(const CollectorContext& context);

std::unique_ptr<Collector> MakePowerSupplyClassCollector(const CollectorContext& context);
std::unique_ptr<Collector> MakeSmartctlCollector(const CollectorContext& context);
std::unique_ptr<Collector> MakeThermalZoneCollector(const CollectorContext& context);
}  // namespace hw_exporter

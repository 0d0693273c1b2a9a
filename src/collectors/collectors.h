#pragma once

// Factories of the collectors, one per file of src/collectors/; the table in table.cpp is their only caller.

#include <memory>

#include "hw_exporter/collectors/collector.h"
#include "hw_exporter/sysfs/file_reader.h"

namespace hw_exporter {

std::unique_ptr<Collector> MakeCpuCollector(const CollectorContext& context);
std::unique_ptr<Collector> MakeCpufreqCollector(const CollectorContext& context);
std::unique_ptr<Collector> MakeDiskstatsCollector(const CollectorContext& context);
std::unique_ptr<Collector> MakeDmiCollector(const CollectorContext& context);
std::unique_ptr<Collector> MakeEdacCollector(const CollectorContext& context);
std::unique_ptr<Collector> MakeFilesystemCollector(const CollectorContext& context);
std::unique_ptr<Collector> MakeHwmonCollector(const CollectorContext& context);
std::unique_ptr<Collector> MakeIpmiCollector(const CollectorContext& context);
std::unique_ptr<Collector> MakeIpmiBmcCollector(const CollectorContext& context);
std::unique_ptr<Collector> MakeIpmiChassisCollector(const CollectorContext& context);
std::unique_ptr<Collector> MakeIpmiDcmiCollector(const CollectorContext& context);
std::unique_ptr<Collector> MakeIpmiSelCollector(const CollectorContext& context);
std::unique_ptr<Collector> MakeLoadavgCollector(const CollectorContext& context);
std::unique_ptr<Collector> MakeMeminfoCollector(const CollectorContext& context);
std::unique_ptr<Collector> MakeNetdevCollector(const CollectorContext& context);
std::unique_ptr<Collector> MakeNvmeCollector(const CollectorContext& context);
std::unique_ptr<Collector> MakePowerSupplyClassCollector(const CollectorContext& context);
std::unique_ptr<Collector> MakePressureCollector(const CollectorContext& context);
std::unique_ptr<Collector> MakeRaplCollector(const CollectorContext& context);
// The rapl collector reading its files through read_file: the seam for tests of the root-only energy counters.
std::unique_ptr<Collector> MakeRaplCollectorWithReader(const CollectorContext& context, sysfs::FileReader read_file);
std::unique_ptr<Collector> MakeSmartctlCollector(const CollectorContext& context);
std::unique_ptr<Collector> MakeStatCollector(const CollectorContext& context);
std::unique_ptr<Collector> MakeTextfileCollector(const CollectorContext& context);
std::unique_ptr<Collector> MakeThermalZoneCollector(const CollectorContext& context);
std::unique_ptr<Collector> MakeVmstatCollector(const CollectorContext& context);

}  // namespace hw_exporter

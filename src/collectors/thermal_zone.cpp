// node_thermal_zone_temp and node_cooling_device_*: /sys/class/thermal, as node_exporter exposes it.
#include "collectors.h"
#include "hw_exporter/sysfs/thermal.h"

namespace hw_exporter {

namespace {

class ThermalZoneCollector : public Collector {
 public:
  explicit ThermalZoneCollector(std::string class_directory) : class_directory_(std::move(class_directory)) {}

  Families Collect() override {
    FamilySet families;
    for (const sysfs::ThermalZone& zone : sysfs::ReadThermalZones(class_directory_)) {
      families.Gauge("node_thermal_zone_temp", "Zone temperature in Celsius",
                     static_cast<double>(zone.temp_millicelsius) / 1000.0, {{"zone", zone.zone}, {"type", zone.type}});
    }
    for (const sysfs::CoolingDevice& device : sysfs::ReadCoolingDevices(class_directory_)) {
      Labels labels{{"name", device.name}, {"type", device.type}};
      families.Gauge("node_cooling_device_cur_state", "Current throttle state of the cooling device",
                     static_cast<double>(device.cur_state), labels);
      families.Gauge("node_cooling_device_max_state", "Maximum throttle state of the cooling device",
                     static_cast<double>(device.max_state), labels);
    }
    return families.Take();
  }

 private:
  std::string class_directory_;
};

}  // namespace

std::unique_ptr<Collector> MakeThermalZoneCollector(const CollectorContext& context) {
  return std::make_unique<ThermalZoneCollector>(context.paths.Sys("class/thermal"));
}

}  // namespace hw_exporter

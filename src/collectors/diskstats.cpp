// Block device I/O statistics from /proc/diskstats, with the udev properties of each device, as node_exporter 1.5's
// diskstats collector exposes them.
#include <array>

#include "collectors.h"
#include "hw_exporter/core/fs.h"
#include "hw_exporter/core/strings.h"
#include "hw_exporter/procfs/diskstats.h"
#include "hw_exporter/sysfs/udev.h"
#include "name_filter.h"

namespace hw_exporter {

namespace {

using procfs::DiskStats;
using sysfs::UdevProperties;
using sysfs::UdevProperty;

// The kernel counts sectors of 512 bytes whatever the device's block size, and times in milliseconds.
constexpr double kSectorBytes = 512.0;
constexpr double kSecondsPerTick = 1.0 / 1000.0;

struct StatMetric {
  const char* name;
  const char* help;
  bool counter;
  double scale;
};

// One entry per statistic of a /proc/diskstats line, in the kernel's order.
constexpr std::array<StatMetric, 17> kStatMetrics = {{
    {"node_disk_reads_completed_total", "The total number of reads completed successfully.", true, 1},
    {"node_disk_reads_merged_total", "The total number of reads merged.", true, 1},
    {"node_disk_read_bytes_total", "The total number of bytes read successfully.", true, kSectorBytes},
    {"node_disk_read_time_seconds_total", "The total number of seconds spent by all reads.", true, kSecondsPerTick},
    {"node_disk_writes_completed_total", "The total number of writes completed successfully.", true, 1},
    {"node_disk_writes_merged_total", "The number of writes merged.", true, 1},
    {"node_disk_written_bytes_total", "The total number of bytes written successfully.", true, kSectorBytes},
    {"node_disk_write_time_seconds_total", "This is the total number of seconds spent by all writes.", true,
     kSecondsPerTick},
    {"node_disk_io_now", "The number of I/Os currently in progress.", false, 1},
    {"node_disk_io_time_seconds_total", "Total seconds spent doing I/Os.", true, kSecondsPerTick},
    {"node_disk_io_time_weighted_seconds_total", "The weighted # of seconds spent doing I/Os.", true, kSecondsPerTick},
    {"node_disk_discards_completed_total", "The total number of discards completed successfully.", true, 1},
    {"node_disk_discards_merged_total", "The total number of discards merged.", true, 1},
    // node_exporter leaves discarded sectors in sectors, unlike read and written ones.
    {"node_disk_discarded_sectors_total", "The total number of sectors discarded successfully.", true, 1},
    {"node_disk_discard_time_seconds_total", "This is the total number of seconds spent by all discards.", true,
     kSecondsPerTick},
    {"node_disk_flush_requests_total", "The total number of flush requests completed successfully", true, 1},
    {"node_disk_flush_requests_time_seconds_total", "This is the total number of seconds spent by all flush requests.",
     true, kSecondsPerTick},
}};

struct AtaMetric {
  const char* property;
  const char* name;
  const char* help;
};

constexpr std::array<AtaMetric, 3> kAtaMetrics = {{
    {"ID_ATA_WRITE_CACHE", "node_disk_ata_write_cache", "ATA disk has a write cache."},
    {"ID_ATA_WRITE_CACHE_ENABLED", "node_disk_ata_write_cache_enabled", "ATA disk has its write cache enabled."},
    {"ID_ATA_ROTATION_RATE_RPM", "node_disk_ata_rotation_rate_rpm", "ATA disk rotation rate in RPMs (0 for SSDs)."},
}};

class DiskstatsCollector : public Collector {
 public:
  DiskstatsCollector(Paths paths, NameFilter filter) : paths_(paths), filter_(std::move(filter)), udev_(paths) {}

  Families Collect() override {
    FamilySet families;
    const std::string path = paths_.Proc("diskstats");
    udev_.StartSweep();
    for (const DiskStats& disk : procfs::ParseDiskstats(ReadFile(path), path)) {
      if (filter_.Ignored(disk.device)) continue;
      const UdevProperties& udev = udev_.Properties(disk.major, disk.minor);
      AddInfo(families, disk, udev);
      AddStats(families, disk);
      AddUdevFamilies(families, disk.device, udev);
    }
    udev_.ForgetUnused();
    return families.Take();
  }

 private:
  static void AddInfo(FamilySet& families, const DiskStats& disk, const UdevProperties& udev) {
    families.Gauge("node_disk_info", "Info of /sys/block/<block_device>.", 1,
                   {{"device", disk.device},
                    {"major", std::to_string(disk.major)},
                    {"minor", std::to_string(disk.minor)},
                    {"path", UdevProperty(udev, "ID_PATH")},
                    {"wwn", UdevProperty(udev, "ID_WWN")},
                    {"model", UdevProperty(udev, "ID_MODEL")},
                    {"serial", UdevProperty(udev, "ID_SERIAL_SHORT")},
                    {"revision", UdevProperty(udev, "ID_REVISION")}});
  }

  static void AddStats(FamilySet& families, const DiskStats& disk) {
    const Labels labels = {{"device", disk.device}};
    for (size_t i = 0; i < disk.stats.size() && i < kStatMetrics.size(); ++i) {
      const StatMetric& metric = kStatMetrics[i];
      double value = static_cast<double>(disk.stats[i]) * metric.scale;
      if (metric.counter) {
        families.Counter(metric.name, metric.help, value, labels);
      } else {
        families.Gauge(metric.name, metric.help, value, labels);
      }
    }
  }

  // What udev's blkid, device-mapper and ATA rules learnt about the device; each family only where udev has it.
  static void AddUdevFamilies(FamilySet& families, const std::string& device, const UdevProperties& udev) {
    if (const std::string& fs_type = UdevProperty(udev, "ID_FS_TYPE"); !fs_type.empty()) {
      families.Gauge("node_disk_filesystem_info", "Info about disk filesystem.", 1,
                     {{"device", device},
                      {"type", fs_type},
                      {"usage", UdevProperty(udev, "ID_FS_USAGE")},
                      {"uuid", UdevProperty(udev, "ID_FS_UUID")},
                      {"version", UdevProperty(udev, "ID_FS_VERSION")}});
    }
    if (const std::string& dm_name = UdevProperty(udev, "DM_NAME"); !dm_name.empty()) {
      families.Gauge("node_disk_device_mapper_info", "Info about disk device mapper.", 1,
                     {{"device", device},
                      {"name", dm_name},
                      {"uuid", UdevProperty(udev, "DM_UUID")},
                      {"vg_name", UdevProperty(udev, "DM_VG_NAME")},
                      {"lv_name", UdevProperty(udev, "DM_LV_NAME")},
                      {"lv_layer", UdevProperty(udev, "DM_LV_LAYER")}});
    }
    if (UdevProperty(udev, "ID_ATA").empty()) return;
    for (const AtaMetric& metric : kAtaMetrics) {
      auto found = udev.find(std::string_view(metric.property));
      if (found == udev.end()) continue;
      if (auto value = ParseDouble(found->second)) {
        families.Gauge(metric.name, metric.help, *value, {{"device", device}});
      }
    }
  }

  Paths paths_;
  NameFilter filter_;
  sysfs::UdevBlockDevices udev_;  // a collector's refreshes never run at once
};

}  // namespace

std::unique_ptr<Collector> MakeDiskstatsCollector(const CollectorContext& context) {
  return std::make_unique<DiskstatsCollector>(context.paths, DeviceFilterFromOptions(context, "diskstats"));
}

}  // namespace hw_exporter

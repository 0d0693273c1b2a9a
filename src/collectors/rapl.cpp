// Energy counters of the RAPL power zones (node_exporter's rapl collector).
#include "collector_options.h"
#include "collectors.h"
#include "hw_exporter/sysfs/powercap.h"

namespace hw_exporter {

namespace {

bool AllowedInName(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// node_exporter's SanitizeMetricName: every run of characters that may not appear in a metric name, together with
// the underscores around it, becomes one underscore ("package-0-die-1" -> "package_0_die_1").
std::string SanitizeNamePart(std::string_view text) {
  std::string sanitized;
  size_t i = 0;
  while (i < text.size()) {
    size_t bad_start = i;
    while (bad_start < text.size() && text[bad_start] == '_') ++bad_start;
    size_t bad_end = bad_start;
    while (bad_end < text.size() && !AllowedInName(text[bad_end])) ++bad_end;
    if (bad_end == bad_start) {  // no disallowed run starts here: the character stays
      sanitized += text[i++];
      continue;
    }
    while (bad_end < text.size() && text[bad_end] == '_') ++bad_end;
    sanitized += '_';
    i = bad_end;
  }
  return sanitized;
}

class RaplCollector : public Collector {
 public:
  RaplCollector(std::string class_directory, bool zone_label, sysfs::FileReader read_file, log::Logger log)
      : class_directory_(std::move(class_directory)),
        zone_label_(zone_label),
        read_file_(std::move(read_file)),
        log_(std::move(log)) {}

  Families Collect() override {
    FamilySet families;
    for (const sysfs::RaplZone& zone : sysfs::ReadRaplZones(class_directory_, read_file_)) {
      if (!zone.energy_microjoules) {
        // Root-only since CVE-2020-8694: running unprivileged is a normal setup, not a failure.
        log_.Debug("energy_uj is readable only with privileges; zone skipped", {{"zone", zone.path}});
        continue;
      }
      double joules = static_cast<double>(*zone.energy_microjoules) / 1e6;
      std::string index = std::to_string(zone.index);
      if (zone_label_) {
        families.Counter("node_rapl_joules_total", "Current RAPL value in joules", joules,
                         {{"index", index}, {"path", zone.path}, {"rapl_zone", zone.name}});
      } else {
        families.Counter("node_rapl_" + SanitizeNamePart(zone.name) + "_joules_total",
                         "Current RAPL " + zone.name + " value in joules", joules,
                         {{"index", index}, {"path", zone.path}});
      }
    }
    return families.Take();
  }

 private:
  std::string class_directory_;
  bool zone_label_;
  sysfs::FileReader read_file_;
  log::Logger log_;
};

}  // namespace

std::unique_ptr<Collector> MakeRaplCollectorWithReader(const CollectorContext& context, sysfs::FileReader read_file) {
  return std::make_unique<RaplCollector>(context.paths.Sys("class/powercap"), BoolOption(context, "enable-zone-label"),
                                         std::move(read_file), context.log);
}

std::unique_ptr<Collector> MakeRaplCollector(const CollectorContext& context) {
  return MakeRaplCollectorWithReader(context, sysfs::RealFileReader());
}

}  // namespace hw_exporter

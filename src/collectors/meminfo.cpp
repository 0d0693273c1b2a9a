// node_exporter's meminfo collector: every field of /proc/meminfo as node_memory_<field>[_bytes].
#include "hw_exporter/procfs/meminfo.h"

#include <map>
#include <string>

#include "collectors.h"
#include "hw_exporter/core/fs.h"
#include "hw_exporter/core/strings.h"

namespace hw_exporter {

namespace {

// node_exporter's names: "Active(anon)" becomes "Active_anon" (its regex \((.*)\) replaced by _$1: from the first
// "(" to the last ")"), and a field with a unit (always kB) is converted to bytes and gets "_bytes"; unit-less counts
// like HugePages_Total keep their name.
std::string MetricName(const procfs::MeminfoField& field) {
  std::string name = "node_memory_" + field.name;
  const std::size_t open = name.find('(');
  const std::size_t close = name.rfind(')');
  if (open != std::string::npos && close != std::string::npos && close > open) {
    name.erase(close, 1);
    name[open] = '_';
  }
  if (!field.unit.empty()) name += "_bytes";
  return name;
}

double MetricValue(const procfs::MeminfoField& field) { return field.unit.empty() ? field.value : field.value * 1024; }

class MeminfoCollector : public Collector {
 public:
  explicit MeminfoCollector(const Paths& paths) : path_(paths.Proc("meminfo")) {}

  Families Collect() override {
    // By name, so that a field the kernel prints twice gives one series (the last value), as in node_exporter.
    std::map<std::string, double> values;
    for (const auto& field : procfs::ParseMeminfo(ReadFile(path_), path_))
      values[MetricName(field)] = MetricValue(field);
    FamilySet families;
    for (const auto& [name, value] : values) {
      std::string help = "Memory information field " + name.substr(std::string("node_memory_").size()) + ".";
      // node_exporter types a field ending in "_total" as a counter; the kernel prints none today.
      if (EndsWith(name, "_total")) {
        families.Counter(name, help, value);
      } else {
        families.Gauge(name, help, value);
      }
    }
    return families.Take();
  }

 private:
  const std::string path_;
};

}  // namespace

std::unique_ptr<Collector> MakeMeminfoCollector(const CollectorContext& context) {
  return std::make_unique<MeminfoCollector>(context.paths);
}

}  // namespace hw_exporter

// node_exporter's meminfo collector: every field of /proc/meminfo as node_memory_<field>[_bytes].
#include "hw_exporter/procfs/meminfo.h"

#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

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

// What a field becomes: its series' name and HELP text, and whether it is a counter.
struct FieldSeries {
  std::string name;
  std::string help;
  bool counter = false;
};

FieldSeries SeriesOf(const procfs::MeminfoField& field) {
  std::string name = MetricName(field);
  std::string help = "Memory information field " + name.substr(std::string_view("node_memory_").size()) + ".";
  // node_exporter types a field ending in "_total" as a counter; the kernel prints none today.
  const bool counter = EndsWith(name, "_total");
  return {std::move(name), std::move(help), counter};
}

class MeminfoCollector : public Collector {
 public:
  explicit MeminfoCollector(const Paths& paths) : path_(paths.Proc("meminfo")) {}

  Families Collect() override {
    // By series name, so that a field the kernel prints twice gives one series (the last value), as in node_exporter.
    std::map<std::string_view, std::pair<const FieldSeries*, double>> values;
    for (const auto& field : procfs::ParseMeminfo(ReadFile(path_), path_)) {
      const FieldSeries& series = Series(field);
      values[series.name] = {&series, MetricValue(field)};
    }
    FamilySet families;
    for (const auto& [name, value] : values) {
      const auto& [series, number] = value;
      if (series->counter) {
        families.Counter(name, series->help, number);
      } else {
        families.Gauge(name, series->help, number);
      }
    }
    return families.Take();
  }

 private:
  // The kernel prints the same fields at every read: each field's series is built once, at its first refresh.
  const FieldSeries& Series(const procfs::MeminfoField& field) {
    const bool has_unit = !field.unit.empty();
    auto found = series_.find(std::tie(field.name, has_unit));
    if (found == series_.end()) found = series_.emplace(Key{field.name, has_unit}, SeriesOf(field)).first;
    return found->second;
  }

  using Key = std::tuple<std::string, bool>;  // the field's name, and whether it has a unit
  const std::string path_;
  std::map<Key, FieldSeries, std::less<>> series_;
};

}  // namespace

std::unique_ptr<Collector> MakeMeminfoCollector(const CollectorContext& context) {
  return std::make_unique<MeminfoCollector>(context.paths);
}

}  // namespace hw_exporter

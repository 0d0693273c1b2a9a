// node_exporter's vmstat collector: the fields of /proc/vmstat whose name matches a regex.
#include "hw_exporter/procfs/vmstat.h"

#include <regex>
#include <string>

#include "collector_options.h"
#include "collectors.h"
#include "hw_exporter/core/fs.h"
#include "remembered_search.h"

namespace hw_exporter {

namespace {

class VmstatCollector : public Collector {
 public:
  VmstatCollector(const Paths& paths, std::regex fields) : path_(paths.Proc("vmstat")), fields_(std::move(fields)) {}

  Families Collect() override {
    FamilySet families;
    for (const auto& field : procfs::ParseVmstat(ReadFile(path_), path_)) {
      // Unanchored, as in node_exporter: the default pattern anchors itself with "^".
      if (!fields_.Matches(field.name)) continue;
      // Untyped: the file mixes counters (pgfault) and gauges (nr_free_pages), and says not which is which.
      families.Untyped("node_vmstat_" + field.name, "/proc/vmstat information field " + field.name + ".", field.value);
    }
    return families.Take();
  }

 private:
  const std::string path_;
  const RememberedSearch fields_;
};

}  // namespace

std::unique_ptr<Collector> MakeVmstatCollector(const CollectorContext& context) {
  // An empty pattern matches every field, as an empty regex does in node_exporter.
  std::regex fields = RegexOption(context, "fields").value_or(std::regex(""));
  return std::make_unique<VmstatCollector>(context.paths, std::move(fields));
}

}  // namespace hw_exporter

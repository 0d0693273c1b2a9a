// node_exporter's loadavg collector: node_load1, node_load5, node_load15 from /proc/loadavg.
#include "hw_exporter/procfs/loadavg.h"

#include "collectors.h"
#include "hw_exporter/core/fs.h"

namespace hw_exporter {

namespace {

class LoadavgCollector : public Collector {
 public:
  explicit LoadavgCollector(const Paths& paths) : path_(paths.Proc("loadavg")) {}

  Families Collect() override {
    procfs::LoadAverage load = procfs::ParseLoadavg(ReadFile(path_), path_);
    FamilySet families;
    families.Gauge("node_load1", "1m load average.", load.load1);
    families.Gauge("node_load5", "5m load average.", load.load5);
    families.Gauge("node_load15", "15m load average.", load.load15);
    return families.Take();
  }

 private:
  const std::string path_;
};

}  // namespace

std::unique_ptr<Collector> MakeLoadavgCollector(const CollectorContext& context) {
  return std::make_unique<LoadavgCollector>(context.paths);
}

}  // namespace hw_exporter

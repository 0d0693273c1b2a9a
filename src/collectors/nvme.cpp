// node_nvme_info: the identity of each NVMe controller (node_exporter's nvme collector).
#include "collectors.h"
#include "hw_exporter/sysfs/nvme.h"

namespace hw_exporter {

namespace {

class NvmeCollector : public Collector {
 public:
  explicit NvmeCollector(std::string class_directory) : class_directory_(std::move(class_directory)) {}

  Families Collect() override {
    FamilySet families;
    for (const sysfs::NvmeController& controller : sysfs::ReadNvmeControllers(class_directory_)) {
      families.Gauge("node_nvme_info", "Non-numeric data from /sys/class/nvme/<device>, value is always 1.", 1,
                     {{"device", controller.device},
                      {"firmware_revision", controller.firmware_revision},
                      {"model", controller.model},
                      {"serial", controller.serial},
                      {"state", controller.state}});
    }
    return families.Take();
  }

 private:
  std::string class_directory_;
};

}  // namespace

std::unique_ptr<Collector> MakeNvmeCollector(const CollectorContext& context) {
  return std::make_unique<NvmeCollector>(context.paths.Sys("class/nvme"));
}

}  // namespace hw_exporter

// Memory error counters of the EDAC memory controllers (node_exporter's edac collector).
#include "collectors.h"
#include "hw_exporter/sysfs/edac.h"

namespace hw_exporter {

namespace {

constexpr std::string_view kCsrowCorrectable = "node_edac_csrow_correctable_errors_total";
constexpr std::string_view kCsrowCorrectableHelp = "Total correctable memory errors for this csrow.";
constexpr std::string_view kCsrowUncorrectable = "node_edac_csrow_uncorrectable_errors_total";
constexpr std::string_view kCsrowUncorrectableHelp = "Total uncorrectable memory errors for this csrow.";

void AddController(FamilySet& families, const sysfs::EdacController& controller) {
  Labels labels = {{"controller", controller.number}};
  families.Counter("node_edac_correctable_errors_total", "Total correctable memory errors.",
                   static_cast<double>(controller.correctable), labels);
  families.Counter("node_edac_uncorrectable_errors_total", "Total uncorrectable memory errors.",
                   static_cast<double>(controller.uncorrectable), labels);
  // Errors the driver could not place in a row are counted under csrow="unknown".
  Labels unknown_row = {{"controller", controller.number}, {"csrow", "unknown"}};
  families.Counter(kCsrowCorrectable, kCsrowCorrectableHelp, static_cast<double>(controller.correctable_without_row),
                   unknown_row);
  families.Counter(kCsrowUncorrectable, kCsrowUncorrectableHelp,
                   static_cast<double>(controller.uncorrectable_without_row), unknown_row);
  for (const sysfs::EdacCsrow& csrow : controller.csrows) {
    Labels row = {{"controller", controller.number}, {"csrow", csrow.number}};
    families.Counter(kCsrowCorrectable, kCsrowCorrectableHelp, static_cast<double>(csrow.correctable), row);
    families.Counter(kCsrowUncorrectable, kCsrowUncorrectableHelp, static_cast<double>(csrow.uncorrectable), row);
  }
}

class EdacCollector : public Collector {
 public:
  explicit EdacCollector(std::string mc_directory) : mc_directory_(std::move(mc_directory)) {}

  Families Collect() override {
    FamilySet families;
    for (const sysfs::EdacController& controller : sysfs::ReadEdacControllers(mc_directory_)) {
      AddController(families, controller);
    }
    return families.Take();
  }

 private:
  std::string mc_directory_;
};

}  // namespace

std::unique_ptr<Collector> MakeEdacCollector(const CollectorContext& context) {
  return std::make_unique<EdacCollector>(context.paths.Sys("devices/system/edac/mc"));
}

}  // namespace hw_exporter

// The BMC's identity as ipmi_exporter's bmc collector exports it: ipmi_bmc_info{firmware_revision,
// manufacturer_id,system_firmware_version,bmc_url} 1, from FreeIPMI's `bmc-info` or ipmitool's `bmc info`.
#include "collectors.h"
#include "hw_exporter/probe/bmc_info.h"
#include "ipmi_command.h"
#include "ipmi_sensor_families.h"

namespace hw_exporter {

namespace {

class IpmiBmcCollector : public Collector {
 public:
  explicit IpmiBmcCollector(const CollectorContext& context) : command_(context, {"bmc", "info"}, {}) {}

  Families Collect() override {
    const BmcInfo info = command_.Read(ParseIpmitoolBmcInfo, ParseFreeipmiBmcInfo);
    FamilySet families;
    families.Gauge("ipmi_bmc_info", "Constant metric with value 1 providing details about the BMC.", 1,
                   {{"firmware_revision", info.firmware_revision},
                    {"manufacturer_id", info.manufacturer_id},
                    {"system_firmware_version", info.system_firmware_version},
                    {"bmc_url", info.bmc_url}});
    WriteIpmiUp(families, "bmc");
    return families.Take();
  }

 private:
  IpmiCommand command_;
};

}  // namespace

std::unique_ptr<Collector> MakeIpmiBmcCollector(const CollectorContext& context) {
  return std::make_unique<IpmiBmcCollector>(context);
}

}  // namespace hw_exporter

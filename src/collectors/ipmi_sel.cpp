// The System Event Log's fill as ipmi_exporter's sel collector exports it: ipmi_sel_logs_count and
// ipmi_sel_free_space_bytes, from FreeIPMI's `ipmi-sel --info` or ipmitool's `sel info`.
#include "collectors.h"
#include "hw_exporter/probe/sel_info.h"
#include "ipmi_command.h"
#include "ipmi_sensor_families.h"

namespace hw_exporter {

namespace {

class IpmiSelCollector : public Collector {
 public:
  explicit IpmiSelCollector(const CollectorContext& context) : command_(context, {"sel", "info"}, {"--info"}) {}

  Families Collect() override {
    const SelInfo info = command_.Read(ParseIpmitoolSelInfo, ParseFreeipmiSelInfo);
    FamilySet families;
    families.Gauge("ipmi_sel_logs_count", "Current number of log entries in the SEL.", info.entries);
    families.Gauge("ipmi_sel_free_space_bytes", "Current free space remaining for new SEL entries.", info.free_bytes);
    WriteIpmiUp(families, "sel");
    return families.Take();
  }

 private:
  IpmiCommand command_;
};

}  // namespace

std::unique_ptr<Collector> MakeIpmiSelCollector(const CollectorContext& context) {
  return std::make_unique<IpmiSelCollector>(context);
}

}  // namespace hw_exporter

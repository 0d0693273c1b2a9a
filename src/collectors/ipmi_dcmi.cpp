// The power the BMC measures, as ipmi_exporter's dcmi collector exports it: ipmi_dcmi_power_consumption_watts,
// from FreeIPMI's `ipmi-dcmi --get-system-power-statistics` or ipmitool's `dcmi power reading`. When the BMC says
// its measurement is not active ("Not Available", "deactivated") there is no sample, as in ipmi_exporter, and the
// collector still succeeds.
#include "collectors.h"
#include "hw_exporter/probe/dcmi_power.h"
#include "ipmi_command.h"
#include "ipmi_sensor_families.h"

namespace hw_exporter {

namespace {

class IpmiDcmiCollector : public Collector {
 public:
  explicit IpmiDcmiCollector(const CollectorContext& context)
      : command_(context, {"dcmi", "power", "reading"}, {"--get-system-power-statistics"}) {}

  Families Collect() override {
    const DcmiPower power = command_.Read(ParseIpmitoolDcmiPower, ParseFreeipmiDcmiPower);
    FamilySet families;
    if (power.current_watts) {
      families.Gauge("ipmi_dcmi_power_consumption_watts", "Current power consumption in Watts.", *power.current_watts);
    }
    WriteIpmiUp(families, "dcmi");
    return families.Take();
  }

 private:
  IpmiCommand command_;
};

}  // namespace

std::unique_ptr<Collector> MakeIpmiDcmiCollector(const CollectorContext& context) {
  return std::make_unique<IpmiDcmiCollector>(context);
}

}  // namespace hw_exporter

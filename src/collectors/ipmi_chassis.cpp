// The chassis status as ipmi_exporter's chassis collector exports it, from FreeIPMI's
// `ipmi-chassis --get-chassis-status` or ipmitool's `chassis status`. Its values are ipmi_exporter's: the power
// state is 1 when on, and each fault state is 1 when there is NO fault (its help texts say "1=false, 0=true"), so
// that alerts written for it keep working.
#include "collectors.h"
#include "hw_exporter/probe/chassis_status.h"
#include "ipmi_command.h"
#include "ipmi_sensor_families.h"

namespace hw_exporter {

namespace {

class IpmiChassisCollector : public Collector {
 public:
  explicit IpmiChassisCollector(const CollectorContext& context)
      : command_(context, {"chassis", "status"}, {"--get-chassis-status"}) {}

  Families Collect() override {
    const ChassisStatus status = command_.Read(ParseIpmitoolChassisStatus, ParseFreeipmiChassisStatus);
    FamilySet families;
    families.Gauge("ipmi_chassis_power_state", "Current power state (1=on, 0=off).", status.power_on ? 1 : 0);
    families.Gauge("ipmi_chassis_drive_fault_state", "Current drive fault state (1=false, 0=true).",
                   status.drive_fault ? 0 : 1);
    families.Gauge("ipmi_chassis_cooling_fault_state", "Current Cooling/fan fault state (1=false, 0=true).",
                   status.cooling_fault ? 0 : 1);
    WriteIpmiUp(families, "chassis");
    return families.Take();
  }

 private:
  IpmiCommand command_;
};

}  // namespace

std::unique_ptr<Collector> MakeIpmiChassisCollector(const CollectorContext& context) {
  return std::make_unique<IpmiChassisCollector>(context);
}

}  // namespace hw_exporter

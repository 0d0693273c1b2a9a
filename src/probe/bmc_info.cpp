#include "hw_exporter/probe/bmc_info.h"

#include "colon_fields.h"

namespace hw_exporter {

namespace {

constexpr std::string_view kNotAvailable = "N/A";

}  // namespace

BmcInfo ParseFreeipmiBmcInfo(std::string_view text) {
  constexpr std::string_view kSource = "bmc-info";
  const std::vector<ColonField> fields = ColonFields(text);
  BmcInfo info;
  info.firmware_revision = LeadingVersion(RequireField(fields, "Firmware Revision", kSource).value);
  info.manufacturer_id = RequireField(fields, "Manufacturer ID", kSource).value;
  const ColonField* system_firmware = FindField(fields, "System Firmware Version");
  info.system_firmware_version = system_firmware ? LeadingVersion(system_firmware->value) : kNotAvailable;
  const ColonField* url = FindField(fields, "BMC URL");
  info.bmc_url = url ? url->value : kNotAvailable;
  return info;
}

BmcInfo ParseIpmitoolBmcInfo(std::string_view text) {
  constexpr std::string_view kSource = "ipmitool bmc info";
  const std::vector<ColonField> fields = ColonFields(text);
  BmcInfo info;
  info.firmware_revision = LeadingVersion(RequireField(fields, "Firmware Revision", kSource).value);
  const std::string_view id = RequireField(fields, "Manufacturer ID", kSource).value;
  const ColonField* name = FindField(fields, "Manufacturer Name");
  info.manufacturer_id = name && !name->value.empty() ? std::string(name->value) + " (" + std::string(id) + ")"
                                                      : std::string(id);
  info.system_firmware_version = kNotAvailable;
  info.bmc_url = kNotAvailable;
  return info;
}

}  // namespace hw_exporter

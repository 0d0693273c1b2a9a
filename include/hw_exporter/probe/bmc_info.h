#pragma once

// The BMC's identity as FreeIPMI's `bmc-info` and ipmitool's `bmc info` (or `mc info`) print it, reduced to the
// labels of ipmi_exporter's ipmi_bmc_info. Both parsers throw ParseError when a line they need is missing.

#include <string>
#include <string_view>

namespace hw_exporter {

struct BmcInfo {
  std::string firmware_revision;        // "3.10": the leading digits and dots, as ipmi_exporter reads it
  std::string manufacturer_id;          // FreeIPMI: "Super Micro Computer Inc. (10876)"; ipmitool: "Supermicro (10876)"
  std::string system_firmware_version;  // the host's firmware (BIOS) version; "N/A" where the tool gives none
  std::string bmc_url;                  // "N/A" where the tool gives none
};

// bmc-info: "Firmware Revision" and "Manufacturer ID" are required; "System Firmware Version" and "BMC URL" (from
// the Get System Info parameters, which many BMCs lack) are "N/A" when absent.
BmcInfo ParseFreeipmiBmcInfo(std::string_view text);

// ipmitool bmc info: "Firmware Revision" and "Manufacturer ID" are required, "Manufacturer Name" is put before the
// id as FreeIPMI does. ipmitool prints neither the system firmware version nor the BMC URL: both are "N/A".
BmcInfo ParseIpmitoolBmcInfo(std::string_view text);

}  // namespace hw_exporter

#pragma once

// The JSON smartctl prints (--json): the device list of --scan-open, and one device's report of
// --info --health --attributes --log=error. Fields smartctl did not print stay empty; only text that is not a
// JSON object at all is an error.

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace hw_exporter {

// smartctl's exit status is a bitmask (smartctl(8), RETURN VALUES). Bits 0 and 1 mean there is no usable data
// (bad command line; device open failed or in a low-power mode); bits 2-7 report findings and come with data.
constexpr int kSmartctlFatalExitBits = 0x03;

class SmartctlParseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct SmartctlVersion {
  std::string json_format_version;  // "1.0"
  std::string smartctl_version;     // "7.3"
  std::string svn_revision;
  std::string build_info;
};

struct SmartctlScanEntry {
  std::string name;  // "/dev/sda"
  std::string type;  // "sat", "nvme", "megaraid,0" ...
};

struct SmartctlScan {
  std::optional<SmartctlVersion> version;
  std::vector<SmartctlScanEntry> devices;
  std::vector<std::string> open_errors;  // "<name>: <why>" for devices --scan-open could not open
};

// The labels of smartctl_device. Empty where smartctl printed nothing; the two optionals tell absent from empty
// because smartctl_exporter shows "unknown" only for absent ones.
struct SmartctlDeviceInfo {
  std::string interface_type;  // device.type
  std::string protocol;
  std::optional<std::string> model_family;
  std::string model_name;  // model_name, or scsi_model_name for SCSI
  std::string serial_number;
  std::optional<std::string> ata_additional_product_id;
  std::string firmware_version;
  std::string ata_version;
  std::string sata_version;
  std::string form_factor;
  std::string scsi_vendor;
  std::string scsi_product;
  std::string scsi_revision;
  std::string scsi_version;
};

struct SmartctlNamedValue {
  std::string name;
  double value = 0;
};

struct SmartctlAttribute {
  std::string id;
  std::string name;
  std::string flags_short;                 // "PO-R--"
  std::string flags_long;                  // "prefailure,updated_online,error_rate"
  std::vector<SmartctlNamedValue> values;  // value, worst, thresh, raw: those present
};

struct SmartctlStatistic {
  std::string table;
  std::string name;
  std::string flags_short;
  std::string flags_long;
  double value = 0;
};

struct SmartctlSelfTestLog {
  std::string type;  // "standard", "extended"
  std::optional<double> count;
  std::optional<double> error_count_total;
};

struct SmartctlNvmeHealth {
  std::optional<double> percentage_used;
  std::optional<double> available_spare;
  std::optional<double> available_spare_threshold;
  std::optional<double> critical_warning;
  std::optional<double> media_errors;
  std::optional<double> num_err_log_entries;
};

// scsi_error_counter_log.read / .write
struct SmartctlScsiErrorCounters {
  std::optional<double> corrected_by_rereads_rewrites;
  std::optional<double> corrected_by_eccfast;
  std::optional<double> corrected_by_eccdelayed;
  std::optional<double> total_uncorrected;
};

struct SmartctlReport {
  std::optional<SmartctlVersion> version;
  std::optional<int> exit_status;           // smartctl.exit_status, as smartctl reported it
  std::vector<std::string> error_messages;  // smartctl.messages of severity "error"
  // Set when --nocheck found the device in a low-power mode ("STANDBY", "SLEEP" ...) and smartctl stopped
  // without waking it.
  std::optional<std::string> low_power_mode;
  // The device's power mode ("ACTIVE or IDLE", "STANDBY" ...): power_mode.name, which smartctl 7.3 and later
  // report for ATA devices, else the low-power mode --nocheck found.
  std::optional<std::string> power_mode;

  std::string device_name;  // device.name
  std::string device_type;  // device.type
  SmartctlDeviceInfo info;

  std::optional<double> capacity_blocks;
  std::optional<double> capacity_bytes;
  std::optional<double> nvme_capacity_bytes;
  std::vector<SmartctlNamedValue> block_sizes;       // logical, physical
  std::vector<SmartctlNamedValue> interface_speeds;  // max, current (bits per second)
  std::optional<double> power_on_seconds;
  std::optional<double> rotation_rate;
  std::vector<SmartctlNamedValue> temperatures;  // current, drive_trip ... (Celsius)
  std::optional<double> power_cycle_count;
  std::optional<double> sct_device_state;
  std::optional<double> smart_passed;  // 1 passed, 0 failed
  std::vector<SmartctlAttribute> attributes;
  std::vector<SmartctlStatistic> statistics;
  std::vector<SmartctlNamedValue> error_log_counts;  // summary, extended
  std::vector<SmartctlSelfTestLog> self_test_logs;
  std::vector<SmartctlNamedValue> erc_seconds;  // read, write
  std::optional<SmartctlNvmeHealth> nvme_health;
  std::optional<double> bytes_read;  // NVMe data units or SCSI gigabytes processed, in bytes
  std::optional<double> bytes_written;
  std::optional<double> scsi_grown_defect_list;
  std::optional<SmartctlScsiErrorCounters> scsi_read_errors;
  std::optional<SmartctlScsiErrorCounters> scsi_write_errors;
};

// Both throw SmartctlParseError when the text is not a JSON object (garbage, truncated, empty).
SmartctlScan ParseSmartctlScan(std::string_view text);
SmartctlReport ParseSmartctlReport(std::string_view text);

// smartctl_exporter's device label: "/dev/" (and "disk/by-id/", "disk/by-path/") dropped, "/" made "_", and a
// type with a comma ("megaraid,0") appended with "_" for ",": "/dev/bus/0" + "megaraid,1" -> "bus_0_megaraid_1".
std::string SmartctlDeviceLabel(std::string_view name, std::string_view type);

}  // namespace hw_exporter

#include "hw_exporter/probe/smartctl_json.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <initializer_list>

#include "hw_exporter/core/strings.h"

namespace hw_exporter {

namespace {

using Json = nlohmann::json;
using Path = std::initializer_list<std::string_view>;

// smartctl before 7.3 could print this in front of the JSON of some SCSI devices.
constexpr std::string_view kPendingDefectPrefix = "  Pending defect count:";

// Bytes per NVMe data unit: the log counts thousands of 512-byte units.
constexpr double kNvmeDataUnitBytes = 512.0 * 1000.0;

Json ParseObject(std::string_view text, std::string_view what) {
  if (StartsWith(text, kPendingDefectPrefix)) text.remove_prefix(kPendingDefectPrefix.size());
  Json root = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) {
    throw SmartctlParseError(std::string(what) + ": not valid JSON (" + std::to_string(text.size()) +
                             " bytes; garbage or cut short)");
  }
  if (!root.is_object()) throw SmartctlParseError(std::string(what) + ": JSON is not an object");
  return root;
}

const Json* Find(const Json& root, Path path) {
  const Json* node = &root;
  for (std::string_view key : path) {
    if (!node->is_object()) return nullptr;
    auto found = node->find(key);
    if (found == node->end()) return nullptr;
    node = &*found;
  }
  return node;
}

// A number the way smartctl prints them: JSON numbers and booleans, and numbers in strings
// ("gigabytes_processed": "162438.759").
std::optional<double> AsNumber(const Json& node) {
  if (node.is_number()) return node.get<double>();
  if (node.is_boolean()) return node.get<bool>() ? 1.0 : 0.0;
  if (node.is_string()) return ParseDouble(node.get_ref<const std::string&>());
  return std::nullopt;
}

std::optional<double> Number(const Json& root, Path path) {
  const Json* node = Find(root, path);
  return node ? AsNumber(*node) : std::nullopt;
}

// Strings as they are, numbers in their JSON spelling (an "id" of 5 reads "5").
std::optional<std::string> AsText(const Json& node) {
  if (node.is_string()) return node.get<std::string>();
  if (node.is_number() || node.is_boolean()) return node.dump();
  return std::nullopt;
}

std::optional<std::string> OptionalText(const Json& root, Path path) {
  const Json* node = Find(root, path);
  return node ? AsText(*node) : std::nullopt;
}

std::string Text(const Json& root, Path path) { return OptionalText(root, path).value_or(""); }

std::string TrimmedText(const Json& root, Path path) { return std::string(Trim(Text(root, path))); }

// The members of an object, in key order; nothing for anything else.
const Json::object_t& Members(const Json* node) {
  static const Json::object_t kNone;
  return node && node->is_object() ? node->get_ref<const Json::object_t&>() : kNone;
}

const Json::array_t& Elements(const Json* node) {
  static const Json::array_t kNone;
  return node && node->is_array() ? node->get_ref<const Json::array_t&>() : kNone;
}

// "1.0" from [1, 0].
std::string VersionPair(const Json* node) {
  const Json::array_t& parts = Elements(node);
  if (parts.size() < 2 || !parts[0].is_number_integer() || !parts[1].is_number_integer()) return {};
  return std::to_string(parts[0].get<long long>()) + "." + std::to_string(parts[1].get<long long>());
}

std::optional<SmartctlVersion> ParseVersion(const Json& root) {
  const Json* smartctl = Find(root, {"smartctl"});
  if (!smartctl || !smartctl->is_object()) return std::nullopt;
  SmartctlVersion version;
  version.json_format_version = VersionPair(Find(root, {"json_format_version"}));
  version.smartctl_version = VersionPair(Find(*smartctl, {"version"}));
  version.svn_revision = Text(*smartctl, {"svn_revision"});
  version.build_info = Text(*smartctl, {"build_info"});
  return version;
}

// The names of the flags that are true, in the given order, joined with ",".
std::string LongFlags(const Json* flags, std::initializer_list<const char*> names) {
  std::string joined;
  for (const char* name : names) {
    const Json* flag = flags ? Find(*flags, {name}) : nullptr;
    if (!flag || !flag->is_boolean() || !flag->get<bool>()) continue;
    if (!joined.empty()) joined += ',';
    joined += name;
  }
  return joined;
}

// "STANDBY" from "Device is in STANDBY mode, exit(2)": the only trace --nocheck leaves in the JSON of every
// smartctl version (7.3 adds power_mode for ATA only).
std::optional<std::string> LowPowerMode(std::string_view message) {
  constexpr std::string_view kStart = "Device is in ";
  constexpr std::string_view kEnd = " mode, exit(";
  if (!StartsWith(message, kStart)) return std::nullopt;
  size_t end = message.find(kEnd, kStart.size());
  if (end == std::string_view::npos) return std::nullopt;
  return std::string(message.substr(kStart.size(), end - kStart.size()));
}

void ParseMessages(const Json& root, SmartctlReport& report) {
  for (const Json& message : Elements(Find(root, {"smartctl", "messages"}))) {
    std::string text = Text(message, {"string"});
    if (auto mode = LowPowerMode(text)) report.low_power_mode = std::move(mode);
    if (Text(message, {"severity"}) == "error") report.error_messages.push_back(std::move(text));
  }
}

SmartctlDeviceInfo ParseInfo(const Json& root) {
  SmartctlDeviceInfo info;
  info.interface_type = TrimmedText(root, {"device", "type"});
  info.protocol = TrimmedText(root, {"device", "protocol"});
  info.model_family = OptionalText(root, {"model_family"});
  info.model_name = Find(root, {"model_name"}) ? TrimmedText(root, {"model_name"})
                                               : TrimmedText(root, {"scsi_model_name"});
  info.serial_number = TrimmedText(root, {"serial_number"});
  info.ata_additional_product_id = OptionalText(root, {"ata_additional_product_id"});
  info.firmware_version = Text(root, {"firmware_version"});
  info.ata_version = Text(root, {"ata_version", "string"});
  info.sata_version = Text(root, {"sata_version", "string"});
  info.form_factor = Text(root, {"form_factor", "name"});
  info.scsi_vendor = Text(root, {"scsi_vendor"});
  info.scsi_product = Text(root, {"scsi_product"});
  info.scsi_revision = Text(root, {"scsi_revision"});
  info.scsi_version = Text(root, {"scsi_version"});
  return info;
}

void AddIfPresent(std::vector<SmartctlNamedValue>& values, std::string name, std::optional<double> value) {
  if (value) values.push_back({std::move(name), *value});
}

void ParseCapacity(const Json& root, SmartctlReport& report) {
  report.capacity_blocks = Number(root, {"user_capacity", "blocks"});
  report.capacity_bytes = Number(root, {"user_capacity", "bytes"});
  report.nvme_capacity_bytes = Number(root, {"nvme_total_capacity"});
  AddIfPresent(report.block_sizes, "logical", Number(root, {"logical_block_size"}));
  AddIfPresent(report.block_sizes, "physical", Number(root, {"physical_block_size"}));
  for (const char* speed : {"max", "current"}) {
    auto units = Number(root, {"interface_speed", speed, "units_per_second"});
    auto bits = Number(root, {"interface_speed", speed, "bits_per_unit"});
    if (units && bits) report.interface_speeds.push_back({speed, *units * *bits});
  }
}

void ParseUsage(const Json& root, SmartctlReport& report) {
  if (const Json* power_on = Find(root, {"power_on_time"}); power_on && power_on->is_object()) {
    report.power_on_seconds = Number(*power_on, {"hours"}).value_or(0) * 3600 +
                              Number(*power_on, {"minutes"}).value_or(0) * 60;
  }
  report.rotation_rate = Number(root, {"rotation_rate"});
  for (const auto& [name, value] : Members(Find(root, {"temperature"}))) {
    AddIfPresent(report.temperatures, name, AsNumber(value));
  }
  report.power_cycle_count = Number(root, {"power_cycle_count"});
  if (!report.power_cycle_count) {
    report.power_cycle_count = Number(root, {"scsi_start_stop_cycle_counter", "accumulated_start_stop_cycles"});
  }
  // smartctl prints {"value": 0, "string": "Active"}; a bare number is taken as well.
  report.sct_device_state = Number(root, {"ata_sct_status", "device_state", "value"});
  if (!report.sct_device_state) report.sct_device_state = Number(root, {"ata_sct_status", "device_state"});
  report.smart_passed = Number(root, {"smart_status", "passed"});
}

void ParseAttributes(const Json& root, SmartctlReport& report) {
  for (const Json& row : Elements(Find(root, {"ata_smart_attributes", "table"}))) {
    if (!row.is_object()) continue;
    SmartctlAttribute attribute;
    attribute.id = Text(row, {"id"});
    attribute.name = TrimmedText(row, {"name"});
    attribute.flags_short = TrimmedText(row, {"flags", "string"});
    attribute.flags_long = LongFlags(Find(row, {"flags"}), {"prefailure", "updated_online", "performance", "error_rate",
                                                            "event_count", "auto_keep"});
    AddIfPresent(attribute.values, "value", Number(row, {"value"}));
    AddIfPresent(attribute.values, "worst", Number(row, {"worst"}));
    AddIfPresent(attribute.values, "thresh", Number(row, {"thresh"}));
    AddIfPresent(attribute.values, "raw", Number(row, {"raw", "value"}));
    report.attributes.push_back(std::move(attribute));
  }
}

void ParseStatistics(const Json& root, SmartctlReport& report) {
  for (const Json& page : Elements(Find(root, {"ata_device_statistics", "pages"}))) {
    std::string table = TrimmedText(page, {"name"});
    // Vendor pages repeat statistic names (Seagate Exos), which would make duplicate series.
    if (table == "Vendor Specific Statistics") continue;
    for (const Json& row : Elements(Find(page, {"table"}))) {
      auto value = Number(row, {"value"});
      if (!value) continue;
      report.statistics.push_back({table, TrimmedText(row, {"name"}), TrimmedText(row, {"flags", "string"}),
                                   LongFlags(Find(row, {"flags"}),
                                             {"valid", "normalized", "supports_dsn", "monitored_condition_met"}),
                                   *value});
    }
  }
  for (const Json& row : Elements(Find(root, {"sata_phy_event_counters", "table"}))) {
    // smartctl_exporter files these counters as one more statistics table, always valid.
    auto value = Number(row, {"value"});
    if (value) {
      report.statistics.push_back({"SATA PHY Event Counters", TrimmedText(row, {"name"}), "V---", "valid", *value});
    }
  }
}

void ParseLogs(const Json& root, SmartctlReport& report) {
  for (const auto& [type, log] : Members(Find(root, {"ata_smart_error_log"}))) {
    AddIfPresent(report.error_log_counts, type, Number(log, {"count"}));
  }
  for (const auto& [type, log] : Members(Find(root, {"ata_smart_self_test_log"}))) {
    report.self_test_logs.push_back({type, Number(log, {"count"}), Number(log, {"error_count_total"})});
  }
  for (const auto& [type, erc] : Members(Find(root, {"ata_sct_erc"}))) {
    if (auto deciseconds = Number(erc, {"deciseconds"})) report.erc_seconds.push_back({type, *deciseconds / 10});
  }
}

// A count of NVMe data units in bytes; 0 means the drive does not report it.
std::optional<double> NvmeDataUnitBytes(std::optional<double> units) {
  if (!units || *units == 0) return std::nullopt;
  return *units * kNvmeDataUnitBytes;
}

void ParseNvme(const Json& root, SmartctlReport& report) {
  const Json* log = Find(root, {"nvme_smart_health_information_log"});
  if (!log || !log->is_object()) return;
  SmartctlNvmeHealth& health = report.nvme_health.emplace();
  health.percentage_used = Number(*log, {"percentage_used"});
  health.available_spare = Number(*log, {"available_spare"});
  health.available_spare_threshold = Number(*log, {"available_spare_threshold"});
  health.critical_warning = Number(*log, {"critical_warning"});
  health.media_errors = Number(*log, {"media_errors"});
  health.num_err_log_entries = Number(*log, {"num_err_log_entries"});
  report.bytes_read = NvmeDataUnitBytes(Number(*log, {"data_units_read"}));
  report.bytes_written = NvmeDataUnitBytes(Number(*log, {"data_units_written"}));
}

std::optional<SmartctlScsiErrorCounters> ParseScsiErrorCounters(const Json* direction) {
  if (!direction || !direction->is_object()) return std::nullopt;
  SmartctlScsiErrorCounters counters;
  counters.corrected_by_rereads_rewrites = Number(*direction, {"errors_corrected_by_rereads_rewrites"});
  counters.corrected_by_eccfast = Number(*direction, {"errors_corrected_by_eccfast"});
  counters.corrected_by_eccdelayed = Number(*direction, {"errors_corrected_by_eccdelayed"});
  counters.total_uncorrected = Number(*direction, {"total_uncorrected_errors"});
  return counters;
}

void ParseScsi(const Json& root, SmartctlReport& report) {
  report.scsi_grown_defect_list = Number(root, {"scsi_grown_defect_list"});
  const Json* log = Find(root, {"scsi_error_counter_log"});
  if (!log || !log->is_object()) return;
  report.scsi_read_errors = ParseScsiErrorCounters(Find(*log, {"read"}));
  report.scsi_write_errors = ParseScsiErrorCounters(Find(*log, {"write"}));
  // smartctl reports these in units of 10^9 bytes.
  if (auto gigabytes = Number(*log, {"read", "gigabytes_processed"})) report.bytes_read = *gigabytes * 1e9;
  if (auto gigabytes = Number(*log, {"write", "gigabytes_processed"})) report.bytes_written = *gigabytes * 1e9;
}

}  // namespace

SmartctlScan ParseSmartctlScan(std::string_view text) {
  Json root = ParseObject(text, "smartctl --scan-open");
  SmartctlScan scan;
  scan.version = ParseVersion(root);
  for (const Json& device : Elements(Find(root, {"devices"}))) {
    std::string name = Text(device, {"name"});
    if (name.empty()) continue;
    if (auto open_error = OptionalText(device, {"open_error"})) {
      scan.open_errors.push_back(name + ": " + *open_error);
      continue;
    }
    scan.devices.push_back({std::move(name), Text(device, {"type"})});
  }
  return scan;
}

SmartctlReport ParseSmartctlReport(std::string_view text) {
  Json root = ParseObject(text, "smartctl");
  SmartctlReport report;
  report.version = ParseVersion(root);
  if (auto status = Number(root, {"smartctl", "exit_status"})) report.exit_status = static_cast<int>(*status);
  ParseMessages(root, report);
  report.power_mode = OptionalText(root, {"power_mode", "name"});
  if (!report.power_mode) report.power_mode = report.low_power_mode;
  report.device_name = Text(root, {"device", "name"});
  report.device_type = Text(root, {"device", "type"});
  report.info = ParseInfo(root);
  ParseCapacity(root, report);
  ParseUsage(root, report);
  ParseAttributes(root, report);
  ParseStatistics(root, report);
  ParseLogs(root, report);
  ParseNvme(root, report);
  ParseScsi(root, report);
  return report;
}

std::string SmartctlDeviceLabel(std::string_view name, std::string_view type) {
  std::string label(name);
  for (std::string_view prefix : {"/dev/disk/by-id/", "/dev/disk/by-path/", "/dev/"}) {
    if (StartsWith(label, prefix)) {
      label.erase(0, prefix.size());
      break;
    }
  }
  std::replace(label.begin(), label.end(), '/', '_');
  if (type.find(',') != std::string_view::npos) {
    std::string suffix(type);
    std::replace(suffix.begin(), suffix.end(), ',', '_');
    label += "_" + suffix;
  }
  return label;
}

}  // namespace hw_exporter

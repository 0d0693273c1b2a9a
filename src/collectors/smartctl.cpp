// SMART data of every disk smartctl finds, under smartctl_exporter's metric names and labels. Disks are probed side
// by side, and no probe outlives its refresh: a disk that does not answer in time costs its own data, not the others'.
#include <algorithm>
#include <chrono>
#include <map>

#include "collector_options.h"
#include "collectors.h"
#include "hw_exporter/core/incomplete_refresh.h"
#include "hw_exporter/core/strings.h"
#include "hw_exporter/probe/process_runner.h"
#include "hw_exporter/probe/smartctl_json.h"
#include "name_filter.h"
#include "task_pool.h"

namespace hw_exporter {

namespace {

// Well above the largest report smartctl prints (a few hundred KiB with a full error log).
constexpr size_t kMaxReportBytes = 16 * 1024 * 1024;

// How the last probe of a device ended.
enum class ProbeResult { kRead, kStandby, kTimeout, kExitStatus, kUnparsable, kNotRun, kBackedOff };

std::string_view ReasonOf(ProbeResult result) {
  switch (result) {
    case ProbeResult::kRead: return "read";
    case ProbeResult::kStandby: return "standby";
    case ProbeResult::kTimeout: return "timeout";
    case ProbeResult::kExitStatus: return "exit_status";
    case ProbeResult::kUnparsable: return "unparsable";
    case ProbeResult::kNotRun: return "not_run";
    case ProbeResult::kBackedOff: return "backed_off";
  }
  return "unknown";
}

// What one probe of one device gave: made on a pool thread from the device's scan entry alone.
struct Probe {
  ProbeResult result = ProbeResult::kNotRun;
  int exit_status = -1;                  // -1 when smartctl could not run to its end
  std::optional<SmartctlReport> report;  // when it answered (read, or in standby)
  std::string error;                     // why it was not read
  Duration duration{};
};

// A disk that timed out this many refreshes in a row is skipped for the next 2^(n-1) - 1, up to this many: a dead
// disk then holds a probe place once every 16 refreshes instead of at every one.
constexpr int kMostSkippedRefreshes = 15;

struct Device {
  SmartctlScanEntry entry;
  std::optional<SmartctlReport> report;  // the last one read; kept, marked, until max-staleness when not read since
  Clock::SteadyTime read_at{};
  std::optional<std::string> power_mode;  // from the last probe that answered
  ProbeResult last = ProbeResult::kNotRun;
  std::string error;  // why the last probe did not read it
  int exit_status = -1;
  Duration duration{};
  int timeouts_in_a_row = 0;
  int skipped_refreshes_left = 0;

  bool Read() const { return last == ProbeResult::kRead || last == ProbeResult::kStandby; }
};

std::string OrUnknown(const std::optional<std::string>& text) { return text ? std::string(*text) : "unknown"; }

// Writes one device's last report as smartctl_exporter does.
class ReportWriter {
 public:
  ReportWriter(FamilySet& families, const std::string& device) : families_(families), device_(device) {}

  void Write(const SmartctlReport& report) {
    WriteInfo(report.info);
    Gauge("smartctl_device_capacity_blocks", "Capacity of the device in blocks", report.capacity_blocks);
    Gauge("smartctl_device_capacity_bytes", "Capacity of the device in bytes", report.capacity_bytes);
    Gauge("smartctl_device_nvme_capacity_bytes", "Total capacity of the NVMe device in bytes",
          report.nvme_capacity_bytes);
    for (const auto& [type, size] : report.block_sizes) {
      families_.Gauge("smartctl_device_block_size", "Block size of the device in bytes", size,
                      {{"device", device_}, {"blocks_type", type}});
    }
    for (const auto& [type, speed] : report.interface_speeds) {
      families_.Gauge("smartctl_device_interface_speed", "Interface speed of the device in bits per second", speed,
                      {{"device", device_}, {"speed_type", type}});
    }
    WriteAttributes(report.attributes);
    Counter("smartctl_device_power_on_seconds", "Time the device has been powered on, in seconds",
            report.power_on_seconds);
    if (report.rotation_rate && *report.rotation_rate > 0) {  // 0 is how smartctl reports a solid-state drive
      Gauge("smartctl_device_rotation_rate", "Rotation rate of the device in RPM", report.rotation_rate);
    }
    for (const auto& [type, celsius] : report.temperatures) {
      families_.Gauge("smartctl_device_temperature", "Temperature of the device in degrees Celsius", celsius,
                      {{"device", device_}, {"temperature_type", type}});
    }
    Counter("smartctl_device_power_cycle_count", "Number of power cycles of the device", report.power_cycle_count);
    Gauge("smartctl_device_state", "ATA SCT device state (0=active, 1=standby, 2=sleep, 3=dst, 4=offline, 5=sct)",
          report.sct_device_state);
    WriteStatistics(report.statistics);
    WriteLogs(report);
    Gauge("smartctl_device_smart_status", "Overall SMART health self-assessment (1=passed, 0=failed)",
          report.smart_passed);
    if (report.nvme_health) WriteNvme(*report.nvme_health);
    Counter("smartctl_device_bytes_read", "Bytes read from the device", report.bytes_read);
    Counter("smartctl_device_bytes_written", "Bytes written to the device", report.bytes_written);
    WriteScsi(report);
  }

 private:
  void Gauge(std::string_view name, std::string_view help, std::optional<double> value) {
    if (value) families_.Gauge(name, help, *value, {{"device", device_}});
  }
  void Counter(std::string_view name, std::string_view help, std::optional<double> value) {
    if (value) families_.Counter(name, help, *value, {{"device", device_}});
  }

  void WriteInfo(const SmartctlDeviceInfo& info) {
    families_.Gauge("smartctl_device", "Identity of the device; the value is always 1", 1,
                    {{"device", device_},
                     {"interface", info.interface_type},
                     {"protocol", info.protocol},
                     {"model_family", std::string(Trim(OrUnknown(info.model_family)))},
                     {"model_name", info.model_name.empty() ? "unknown" : info.model_name},
                     {"serial_number", info.serial_number},
                     {"ata_additional_product_id", OrUnknown(info.ata_additional_product_id)},
                     {"firmware_version", info.firmware_version},
                     {"ata_version", info.ata_version},
                     {"sata_version", info.sata_version},
                     {"form_factor", info.form_factor},
                     {"scsi_vendor", info.scsi_vendor},
                     {"scsi_product", info.scsi_product},
                     {"scsi_revision", info.scsi_revision},
                     {"scsi_version", info.scsi_version}});
  }

  void WriteAttributes(const std::vector<SmartctlAttribute>& attributes) {
    for (const SmartctlAttribute& attribute : attributes) {
      for (const auto& [value_type, value] : attribute.values) {
        families_.Gauge("smartctl_device_attribute", "ATA SMART attribute, by value type (value, worst, thresh, raw)",
                        value,
                        {{"device", device_},
                         {"attribute_name", attribute.name},
                         {"attribute_flags_short", attribute.flags_short},
                         {"attribute_flags_long", attribute.flags_long},
                         {"attribute_value_type", value_type},
                         {"attribute_id", attribute.id}});
      }
    }
  }

  void WriteStatistics(const std::vector<SmartctlStatistic>& statistics) {
    for (const SmartctlStatistic& statistic : statistics) {
      families_.Gauge("smartctl_device_statistics", "ATA device statistic", statistic.value,
                      {{"device", device_},
                       {"statistic_table", statistic.table},
                       {"statistic_name", statistic.name},
                       {"statistic_flags_short", statistic.flags_short},
                       {"statistic_flags_long", statistic.flags_long}});
    }
  }

  void WriteLogs(const SmartctlReport& report) {
    for (const auto& [type, count] : report.error_log_counts) {
      families_.Gauge("smartctl_device_error_log_count", "Number of entries in the ATA SMART error log", count,
                      {{"device", device_}, {"error_log_type", type}});
    }
    for (const SmartctlSelfTestLog& log : report.self_test_logs) {
      Labels labels{{"device", device_}, {"self_test_log_type", log.type}};
      if (log.count) {
        families_.Gauge("smartctl_device_self_test_log_count", "Number of entries in the ATA SMART self-test log",
                        *log.count, labels);
      }
      if (log.error_count_total) {
        families_.Gauge("smartctl_device_self_test_log_error_count",
                        "Number of failed self-tests in the ATA SMART self-test log", *log.error_count_total, labels);
      }
    }
    for (const auto& [type, seconds] : report.erc_seconds) {
      families_.Gauge("smartctl_device_erc_seconds", "ATA SCT error recovery control time limit in seconds", seconds,
                      {{"device", device_}, {"op_type", type}});
    }
  }

  void WriteNvme(const SmartctlNvmeHealth& health) {
    Counter("smartctl_device_percentage_used", "NVMe estimate of the device life used, in percent",
            health.percentage_used);
    Counter("smartctl_device_available_spare", "NVMe spare capacity left, in percent", health.available_spare);
    Counter("smartctl_device_available_spare_threshold",
            "NVMe spare capacity, in percent, below which the controller reports a critical warning",
            health.available_spare_threshold);
    Counter("smartctl_device_critical_warning", "NVMe critical warning bits of the controller",
            health.critical_warning);
    Counter("smartctl_device_media_errors", "NVMe unrecovered data integrity errors", health.media_errors);
    Counter("smartctl_device_num_err_log_entries", "NVMe error information log entries over the controller's life",
            health.num_err_log_entries);
  }

  void WriteScsi(const SmartctlReport& report) {
    Gauge("smartctl_scsi_grown_defect_list", "Number of defects in the SCSI grown defect list",
          report.scsi_grown_defect_list);
    WriteScsiErrors("read", "Read", report.scsi_read_errors);
    WriteScsiErrors("write", "Write", report.scsi_write_errors);
  }

  void WriteScsiErrors(const std::string& direction, const std::string& title,
                       const std::optional<SmartctlScsiErrorCounters>& counters) {
    if (!counters) return;
    Gauge("smartctl_" + direction + "_errors_corrected_by_rereads_rewrites",
          title + " errors corrected by re-reads or re-writes", counters->corrected_by_rereads_rewrites);
    Gauge("smartctl_" + direction + "_errors_corrected_by_eccfast", title + " errors corrected by fast ECC",
          counters->corrected_by_eccfast);
    Gauge("smartctl_" + direction + "_errors_corrected_by_eccdelayed", title + " errors corrected by delayed ECC",
          counters->corrected_by_eccdelayed);
    Gauge("smartctl_" + direction + "_total_uncorrected_errors", title + " errors left uncorrected",
          counters->total_uncorrected);
  }

  FamilySet& families_;
  const std::string& device_;
};

class SmartctlCollector : public Collector {
 public:
  explicit SmartctlCollector(const CollectorContext& context)
      : runner_(context.process_runner),
        clock_(context.clock),
        log_(context.log),
        program_(context.Option("path")),
        filter_(DeviceFilterFromOptions(context, "smartctl")),
        scan_ttl_(PositiveDurationOption(context, "scan-ttl")),
        device_timeout_(PositiveDurationOption(context, "device-timeout")),
        budget_(RefreshBudget(context.timeout)),
        max_staleness_(context.max_staleness),
        probes_(static_cast<std::size_t>(context.process_runner.max_processes())) {}

  // Publishes every disk read in time; one not read keeps its last data, marked, until max-staleness, and makes the
  // refresh incomplete (the collector's success is 0, the reasons in /cache/stats).
  Families Collect() override {
    const Clock::SteadyTime deadline = clock_.Now() + budget_;
    if (!scanned_ || clock_.Now() - last_scan_ >= scan_ttl_) Rescan(deadline);
    ProbeAll(deadline);
    FamilySet families;
    for (const auto& [label, device] : devices_) Write(families, label, device);
    families.Gauge("smartctl_devices", "Number of devices smartctl found and the filters kept",
                   static_cast<double>(devices_.size()));
    if (version_) {
      families.Gauge("smartctl_version", "Version of smartctl and of its JSON format; the value is always 1", 1,
                     {{"json_format_version", version_->json_format_version},
                      {"smartctl_version", version_->smartctl_version},
                      {"svn_revision", version_->svn_revision},
                      {"build_info", version_->build_info}});
    }
    const std::vector<std::string> unread = Problems();
    if (unread.empty()) return families.Take();
    std::string reason = "smartctl read " + std::to_string(devices_.size() - unread.size()) + " of " +
                         std::to_string(devices_.size()) + " devices; not read:";
    for (const std::string& device : unread) reason += " " + device + ";";
    reason.pop_back();
    throw IncompleteRefresh(reason, families.Take());
  }

  std::vector<std::string> Problems() const override {
    std::vector<std::string> problems;
    for (const auto& [label, device] : devices_) {
      if (device.Read()) continue;
      std::string problem = label + ": " + std::string(ReasonOf(device.last)) + " (" + device.error + ")";
      if (device.skipped_refreshes_left > 0)
        problem += ", skipped for the next " + std::to_string(device.skipped_refreshes_left) + " refreshes";
      problems.push_back(std::move(problem));
    }
    return problems;
  }

 private:
  // What a refresh may take: the collector's timeout, less a margin for killing the probes still running at the
  // end and writing the families, so that the family cache never discards the refresh for being late.
  static Duration RefreshBudget(Duration timeout) {
    return timeout - std::min<Duration>(timeout / 10, std::chrono::seconds(1));
  }

  // What a probe started now may take: its device timeout, or what is left of the refresh if that is less.
  Duration ProbeTimeout(Clock::SteadyTime deadline) const {
    return std::min<Duration>(device_timeout_,
                              std::chrono::duration_cast<Duration>(std::max(deadline - clock_.Now(), {})));
  }

  // Replaces the device list, keeping what is known of the disks still there. A failed scan throws: the
  // collector's failure, with the last good data kept by the family cache.
  void Rescan(Clock::SteadyTime deadline) {
    SmartctlScan scan = Scan(deadline);
    std::map<std::string, Device> devices;
    for (SmartctlScanEntry& entry : scan.devices) {
      std::string label = SmartctlDeviceLabel(entry.name, entry.type);
      if (filter_.Ignored(label)) continue;
      auto known = devices_.find(label);
      Device& device = devices[label] = known != devices_.end() ? std::move(known->second) : Device{};
      device.entry = std::move(entry);
    }
    for (const std::string& open_error : scan.open_errors) {
      log_.Warn("smartctl --scan-open could not open a device", {{"err", open_error}});
    }
    devices_ = std::move(devices);
    if (scan.version) version_ = std::move(scan.version);
    scanned_ = true;
    last_scan_ = clock_.Now();
  }

  SmartctlScan Scan(Clock::SteadyTime deadline) {
    ProcessResult result = runner_.Run({program_, "--scan-open", "--json"}, ProbeTimeout(deadline), kMaxReportBytes);
    if (!result.error.empty()) throw std::runtime_error(program_ + " --scan-open: " + result.error);
    // The scan reports devices it could not open in its exit status, yet lists the others: the JSON decides.
    return ParseSmartctlScan(result.output);
  }

  // Probes every disk that is not backed off, side by side (as many at once as the process runner has places),
  // then takes in the results.
  void ProbeAll(Clock::SteadyTime deadline) {
    std::vector<std::pair<const std::string*, Device*>> due;
    for (auto& [label, device] : devices_) {
      if (device.skipped_refreshes_left > 0) {
        --device.skipped_refreshes_left;
        device.last = ProbeResult::kBackedOff;
      } else {
        due.emplace_back(&label, &device);
      }
    }
    std::vector<Probe> probes(due.size());
    std::vector<std::function<void()>> tasks;
    for (size_t i = 0; i < due.size(); ++i)
      tasks.push_back([this, &probes, &entry = due[i].second->entry, i, deadline] {
        probes[i] = Run(entry, deadline);
      });
    probes_.RunAll(std::move(tasks));
    for (size_t i = 0; i < due.size(); ++i) TakeIn(*due[i].first, *due[i].second, std::move(probes[i]));
  }

  // One probe, on a pool thread: reads only its arguments and what never changes.
  Probe Run(const SmartctlScanEntry& entry, Clock::SteadyTime deadline) const {
    const Clock::SteadyTime started = clock_.Now();
    ProcessResult result = runner_.Run({program_, "--json", "--info", "--health", "--attributes",
                                        "--tolerance=verypermissive", "--nocheck=standby", "--format=brief",
                                        "--log=error", "--device=" + entry.type, entry.name},
                                       ProbeTimeout(deadline), kMaxReportBytes);
    Probe probe = Interpret(result);
    probe.exit_status = result.exit_status;
    probe.duration = std::chrono::duration_cast<Duration>(clock_.Now() - started);
    return probe;
  }

  static Probe Interpret(const ProcessResult& result) {
    if (result.timed_out) return {ProbeResult::kTimeout, -1, std::nullopt, result.error};
    if (!result.error.empty()) return {ProbeResult::kNotRun, -1, std::nullopt, result.error};
    SmartctlReport report;
    try {
      report = ParseSmartctlReport(result.output);
    } catch (const SmartctlParseError& error) {
      return {
          ProbeResult::kUnparsable, -1, std::nullopt,
          std::string(error.what()) + (result.truncated ? ", output over its limit" : "") + FirstStderrLine(result)};
    }
    if (result.exit_status & kSmartctlFatalExitBits) {
      // Not woken up: the last report stays, marked by smartctl_device_standby.
      if (report.low_power_mode) return {ProbeResult::kStandby, -1, std::move(report), {}};
      std::string why = report.error_messages.empty() ? FirstStderrLine(result) : ": " + report.error_messages.front();
      return {ProbeResult::kExitStatus, -1, std::nullopt,
              "smartctl exited with status " + std::to_string(result.exit_status) + why};
    }
    return {ProbeResult::kRead, -1, std::move(report), {}};
  }

  static std::string FirstStderrLine(const ProcessResult& result) {
    std::string_view text = Trim(result.error_output);
    return text.empty() ? "" : " (" + std::string(text.substr(0, text.find('\n'))) + ")";
  }

  void TakeIn(const std::string& label, Device& device, Probe probe) {
    const Clock::SteadyTime now = clock_.Now();
    device.last = probe.result;
    device.error = std::move(probe.error);
    device.exit_status = probe.exit_status;
    device.duration = probe.duration;
    if (probe.report) device.power_mode = probe.report->power_mode;
    if (probe.result == ProbeResult::kRead) {
      device.report = std::move(probe.report);
      device.read_at = now;
    }
    if (probe.result == ProbeResult::kTimeout) {
      ++device.timeouts_in_a_row;
      device.skipped_refreshes_left = std::min((1 << std::min(device.timeouts_in_a_row - 1, 4)) - 1,
                                               kMostSkippedRefreshes);
    } else {
      device.timeouts_in_a_row = 0;
    }
    if (device.report && now - device.read_at > max_staleness_) device.report.reset();
    if (!device.Read()) {
      log_.Warn("device not read; its last SMART data is kept, marked, until max-staleness",
                {{"device", label},
                 {"reason", std::string(ReasonOf(device.last))},
                 {"err", device.error},
                 {"skipped_refreshes", std::to_string(device.skipped_refreshes_left)}});
    }
  }

  void Write(FamilySet& families, const std::string& label, const Device& device) const {
    const Labels labels{{"device", label}};
    families.Gauge("smartctl_device_smartctl_exit_status",
                   "Exit status of smartctl for the device, a bitmask (smartctl(8)); -1 when it did not finish",
                   device.exit_status, labels);
    families.Gauge("smartctl_device_standby",
                   "1 when the device was in a low-power mode and was not woken; its other metrics are from the last "
                   "time it was awake",
                   device.last == ProbeResult::kStandby ? 1 : 0, labels);
    families.Gauge("smartctl_device_probe_success",
                   "1 when smartctl answered for the device at the last refresh (in standby too); 0 when it did not, "
                   "and its other metrics are from the last time it did",
                   device.Read() ? 1 : 0, labels);
    if (!device.Read()) {
      families.Gauge("smartctl_device_probe_failure",
                     "Why the device was not read at the last refresh (timeout, exit_status, unparsable, not_run, "
                     "backed_off); the value is always 1",
                     1, {{"device", label}, {"reason", std::string(ReasonOf(device.last))}});
    }
    families.Gauge("smartctl_device_probe_duration_seconds", "How long the device's last probe took, in seconds",
                   std::chrono::duration<double>(device.duration).count(), labels);
    families.Gauge("smartctl_device_probe_skipped_refreshes",
                   "Refreshes the device is still skipped for after timing out at several in a row (back-off)",
                   device.skipped_refreshes_left, labels);
    if (device.power_mode) {
      families.Gauge("smartctl_device_power_mode",
                     "Power mode of the device as smartctl reports it (ATA); the value is always 1", 1,
                     {{"device", label}, {"power_mode", *device.power_mode}});
    }
    if (!device.report) return;
    families.Gauge("smartctl_device_data_age_seconds", "Age of the device's SMART data, in seconds",
                   std::chrono::duration<double>(clock_.Now() - device.read_at).count(), labels);
    ReportWriter(families, label).Write(*device.report);
  }

  ProcessRunner& runner_;
  const Clock& clock_;
  log::Logger log_;
  std::string program_;
  NameFilter filter_;
  Duration scan_ttl_;
  Duration device_timeout_;
  Duration budget_;
  Duration max_staleness_;
  TaskPool probes_;

  bool scanned_ = false;
  Clock::SteadyTime last_scan_;
  std::map<std::string, Device> devices_;  // by label
  std::optional<SmartctlVersion> version_;
};

}  // namespace

std::unique_ptr<Collector> MakeSmartctlCollector(const CollectorContext& context) {
  return std::make_unique<SmartctlCollector>(context);
}

}  // namespace hw_exporter

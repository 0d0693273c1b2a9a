#include "hardware_sections.h"

#include <cmath>
#include <set>

#include "hw_exporter/core/strings.h"

namespace hw_exporter {

namespace {

using LabelMatch = std::vector<std::pair<std::string_view, std::string_view>>;

// The few limits the series do not carry themselves (README.md, /hardware).
constexpr double kFilesystemWarnFreeRatio = 0.10;
constexpr double kFilesystemCritFreeRatio = 0.05;
constexpr double kNvmeLifeUsedWarnPercent = 100;  // the vendor's rated endurance is used up

std::string Celsius(double value) { return Fixed(value, 1, " °C"); }
std::string Rpm(double value) { return Fixed(value, 0, " rpm"); }
std::string Percent(double value) { return Fixed(value, 0, " %"); }
std::string Count(double value) { return Fixed(value, 0); }
std::string Gib(double bytes) { return Fixed(bytes / (1024.0 * 1024 * 1024), 1, " GiB"); }
std::string Hours(double seconds) { return Fixed(seconds / 3600, 0, " h"); }
std::string YesNo(double value) { return value != 0 ? "yes" : "no"; }

// The label values of `labels` for every series of the families, each combination once, in order of appearance:
// the things a section has rows for, whichever of their series are there.
std::vector<std::vector<std::string>> Subjects(const SeriesIndex& index, std::initializer_list<std::string_view> names,
                                               const std::vector<std::string_view>& labels) {
  std::vector<std::vector<std::string>> subjects;
  std::set<std::vector<std::string>> seen;
  for (std::string_view name : names) {
    for (const SeriesRef& ref : index.All(name)) {
      std::vector<std::string> values;
      for (std::string_view label : labels) values.emplace_back(ref.Label(label));
      if (seen.insert(values).second) subjects.push_back(std::move(values));
    }
  }
  return subjects;
}

LabelMatch Match(const std::vector<std::string_view>& labels, const std::vector<std::string>& values) {
  LabelMatch match;
  for (size_t i = 0; i < labels.size(); ++i) match.emplace_back(labels[i], values[i]);
  return match;
}

// A limit is one the chip reports: a missing or non-positive max or crit (some chips write 0) is none.
std::optional<double> Limit(const std::optional<SeriesRef>& ref) {
  if (!ref || !(ref->Value() > 0)) return std::nullopt;
  return ref->Value();
}

std::string HwmonName(const SeriesIndex& index, std::string_view chip, std::string_view sensor) {
  auto label = index.Find("node_hwmon_sensor_label", {{"chip", chip}, {"sensor", sensor}});
  return std::string(chip) + " " + std::string(label ? label->Label("label") : sensor);
}

Row HwmonTemperatureRow(const SeriesIndex& index, const SeriesRef& temp) {
  const LabelMatch match{{"chip", temp.Label("chip")}, {"sensor", temp.Label("sensor")}};
  auto max = index.Find("node_hwmon_temp_max_celsius", match);
  auto crit = index.Find("node_hwmon_temp_crit_celsius", match);
  Row row{Severity::kOk,
          HwmonName(index, temp.Label("chip"), temp.Label("sensor")),
          {SeriesField(temp, Celsius), SeriesField(max, Celsius), SeriesField(crit, Celsius)},
          {}};
  const double value = temp.Value();
  if (auto limit = Limit(crit); limit && value >= *limit) {
    Judge(row, Severity::kCritical, "at or over its critical limit of " + Celsius(*limit));
  } else if (auto high = Limit(max); high && value >= *high) {
    Judge(row, Severity::kWarning, "at or over its maximum of " + Celsius(*high));
  }
  return row;
}

// Disk facts that are not a single comparison with a limit: SMART's own verdict, and the NVMe health log's.
void JudgeDisk(const SeriesIndex& index, const LabelMatch& device, Row& row) {
  if (auto status = index.Find("smartctl_device_smart_status", device); status && status->Value() == 0)
    Judge(row, Severity::kCritical, "SMART self-assessment failed");
  if (auto warning = index.Find("smartctl_device_critical_warning", device); warning && warning->Value() != 0)
    Judge(row, Severity::kCritical, "NVMe critical warning " + Count(warning->Value()));
  auto spare = index.Find("smartctl_device_available_spare", device);
  auto threshold = index.Find("smartctl_device_available_spare_threshold", device);
  if (spare && threshold && spare->Value() < threshold->Value())
    Judge(row, Severity::kCritical, "available spare below its threshold of " + Percent(threshold->Value()));
  if (auto used = index.Find("smartctl_device_percentage_used", device);
      used && used->Value() >= kNvmeLifeUsedWarnPercent)
    Judge(row, Severity::kWarning, "rated endurance used up");
}

// The IPMI state families and the family that holds each one's reading.
struct IpmiKind {
  std::string_view state;
  std::string_view value;
  std::string_view kind;
  std::string (*format)(double);
};
std::string Volts(double value) { return Fixed(value, 2, " V"); }
std::string Amperes(double value) { return Fixed(value, 2, " A"); }
std::string Watts(double value) { return Fixed(value, 0, " W"); }
std::string Plain(double value) { return Fixed(value, 2); }
constexpr IpmiKind kIpmiKinds[] = {
    {"ipmi_temperature_state", "ipmi_temperature_celsius", "temperature", Celsius},
    {"ipmi_fan_speed_state", "ipmi_fan_speed_rpm", "fan", Rpm},
    {"ipmi_voltage_state", "ipmi_voltage_volts", "voltage", Volts},
    {"ipmi_current_state", "ipmi_current_amperes", "current", Amperes},
    {"ipmi_power_state", "ipmi_power_watts", "power", Watts},
    {"ipmi_sensor_state", "ipmi_sensor_value", "other", Plain},
};

std::string IpmiStateText(double state) {
  if (std::isnan(state)) return "no state";
  if (state == 0) return "nominal";
  return state == 1 ? "warning" : "critical";
}

Severity IpmiSeverity(double state) {
  if (std::isnan(state) || state == 0) return Severity::kOk;
  return state == 1 ? Severity::kWarning : Severity::kCritical;
}

// One IPMI sensor by its state series: its name, kind, state and reading.
Row IpmiRow(const SeriesIndex& index, const IpmiKind& kind, const SeriesRef& state) {
  LabelMatch match{{"name", state.Label("name")}};
  if (kind.state == "ipmi_sensor_state") match.emplace_back("type", state.Label("type"));
  auto value = index.Find(kind.value, match);
  if (!value && kind.state == "ipmi_fan_speed_state") value = index.Find("ipmi_fan_speed_ratio", match);
  Row row{Severity::kOk,
          std::string(state.Label("name")),
          {TextField(std::string(kind.kind)), SeriesField(state, IpmiStateText), SeriesField(value, kind.format)},
          {}};
  if (Severity severity = IpmiSeverity(state.Value()); severity != Severity::kOk)
    Judge(row, severity, "IPMI reports it " + IpmiStateText(state.Value()));
  return row;
}

// A power supply among the IPMI sensors, by the names BMCs give them ("PS1 Status", "PSU2 Temp", "Power Supply 1").
bool NamesPowerSupply(std::string_view name) {
  const std::string lower = ToLower(name);
  return StartsWith(lower, "ps") || lower.find("psu") != std::string::npos ||
         lower.find("power supply") != std::string::npos;
}

Row SysfsSupplyRow(const SeriesIndex& index, const std::vector<std::string>& subject) {
  const LabelMatch match{{"power_supply", subject[0]}};
  auto info = index.Find("node_power_supply_info", match);
  auto online = index.Find("node_power_supply_online", match);
  const std::string type(info ? info->Label("type") : "");
  Field state = online ? SeriesField(online, [](double v) { return std::string(v != 0 ? "online" : "offline"); })
                       : TextField(std::string(info && !info->Label("status").empty() ? info->Label("status") : "—"));
  Row row{Severity::kOk,
          subject[0],
          {TextField(type.empty() ? "sysfs" : "sysfs, " + type), std::move(state),
           SeriesField(index.Find("node_power_supply_capacity", match), Percent)},
          {}};
  // A mains supply that is offline: the host runs on its battery, or a redundant supply has lost its feed.
  if (type == "Mains" && online && online->Value() == 0) Judge(row, Severity::kWarning, "offline");
  return row;
}

Row FilesystemRow(const SeriesIndex& index, const std::vector<std::string_view>& labels,
                  const std::vector<std::string>& subject) {
  const LabelMatch match = Match(labels, subject);
  auto size = index.Find("node_filesystem_size_bytes", match);
  auto avail = index.Find("node_filesystem_avail_bytes", match);
  auto readonly = index.Find("node_filesystem_readonly", match);
  auto error = index.Find("node_filesystem_device_error", match);
  Row row{Severity::kOk,
          subject[2],
          {TextField(subject[0] + " (" + subject[1] + ")"), SeriesField(size, Gib), SeriesField(avail, Gib),
           SeriesField(readonly, YesNo), SeriesField(error, YesNo)},
          {}};
  if (error && error->Value() != 0) Judge(row, Severity::kCritical, "statfs failed: size and space unknown");
  const bool is_readonly = readonly && readonly->Value() != 0;
  if (is_readonly) Judge(row, Severity::kWarning, "mounted read-only");
  // A read-only filesystem is full by design (an image, a squashfs): its free space says nothing.
  if (size && avail && size->Value() > 0 && !is_readonly) {
    const double free = avail->Value() / size->Value();
    if (free < kFilesystemCritFreeRatio) Judge(row, Severity::kCritical, Percent(100 * free) + " available");
    else if (free < kFilesystemWarnFreeRatio) Judge(row, Severity::kWarning, Percent(100 * free) + " available");
  }
  return row;
}

}  // namespace

Field TextField(std::string text) { return {std::nullopt, std::move(text)}; }

void Judge(Row& row, Severity severity, const std::string& finding) {
  row.severity = std::max(row.severity, severity);
  row.finding += (row.finding.empty() ? "" : "; ") + finding;
}

Section TemperatureSection(const SeriesIndex& index) {
  Section section{"temperatures", "Temperatures", {"Sensor", "Temperature", "Max", "Critical"}, {}, {}};
  for (const SeriesRef& temp : index.All("node_hwmon_temp_celsius"))
    section.rows.push_back(HwmonTemperatureRow(index, temp));
  // Thermal zones carry no limits here (their trip points are not exported): shown, never judged.
  for (const SeriesRef& zone : index.All("node_thermal_zone_temp")) {
    section.rows.push_back({Severity::kOk,
                            "thermal zone " + std::string(zone.Label("zone")) + " (" + std::string(zone.Label("type")) +
                                ")",
                            {SeriesField(zone, Celsius), TextField("—"), TextField("—")},
                            {}});
  }
  return section;
}

Section FanSection(const SeriesIndex& index) {
  Section section{"fans", "Fans", {"Fan", "Speed", "Minimum"}, {}, {}};
  for (const SeriesRef& fan : index.All("node_hwmon_fan_rpm")) {
    const LabelMatch match{{"chip", fan.Label("chip")}, {"sensor", fan.Label("sensor")}};
    auto min = index.Find("node_hwmon_fan_min_rpm", match);
    Row row{Severity::kOk,
            HwmonName(index, fan.Label("chip"), fan.Label("sensor")),
            {SeriesField(fan, Rpm), SeriesField(min, Rpm)},
            {}};
    if (auto limit = Limit(min); limit && fan.Value() < *limit)
      Judge(row, Severity::kCritical, "below its minimum of " + Rpm(*limit));
    section.rows.push_back(std::move(row));
  }
  return section;
}

Section DiskSection(const SeriesIndex& index) {
  Section section{
      "disks", "Disks (SMART)", {"Device", "Model", "SMART", "Temperature", "Power-on", "Life used", "Spare"}, {}, {}};
  for (const auto& subject : Subjects(index, {"smartctl_device", "smartctl_device_smart_status"}, {"device"})) {
    const LabelMatch device{{"device", subject[0]}};
    auto identity = index.Find("smartctl_device", device);
    Row row{Severity::kOk,
            subject[0],
            {TextField(identity ? std::string(identity->Label("model_name")) : "—"),
             SeriesField(index.Find("smartctl_device_smart_status", device),
                         [](double v) { return std::string(v != 0 ? "passed" : "FAILED"); }),
             SeriesField(index.Find("smartctl_device_temperature",
                                    {{"device", subject[0]}, {"temperature_type", "current"}}),
                         Celsius),
             SeriesField(index.Find("smartctl_device_power_on_seconds", device), Hours),
             SeriesField(index.Find("smartctl_device_percentage_used", device), Percent),
             SeriesField(index.Find("smartctl_device_available_spare", device), Percent)},
            {}};
    JudgeDisk(index, device, row);
    section.rows.push_back(std::move(row));
  }
  return section;
}

Section EdacSection(const SeriesIndex& index) {
  Section section{"edac", "Memory errors (EDAC)", {"Memory", "Uncorrectable", "Correctable"}, {}, {}};
  auto add = [&](const std::string& subject, std::string_view correctable, std::string_view uncorrectable,
                 const LabelMatch& match) {
    auto ce = index.Find(correctable, match);
    auto ue = index.Find(uncorrectable, match);
    Row row{Severity::kOk, subject, {SeriesField(ue, Count), SeriesField(ce, Count)}, {}};
    if (ue && ue->Value() > 0) Judge(row, Severity::kCritical, Count(ue->Value()) + " uncorrectable errors");
    if (ce && ce->Value() > 0) Judge(row, Severity::kWarning, Count(ce->Value()) + " correctable errors");
    section.rows.push_back(std::move(row));
  };
  for (const auto& mc : Subjects(index, {"node_edac_correctable_errors_total"}, {"controller"}))
    add("controller " + mc[0], "node_edac_correctable_errors_total", "node_edac_uncorrectable_errors_total",
        {{"controller", mc[0]}});
  for (const auto& row : Subjects(index, {"node_edac_csrow_correctable_errors_total"}, {"controller", "csrow"}))
    add("controller " + row[0] + ", csrow " + row[1], "node_edac_csrow_correctable_errors_total",
        "node_edac_csrow_uncorrectable_errors_total", {{"controller", row[0]}, {"csrow", row[1]}});
  return section;
}

Section IpmiSection(const SeriesIndex& index) {
  Section section{"ipmi", "IPMI sensors not nominal", {"Sensor", "Kind", "State", "Reading"}, {}, {}};
  size_t nominal = 0, stateless = 0;
  for (const IpmiKind& kind : kIpmiKinds) {
    for (const SeriesRef& state : index.All(kind.state)) {
      if (state.Value() == 0) {
        ++nominal;
      } else if (std::isnan(state.Value())) {
        ++stateless;  // a discrete sensor, or no reading: ipmitool gives no threshold state to judge
      } else {
        section.rows.push_back(IpmiRow(index, kind, state));
      }
    }
  }
  if (nominal + stateless + section.rows.size() == 0) return section;
  section.note = std::to_string(nominal) + " sensors nominal, " + std::to_string(stateless) +
                 " without a threshold state (discrete, or no reading).";
  return section;
}

Section PowerSupplySection(const SeriesIndex& index) {
  Section section{"power", "Power supplies", {"Supply", "Source", "State", "Reading"}, {}, {}};
  for (const auto& subject : Subjects(index, {"node_power_supply_info", "node_power_supply_online"}, {"power_supply"}))
    section.rows.push_back(SysfsSupplyRow(index, subject));
  for (const IpmiKind& kind : kIpmiKinds) {
    for (const SeriesRef& state : index.All(kind.state)) {
      if (!NamesPowerSupply(state.Label("name"))) continue;
      Row row = IpmiRow(index, kind, state);
      row.fields[0] = TextField("IPMI " + row.fields[0].text);
      section.rows.push_back(std::move(row));
    }
  }
  return section;
}

Section FilesystemSection(const SeriesIndex& index) {
  Section section{"filesystems",
                  "Filesystems",
                  {"Mount point", "Device", "Size", "Available", "Read-only", "Device error"},
                  {},
                  {}};
  const std::vector<std::string_view> labels{"device", "fstype", "mountpoint"};
  for (const auto& subject : Subjects(index, {"node_filesystem_size_bytes", "node_filesystem_device_error"}, labels))
    section.rows.push_back(FilesystemRow(index, labels, subject));
  return section;
}

}  // namespace hw_exporter

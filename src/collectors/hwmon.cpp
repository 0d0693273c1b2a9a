// node_hwmon_*: hardware sensors of /sys/class/hwmon, with node_exporter's names, units and chip labels.
#include <map>
#include <memory>
#include <set>
#include <string_view>
#include <tuple>

#include "collector_options.h"
#include "collectors.h"
#include "deadline_reader.h"
#include "hw_exporter/core/fs.h"
#include "hw_exporter/core/log.h"
#include "hw_exporter/core/strings.h"
#include "hw_exporter/sysfs/hwmon.h"
#include "hwmon.h"
#include "name_filter.h"

namespace hw_exporter {

namespace {

// How one attribute of a sensor becomes a sample: node_exporter's name, HELP, and the factor from the driver's
// unit (milli-degrees, millivolts, microwatts ...) to the base unit.
struct SampleKind {
  std::string name;
  std::string help;
  double factor = 1.0;
  bool counter = false;
};

SampleKind KindOf(const std::string& type, const std::string& property, bool has_bare_value) {
  std::string name = "node_hwmon_" + type;
  // "temp1_input" is the value; it takes an "_input" suffix only when a bare "temp1" file holds the value instead.
  if (property == "input") {
    if (has_bare_value) name += "_input";
  } else if (!property.empty()) {
    name += "_" + sysfs::CleanHwmonName(property);
  }
  if (property == "fault" || property == "alarm") {
    return {name, "Hardware sensor " + property + " status (" + type + ")"};
  }
  if (property == "beep") return {name + "_enabled", "Hardware monitor sensor has beeping enabled"};
  if (type == "in" || type == "cpu") return {name + "_volts", "Hardware monitor for voltage (" + property + ")", 1e-3};
  if (type == "temp" && property != "type") {
    std::string element = property.empty() ? "input" : property;
    return {name + "_celsius", "Hardware monitor for temperature (" + element + ")", 1e-3};
  }
  if (type == "curr") return {name + "_amps", "Hardware monitor for current (" + property + ")", 1e-3};
  if (type == "energy") {
    return {name + "_joule_total", "Hardware monitor for joules used so far (" + property + ")", 1e-6, true};
  }
  if (type == "power" && property == "accuracy") {
    return {name, "Hardware monitor power meter accuracy, as a ratio", 1e-6};
  }
  if (type == "power" &&
      (property == "average_interval" || property == "average_interval_min" || property == "average_interval_max")) {
    return {name + "_seconds", "Hardware monitor power usage update interval (" + property + ")", 1e-3};
  }
  if (type == "power") return {name + "_watt", "Hardware monitor for power usage in watts (" + property + ")", 1e-6};
  if (type == "humidity") {
    return {name,
            "Hardware monitor for humidity, as a ratio (multiply with 100.0 to get the humidity as a percentage) (" +
                property + ")",
            1e-6};
  }
  if (type == "fan" && (property == "input" || property == "min" || property == "max" || property == "target")) {
    return {name + "_rpm", "Hardware monitor for fan revolutions per minute (" + property + ")"};
  }
  return {name, "Hardware monitor " + type + " element " + property};
}

// The sample kinds a reading has met, by sensor type, property and whether a bare value file exists: kept from one
// reading to the next, so that a sample's name and HELP text are built once, not at every refresh.
class SampleKinds {
 public:
  const SampleKind& Of(const std::string& type, const std::string& property, bool has_bare_value) {
    auto found = kinds_.find(std::tie(type, property, has_bare_value));
    if (found == kinds_.end())
      found = kinds_.emplace(Key{type, property, has_bare_value}, KindOf(type, property, has_bare_value)).first;
    return found->second;
  }

 private:
  using Key = std::tuple<std::string, std::string, bool>;
  std::map<Key, SampleKind, std::less<>> kinds_;
};

// Two class/hwmon directories can hang off one device (asus-nb-wmi registers one for fan control and one for its
// WMI sensors; an mt7996 radio one per band), so their chip labels are equal and so can be their series.
// node_exporter 1.5 sends both, logs an error, and its registry keeps the first one sent. We keep exactly one
// series too, the first: chips are visited in class/hwmon directory-name order, as node_exporter visits them, so
// the value exposed is the one node_exporter 1.5 exposes. Only a chip whose label another chip shares can repeat
// a series, so only such a chip's samples are remembered and looked up.
class DistinctSamples {
 public:
  // The chip whose samples are added next, and whether another chip has its label.
  void StartChip(bool label_shared) { label_shared_ = label_shared; }

  void Add(const SampleKind& kind, double value, Labels labels) {
    if (label_shared_ && !seen_.insert(Key(kind, labels)).second) return;
    if (kind.counter) {
      families_.Counter(kind.name, kind.help, value, std::move(labels));
    } else {
      families_.Gauge(kind.name, kind.help, value, std::move(labels));
    }
  }

  Families Take() { return families_.Take(); }

 private:
  static std::string Key(const SampleKind& kind, const Labels& labels) {
    std::string key = kind.name;
    for (const auto& [name, label_value] : labels) {
      key.push_back('\0');
      key.append(name);
      key.push_back('\0');
      key.append(label_value);
    }
    return key;
  }

  FamilySet families_;
  std::set<std::string> seen_;
  bool label_shared_ = false;
};

void AddAttributeSamples(const std::string& chip, const sysfs::HwmonSensor& sensor, SampleKinds& kinds,
                         DistinctSamples& samples) {
  static const SampleKind kGpuClock{"node_hwmon_freq_freq_mhz", "Hardware monitor for GPU frequency in MHz"};
  const auto& attributes = sensor.attributes;
  bool has_bare_value = attributes.count("") > 0;
  for (const auto& [property, text] : attributes) {
    if (property == "label") continue;
    auto value = ParseDouble(text);
    if (!value) continue;
    // GPU clocks are told apart by their label ("sclk", "mclk"), which node_exporter (1.9 on) puts in the
    // sensor label; a clock without a label has no series.
    if (sensor.type == "freq" && property == "input") {
      auto label = attributes.find("label");
      if (label != attributes.end()) {
        samples.Add(kGpuClock, *value * 1e-6, {{"chip", chip}, {"sensor", sysfs::CleanHwmonName(label->second)}});
      }
      continue;
    }
    const SampleKind& kind = kinds.Of(sensor.type, property, has_bare_value);
    samples.Add(kind, *value * kind.factor, {{"chip", chip}, {"sensor", sensor.name}});
  }
}

// The types whose one bare file is the whole sensor.
bool AddWholeSensorSample(const std::string& chip, const sysfs::HwmonSensor& sensor, DistinctSamples& samples) {
  static const SampleKind kBeep{"node_hwmon_beep_enabled", "Hardware beep enabled"};
  static const SampleKind kRegulator{"node_hwmon_voltage_regulator_version", "Hardware voltage regulator"};
  static const SampleKind kInterval{"node_hwmon_update_interval_seconds", "Hardware monitor update interval"};
  auto bare = sensor.attributes.find("");
  std::optional<double> value;
  if (bare != sensor.attributes.end()) value = ParseDouble(bare->second);
  if (sensor.type == "beep_enable") {
    bool enabled = bare != sensor.attributes.end() && bare->second == "1";
    samples.Add(kBeep, enabled ? 1.0 : 0.0, {{"chip", chip}, {"sensor", sensor.name}});
    return true;
  }
  if (sensor.type == "vrm") {
    if (value) samples.Add(kRegulator, *value, {{"chip", chip}, {"sensor", sensor.name}});
    return true;
  }
  if (sensor.type == "update_interval") {
    if (value) samples.Add(kInterval, *value * 1e-3, {{"chip", chip}, {"sensor", sensor.name}});
    return true;
  }
  return false;
}

void AddSensorSamples(const std::string& chip, const sysfs::HwmonSensor& sensor, SampleKinds& kinds,
                      DistinctSamples& samples) {
  static const SampleKind kLabel{"node_hwmon_sensor_label", "Label for given chip and sensor"};
  auto label = sensor.attributes.find("label");
  if (label != sensor.attributes.end()) {
    samples.Add(kLabel, 1.0, {{"chip", chip}, {"sensor", sensor.name}, {"label", label->second}});
  }
  if (!AddWholeSensorSample(chip, sensor, samples)) AddAttributeSamples(chip, sensor, kinds, samples);
}

// What one reading of /sys/class/hwmon gives: the samples, and the files skipped because they are no regular files.
// It takes over the sample kinds the last whole reading met, and gives them back when it is whole.
struct HwmonReading {
  SampleKinds kinds;
  DistinctSamples samples;
  std::set<std::string> not_regular;
};

// How many chips have each label.
std::map<std::string_view, int> LabelCounts(const std::vector<sysfs::HwmonChip>& chips) {
  std::map<std::string_view, int> counts;
  for (const sysfs::HwmonChip& chip : chips) ++counts[chip.label];
  return counts;
}

void ReadHwmon(const std::string& class_directory, const NameFilter& chips, const sysfs::FileReader& read_attribute,
               HwmonReading& reading) {
  static const SampleKind kChipName{"node_hwmon_chip_names", "Annotation metric for human-readable chip names"};
  const sysfs::FileReader read_file = [&](const std::string& path, int* error_number) {
    int error = 0;
    auto contents = read_attribute(path, &error);
    if (!contents && error == kNotRegularFile) reading.not_regular.insert(path);
    if (error_number) *error_number = error;
    return contents;
  };
  const auto wanted = [&chips](const std::string& label) { return !chips.Ignored(label); };
  const std::vector<sysfs::HwmonChip> read = sysfs::ReadHwmonChips(class_directory, read_file, wanted);
  const std::map<std::string_view, int> label_counts = LabelCounts(read);
  for (const sysfs::HwmonChip& chip : read) {
    reading.samples.StartChip(label_counts.at(chip.label) > 1);
    if (chip.name) reading.samples.Add(kChipName, 1.0, {{"chip", chip.label}, {"chip_name", *chip.name}});
    for (const sysfs::HwmonSensor& sensor : chip.sensors)
      AddSensorSamples(chip.label, sensor, reading.kinds, reading.samples);
  }
}

class HwmonCollector : public Collector {
 public:
  HwmonCollector(std::string class_directory, NameFilter chips, sysfs::FileReader read_file, Duration read_timeout,
                 const Clock& clock, log::Logger log)
      : class_directory_(std::move(class_directory)),
        chips_(std::make_shared<const NameFilter>(std::move(chips))),
        reader_(std::move(read_file), read_timeout, clock, log),
        log_(std::move(log)) {}

  // Every file is read under the read timeout: a read that hangs (a driver that never answers) costs that file's
  // series, and the reading starts over without it.
  Families Collect() override {
    for (;;) {
      auto reading = std::make_shared<HwmonReading>();  // a reading given up keeps its own
      reading->kinds = std::move(kinds_);
      const bool whole = reader_.Run([reading, directory = class_directory_,
                                      chips = chips_](const sysfs::FileReader& read_file) {
        ReadHwmon(directory, *chips, read_file, *reading);
      });
      if (!whole) continue;
      kinds_ = std::move(reading->kinds);
      ReportSkipped(std::move(reading->not_regular));
      return reading->samples.Take();
    }
  }

  std::vector<std::string> Problems() const override {
    std::vector<std::string> problems;
    for (const std::string& path : skipped_) problems.push_back(path + ": not a regular file; skipped");
    for (const std::string& path : reader_.HungPaths()) problems.push_back(path + ": its read hangs; skipped");
    return problems;
  }

 private:
  // A file that is no regular file (a FIFO, socket or device node where an attribute should be) is skipped; the
  // log says so when it starts and when it stops, not at every refresh.
  void ReportSkipped(std::set<std::string> not_regular) {
    for (const std::string& path : not_regular) {
      if (!skipped_.contains(path)) {
        log_.Warn("sensor file is not a regular file; its series are skipped", {{"path", path}});
      }
    }
    for (const std::string& path : skipped_) {
      if (!not_regular.contains(path)) log_.Info("sensor file is no longer skipped", {{"path", path}});
    }
    skipped_ = std::move(not_regular);
  }

  std::string class_directory_;
  std::shared_ptr<const NameFilter> chips_;  // shared with readings, which a hung one may outlive this
  DeadlineReader reader_;
  SampleKinds kinds_;  // lent to each reading, and taken back from a whole one
  log::Logger log_;
  std::set<std::string> skipped_;  // the files that were not regular files at the last refresh
};

}  // namespace

std::unique_ptr<Collector> MakeHwmonCollector(const CollectorContext& context, sysfs::FileReader read_file) {
  NameFilter chips(RegexOption(context, "chip-exclude"), RegexOption(context, "chip-include"));
  return std::make_unique<HwmonCollector>(context.paths.Sys("class/hwmon"), std::move(chips), std::move(read_file),
                                          PositiveDurationOption(context, "read-timeout"), context.clock, context.log);
}

std::unique_ptr<Collector> MakeHwmonCollector(const CollectorContext& context) {
  return MakeHwmonCollector(context, sysfs::RealFileReader());
}

}  // namespace hw_exporter

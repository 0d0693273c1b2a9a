// node_power_supply_*: batteries, mains and USB supplies of /sys/class/power_supply, as node_exporter exposes them.
#include <array>

#include "collector_options.h"
#include "collectors.h"
#include "hw_exporter/sysfs/power_supply.h"
#include "name_filter.h"

namespace hw_exporter {

namespace {

// An integer attribute and its metric: node_exporter's name (not always the attribute's: "cycle_count" is
// "cyclecount", "voltage_now" is "voltage_volt") and the divisor to its unit.
struct ValueMetric {
  std::string_view attribute;
  std::string_view metric;
  double divisor;
};

constexpr double kMicro = 1e6;  // µV, µA, µW, µWh, µAh to V, A, W, Wh, Ah
constexpr double kDeci = 10.0;  // tenths of a degree Celsius

constexpr std::array<ValueMetric, 49> kValueMetrics = {{
    {"authentic", "authentic", 1},
    {"calibrate", "calibrate", 1},
    {"capacity", "capacity", 1},
    {"capacity_alert_max", "capacity_alert_max", 1},
    {"capacity_alert_min", "capacity_alert_min", 1},
    {"cycle_count", "cyclecount", 1},
    {"online", "online", 1},
    {"present", "present", 1},
    {"time_to_empty_now", "time_to_empty_seconds", 1},
    {"time_to_full_now", "time_to_full_seconds", 1},
    {"current_boot", "current_boot", kMicro},
    {"current_max", "current_max", kMicro},
    {"current_now", "current_ampere", kMicro},
    {"energy_empty", "energy_empty", kMicro},
    {"energy_empty_design", "energy_empty_design", kMicro},
    {"energy_full", "energy_full", kMicro},
    {"energy_full_design", "energy_full_design", kMicro},
    {"energy_now", "energy_watthour", kMicro},
    {"voltage_boot", "voltage_boot", kMicro},
    {"voltage_max", "voltage_max", kMicro},
    {"voltage_max_design", "voltage_max_design", kMicro},
    {"voltage_min", "voltage_min", kMicro},
    {"voltage_min_design", "voltage_min_design", kMicro},
    {"voltage_now", "voltage_volt", kMicro},
    {"voltage_ocv", "voltage_ocv", kMicro},
    {"charge_control_limit", "charge_control_limit", kMicro},
    {"charge_control_limit_max", "charge_control_limit_max", kMicro},
    {"charge_counter", "charge_counter", kMicro},
    {"charge_empty", "charge_empty", kMicro},
    {"charge_empty_design", "charge_empty_design", kMicro},
    {"charge_full", "charge_full", kMicro},
    {"charge_full_design", "charge_full_design", kMicro},
    {"charge_now", "charge_ampere", kMicro},
    {"charge_term_current", "charge_term_current", kMicro},
    {"constant_charge_current", "constant_charge_current", kMicro},
    {"constant_charge_current_max", "constant_charge_current_max", kMicro},
    {"constant_charge_voltage", "constant_charge_voltage", kMicro},
    {"constant_charge_voltage_max", "constant_charge_voltage_max", kMicro},
    {"precharge_current", "precharge_current", kMicro},
    {"input_current_limit", "input_current_limit", kMicro},
    {"power_now", "power_watt", kMicro},
    {"temp", "temp_celsius", kDeci},
    {"temp_alert_max", "temp_alert_max_celsius", kDeci},
    {"temp_alert_min", "temp_alert_min_celsius", kDeci},
    {"temp_ambient", "temp_ambient_celsius", kDeci},
    {"temp_ambient_max", "temp_ambient_max_celsius", kDeci},
    {"temp_ambient_min", "temp_ambient_min_celsius", kDeci},
    {"temp_max", "temp_max_celsius", kDeci},
    {"temp_min", "temp_min_celsius", kDeci},
}};

void AddSupply(const sysfs::PowerSupply& supply, FamilySet& families) {
  Labels supply_label{{"power_supply", supply.name}};
  for (const ValueMetric& metric : kValueMetrics) {
    auto value = supply.values.find(std::string(metric.attribute));
    if (value == supply.values.end()) continue;
    std::string name = "node_power_supply_" + std::string(metric.metric);
    families.Gauge(name, std::string(metric.metric) + " value of /sys/class/power_supply/<power_supply>.",
                   static_cast<double>(value->second) / metric.divisor, supply_label);
  }
  // Every non-empty text attribute (status, technology, model_name ...) is a label of the info series.
  Labels info = supply_label;
  for (const auto& [attribute, text] : supply.properties) info.emplace_back(attribute, text);
  families.Gauge("node_power_supply_info", "info of /sys/class/power_supply/<power_supply>.", 1.0, info);
}

class PowerSupplyClassCollector : public Collector {
 public:
  PowerSupplyClassCollector(std::string class_directory, NameFilter supplies)
      : class_directory_(std::move(class_directory)), supplies_(std::move(supplies)) {}

  Families Collect() override {
    FamilySet families;
    for (const std::string& name : sysfs::ListPowerSupplies(class_directory_)) {
      if (supplies_.Ignored(name)) continue;
      if (auto supply = sysfs::ReadPowerSupply(class_directory_, name)) AddSupply(*supply, families);
    }
    return families.Take();
  }

 private:
  std::string class_directory_;
  NameFilter supplies_;
};

}  // namespace

std::unique_ptr<Collector> MakePowerSupplyClassCollector(const CollectorContext& context) {
  return std::make_unique<PowerSupplyClassCollector>(context.paths.Sys("class/power_supply"),
                                                     NameFilter(RegexOption(context, "ignored-supplies"), {}));
}

}  // namespace hw_exporter

#include <gtest/gtest.h>

#include "collectors/collector_harness.h"
#include "support/test_support.h"

namespace hw_exporter {
namespace {

using testing::CollectorHarness;
using testing::SampleValue;
using testing::SeriesCount;

Families CollectSupplies(const std::map<std::string, std::string>& options = {}) {
  CollectorHarness harness(testing::Fixture("sensors"));
  return harness.Make("powersupplyclass", options)->Collect();
}

TEST(PowerSupplyClassCollector, ValuesInBaseUnits) {
  Families families = CollectSupplies();
  Labels battery{{"power_supply", "BAT0"}};
  EXPECT_EQ(SampleValue(families, "node_power_supply_capacity", battery), 62.0);
  EXPECT_EQ(SampleValue(families, "node_power_supply_cyclecount", battery), 42.0);
  EXPECT_EQ(SampleValue(families, "node_power_supply_present", battery), 1.0);
  EXPECT_EQ(SampleValue(families, "node_power_supply_voltage_volt", battery), 12.1);
  EXPECT_EQ(SampleValue(families, "node_power_supply_voltage_min_design", battery), 11.4);
  EXPECT_EQ(SampleValue(families, "node_power_supply_current_ampere", battery), 1.52);
  EXPECT_EQ(SampleValue(families, "node_power_supply_charge_ampere", battery), 2.5);
  EXPECT_EQ(SampleValue(families, "node_power_supply_charge_full_design", battery), 4.4);
  EXPECT_EQ(SampleValue(families, "node_power_supply_temp_celsius", battery), 28.7);
  EXPECT_EQ(SampleValue(families, "node_power_supply_time_to_empty_seconds", battery), 5400.0);
  EXPECT_EQ(SampleValue(families, "node_power_supply_online", {{"power_supply", "AC"}}), 1.0);
}

TEST(PowerSupplyClassCollector, InfoCarriesTheTextAttributes) {
  Families families = CollectSupplies();
  EXPECT_EQ(SampleValue(families, "node_power_supply_info",
                        {{"power_supply", "BAT0"},
                         {"capacity_level", "Normal"},
                         {"manufacturer", "SMP"},
                         {"model_name", "5B10W13930"},
                         {"status", "Discharging"},
                         {"technology", "Li-ion"},
                         {"type", "Battery"}}),
            1.0);
  EXPECT_EQ(SampleValue(families, "node_power_supply_info", {{"power_supply", "AC"}, {"type", "Mains"}}), 1.0);
  EXPECT_EQ(SampleValue(families, "node_power_supply_info",
                        {{"power_supply", "hidpp_battery_0"},
                         {"capacity_level", "Full"},
                         {"scope", "Device"},
                         {"type", "Battery"}}),
            1.0);
}

TEST(PowerSupplyClassCollector, IgnoredSupplies) {
  Families families = CollectSupplies({{"ignored-supplies", "^hidpp_"}});
  EXPECT_EQ(SeriesCount(families, "node_power_supply_info"), 2u);
  EXPECT_FALSE(SampleValue(families, "node_power_supply_online", {{"power_supply", "hidpp_battery_0"}}));
  EXPECT_EQ(SeriesCount(CollectSupplies(), "node_power_supply_info"), 3u);
}

TEST(PowerSupplyClassCollector, InvalidRegexNamesTheOption) {
  CollectorHarness harness(testing::Fixture("sensors"));
  try {
    harness.Make("powersupplyclass", {{"ignored-supplies", "[BAT"}});
    FAIL() << "expected CollectorOptionError";
  } catch (const CollectorOptionError& error) {
    EXPECT_EQ(error.option(), "ignored-supplies");
  }
}

TEST(PowerSupplyClassCollector, SharedCaptureMatchesNodeExporter) {
  std::string root = testing::NodeTree();
  if (root.empty()) GTEST_SKIP() << testing::kNoNodeTree;
  CollectorHarness harness(root);
  Families families = harness.Make("powersupplyclass")->Collect();
  Labels battery{{"power_supply", "BAT0"}};
  EXPECT_EQ(SampleValue(families, "node_power_supply_energy_watthour", battery), 36.58);
  EXPECT_EQ(SampleValue(families, "node_power_supply_energy_full", battery), 45.07);
  EXPECT_EQ(SampleValue(families, "node_power_supply_power_watt", battery), 5.002);
  EXPECT_EQ(SampleValue(families, "node_power_supply_voltage_volt", battery), 11.66);
  EXPECT_EQ(SampleValue(families, "node_power_supply_online", {{"power_supply", "AC"}}), 0.0);
  EXPECT_EQ(SeriesCount(families, "node_power_supply_info"), 2u);
}

}  // namespace
}  // namespace hw_exporter

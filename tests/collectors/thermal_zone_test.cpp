#include <gtest/gtest.h>

#include <filesystem>

#include "collectors/collector_harness.h"
#include "support/test_support.h"

namespace hw_exporter {
namespace {

using testing::CollectError;
using testing::CollectorHarness;
using testing::SampleValue;
using testing::SeriesCount;

TEST(ThermalZoneCollector, ZonesInCelsiusAndCoolingStates) {
  CollectorHarness harness(testing::Fixture("sensors"));
  Families families = harness.Make("thermal_zone")->Collect();
  EXPECT_EQ(SampleValue(families, "node_thermal_zone_temp", {{"zone", "0"}, {"type", "x86_pkg_temp"}}), 45.0);
  EXPECT_EQ(SampleValue(families, "node_thermal_zone_temp", {{"zone", "1"}, {"type", "acpitz"}}), -5.5);
  EXPECT_EQ(SeriesCount(families, "node_thermal_zone_temp"), 2u);
  EXPECT_EQ(SampleValue(families, "node_cooling_device_cur_state", {{"name", "0"}, {"type", "Processor"}}), 0.0);
  EXPECT_EQ(SampleValue(families, "node_cooling_device_max_state", {{"name", "0"}, {"type", "Processor"}}), 3.0);
  EXPECT_EQ(SampleValue(families, "node_cooling_device_cur_state", {{"name", "1"}, {"type", "intel_powerclamp"}}),
            -1.0);
  EXPECT_EQ(SampleValue(families, "node_cooling_device_max_state", {{"name", "1"}, {"type", "intel_powerclamp"}}),
            50.0);
}

// A temperature that cannot be read for another reason than the firmware's fails the collection, and a file that
// never ends is one, read no further than one page.
TEST(ThermalZoneCollector, FailsOnATemperatureLargerThanAnAttribute) {
  testing::TempDir root;
  root.Write("sys/class/thermal/thermal_zone0/type", "acpitz\n");
  const std::string temp = root.Write("sys/class/thermal/thermal_zone0/temp", "");
  std::filesystem::resize_file(temp, 100 * 1000 * 1000);  // sparse: no room taken
  CollectorHarness harness(root.path());
  EXPECT_EQ(CollectError(*harness.Make("thermal_zone")), temp + ": larger than 4096 bytes");
}

TEST(ThermalZoneCollector, NoThermalClassNoSeries) {
  testing::TempDir empty;
  CollectorHarness harness(empty.path());
  EXPECT_TRUE(harness.Make("thermal_zone")->Collect().empty());
}

// The capture's zone and cooling device are symbolic links into /sys/devices/virtual/thermal, as on a real host;
// node_exporter 1.5's values on that tree.
TEST(ThermalZoneCollector, SharedCaptureMatchesNodeExporter) {
  std::string root = testing::NodeTree();
  if (root.empty()) GTEST_SKIP() << testing::kNoNodeTree;
  CollectorHarness harness(root);
  Families families = harness.Make("thermal_zone")->Collect();
  EXPECT_EQ(SampleValue(families, "node_thermal_zone_temp", {{"zone", "0"}, {"type", "cpu-thermal"}}), 12.376);
  EXPECT_EQ(SeriesCount(families, "node_thermal_zone_temp"), 1u);
  EXPECT_EQ(SampleValue(families, "node_cooling_device_cur_state", {{"name", "0"}, {"type", "Processor"}}), 0.0);
  EXPECT_EQ(SampleValue(families, "node_cooling_device_max_state", {{"name", "0"}, {"type", "Processor"}}), 3.0);
  EXPECT_EQ(SeriesCount(families, "node_cooling_device_cur_state"), 1u);
}

}  // namespace
}  // namespace hw_exporter

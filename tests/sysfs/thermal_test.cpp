#include "hw_exporter/sysfs/thermal.h"

#include <gtest/gtest.h>

#include <cerrno>

#include "hw_exporter/core/parse_error.h"
#include "support/test_support.h"
#include "sysfs/failing_reader.h"

namespace hw_exporter::sysfs {
namespace {

std::string ThermalClass() { return testing::Fixture("sensors/sys/class/thermal"); }

TEST(ReadThermalZones, ReadsEveryZone) {
  auto zones = ReadThermalZones(ThermalClass());
  ASSERT_EQ(zones.size(), 2u);
  EXPECT_EQ(zones[0].zone, "0");
  EXPECT_EQ(zones[0].type, "x86_pkg_temp");
  EXPECT_EQ(zones[0].temp_millicelsius, 45000);
  EXPECT_EQ(zones[1].zone, "1");
  EXPECT_EQ(zones[1].type, "acpitz");
  EXPECT_EQ(zones[1].temp_millicelsius, -5500);
}

TEST(ReadThermalZones, SkipsAZoneWhoseTemperatureIsUnavailable) {
  for (int error : {EAGAIN, ENODATA, EIO}) {
    testing::FailingReader failing;
    failing.Fail("thermal_zone0/temp", error);
    auto zones = ReadThermalZones(ThermalClass(), failing.Reader());
    ASSERT_EQ(zones.size(), 1u) << "errno " << error;
    EXPECT_EQ(zones[0].zone, "1");
    EXPECT_EQ(failing.Reads("thermal_zone0/temp"), 1);
  }
}

TEST(ReadThermalZones, SkipsAZoneWithoutType) {
  testing::FailingReader failing;
  failing.Fail("thermal_zone1/type", ENOENT);
  auto zones = ReadThermalZones(ThermalClass(), failing.Reader());
  ASSERT_EQ(zones.size(), 1u);
  EXPECT_EQ(zones[0].zone, "0");
}

TEST(ReadThermalZones, OtherReadErrorsThrow) {
  testing::FailingReader failing;
  failing.Fail("thermal_zone1/temp", ENOMEM);
  EXPECT_THROW(ReadThermalZones(ThermalClass(), failing.Reader()), FsError);
}

TEST(ReadThermalZones, MalformedTemperatureThrows) {
  testing::TempDir tree;
  tree.Write("thermal_zone0/type", "acpitz\n");
  tree.Write("thermal_zone0/temp", "hot\n");
  EXPECT_THROW(ReadThermalZones(tree.path()), ParseError);
}

TEST(ReadThermalZones, OnlyNumberedZonesCount) {
  testing::TempDir tree;
  tree.Write("thermal_zone/type", "acpitz\n");
  tree.Write("thermal_zone/temp", "1000\n");
  tree.Write("thermal_zone12/type", "acpitz\n");
  tree.Write("thermal_zone12/temp", "27800\n");
  auto zones = ReadThermalZones(tree.path());
  ASSERT_EQ(zones.size(), 1u);
  EXPECT_EQ(zones[0].zone, "12");
}

TEST(ReadThermalZones, AbsentClassHasNoZones) { EXPECT_TRUE(ReadThermalZones(ThermalClass() + "/absent").empty()); }

TEST(ReadCoolingDevices, ReadsStatesIncludingMinusOne) {
  auto devices = ReadCoolingDevices(ThermalClass());
  ASSERT_EQ(devices.size(), 2u);
  EXPECT_EQ(devices[0].name, "0");
  EXPECT_EQ(devices[0].type, "Processor");
  EXPECT_EQ(devices[0].max_state, 3);
  EXPECT_EQ(devices[0].cur_state, 0);
  EXPECT_EQ(devices[1].type, "intel_powerclamp");
  EXPECT_EQ(devices[1].max_state, 50);
  EXPECT_EQ(devices[1].cur_state, -1);
}

TEST(ReadCoolingDevices, SkipsADeviceWhoseStateIsUnavailable) {
  testing::FailingReader failing;
  failing.Fail("cooling_device0/cur_state", ENODATA);
  auto devices = ReadCoolingDevices(ThermalClass(), failing.Reader());
  ASSERT_EQ(devices.size(), 1u);
  EXPECT_EQ(devices[0].name, "1");
}

}  // namespace
}  // namespace hw_exporter::sysfs

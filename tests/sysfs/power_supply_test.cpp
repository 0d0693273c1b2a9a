#include "hw_exporter/sysfs/power_supply.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>

#include "support/test_support.h"
#include "sysfs/failing_reader.h"

namespace hw_exporter::sysfs {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

std::string PowerSupplyClass() { return testing::Fixture("sensors/sys/class/power_supply"); }

TEST(ListPowerSupplies, SortedNames) {
  EXPECT_THAT(ListPowerSupplies(PowerSupplyClass()), ElementsAre("AC", "BAT0", "hidpp_battery_0"));
  EXPECT_TRUE(ListPowerSupplies(PowerSupplyClass() + "/absent").empty());
}

TEST(ReadPowerSupply, SeparatesValuesFromText) {
  auto battery = ReadPowerSupply(PowerSupplyClass(), "BAT0");
  ASSERT_TRUE(battery);
  EXPECT_EQ(battery->name, "BAT0");
  EXPECT_EQ(battery->values.at("voltage_now"), 12100000);
  EXPECT_EQ(battery->values.at("temp"), 287);
  EXPECT_EQ(battery->values.at("cycle_count"), 42);
  EXPECT_EQ(battery->values.at("time_to_empty_now"), 5400);
  // Empty text (serial_number) is left out, and so is what is neither a known word nor a number.
  EXPECT_THAT(battery->properties, ElementsAre(Pair("capacity_level", "Normal"), Pair("manufacturer", "SMP"),
                                               Pair("model_name", "5B10W13930"), Pair("status", "Discharging"),
                                               Pair("technology", "Li-ion"), Pair("type", "Battery")));
  EXPECT_EQ(battery->values.count("charge_behaviour"), 0u);
  EXPECT_EQ(battery->values.count("uevent"), 0u);
}

TEST(ReadPowerSupply, SkipsValuesTheDriverCannotGive) {
  testing::FailingReader failing;
  failing.Fail("BAT0/capacity", ENODATA).Fail("BAT0/current_now", EIO).Fail("BAT0/temp", EINVAL);
  auto battery = ReadPowerSupply(PowerSupplyClass(), "BAT0", failing.Reader());
  ASSERT_TRUE(battery);
  EXPECT_EQ(battery->values.count("capacity"), 0u);
  EXPECT_EQ(battery->values.count("current_now"), 0u);
  EXPECT_EQ(battery->values.count("temp"), 0u);
  EXPECT_EQ(battery->values.at("voltage_now"), 12100000);
  // Links and directories of the supply are not attributes.
  EXPECT_EQ(failing.Reads("BAT0/device"), 0);
  EXPECT_EQ(failing.Reads("BAT0/power"), 0);
}

TEST(ReadPowerSupply, OtherReadErrorsThrow) {
  testing::FailingReader failing;
  failing.Fail("BAT0/capacity", ENOMEM);
  EXPECT_THROW(ReadPowerSupply(PowerSupplyClass(), "BAT0", failing.Reader()), FsError);
}

TEST(ReadPowerSupply, SupplyGoneSinceListed) {
  EXPECT_EQ(ReadPowerSupply(PowerSupplyClass(), "ucsi-source-psy-USBC000:001"), std::nullopt);
}

TEST(ReadPowerSupply, SharedCapture) {
  std::string supplies = testing::NodeTree("sys/class/power_supply");
  if (supplies.empty()) GTEST_SKIP() << testing::kNoNodeTree;
  auto battery = ReadPowerSupply(supplies, "BAT0");
  ASSERT_TRUE(battery);
  EXPECT_EQ(battery->values.at("energy_now"), 36580000);
  EXPECT_EQ(battery->values.at("power_now"), 5002000);
  EXPECT_EQ(battery->properties.at("technology"), "Li-ion");
}

}  // namespace
}  // namespace hw_exporter::sysfs

#include "hw_exporter/sysfs/hwmon.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "support/test_support.h"
#include "sysfs/failing_reader.h"

namespace hw_exporter::sysfs {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

std::string HwmonClass() { return testing::Fixture("sensors/sys/class/hwmon"); }

// The sensors ReadHwmonChips gives the chip in `directory` (a name in class_directory).
std::vector<HwmonSensor> SensorsOf(const std::string& class_directory, const std::string& directory,
                                   const FileReader& read_file = RealFileReader()) {
  for (HwmonChip& chip : ReadHwmonChips(class_directory, read_file)) {
    if (chip.directory == class_directory + "/" + directory) return std::move(chip.sensors);
  }
  ADD_FAILURE() << "no chip in " << directory;
  return {};
}

const HwmonSensor* FindSensor(const std::vector<HwmonSensor>& sensors, const std::string& name) {
  for (const auto& sensor : sensors)
    if (sensor.name == name) return &sensor;
  return nullptr;
}

TEST(HwmonFileName, SplitsTypeNumberAndProperty) {
  auto parsed = ParseHwmonFileName("temp1_crit_alarm");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->type, "temp");
  EXPECT_EQ(parsed->number, 1);
  EXPECT_EQ(parsed->property, "crit_alarm");

  parsed = ParseHwmonFileName("pwm1_auto_point2_temp");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->type, "pwm");
  EXPECT_EQ(parsed->property, "auto_point2_temp");
}

TEST(HwmonFileName, BareFilesHaveNoProperty) {
  auto parsed = ParseHwmonFileName("pwm3");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->type, "pwm");
  EXPECT_EQ(parsed->number, 3);
  EXPECT_EQ(parsed->property, "");

  parsed = ParseHwmonFileName("beep_enable");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->type, "beep_enable");
  EXPECT_EQ(parsed->number, 0);
}

TEST(HwmonFileName, NumbersAreNormalised) {
  auto parsed = ParseHwmonFileName("temp01_input");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->number, 1);
}

// node_exporter's pattern, matched by a backtracking engine as Go's leftmost-first matching does: the reference
// the parser is held to, for every name of up to six characters over an alphabet that takes each branch.
TEST(HwmonFileName, SplitsEveryShortNameAsTheRegularExpressionDoes) {
  const std::regex pattern("^([^0-9]+)([0-9]*)(_(.+))?$");
  const std::string alphabet = "t_10\n";
  std::vector<std::string> names{""};
  for (std::size_t begin = 0, length = 1; length <= 6; ++length) {
    const std::size_t end = names.size();
    for (std::size_t i = begin; i < end; ++i)
      for (char c : alphabet) names.push_back(names[i] + c);
    begin = end;
  }
  for (const std::string& name : names) {
    std::smatch match;
    const bool matches = std::regex_match(name, match, pattern);
    auto parsed = ParseHwmonFileName(name);
    ASSERT_EQ(parsed.has_value(), matches) << "\"" << name << "\"";
    if (!matches) continue;
    EXPECT_EQ(parsed->type, match[1].str()) << name;
    EXPECT_EQ(parsed->number, match[2].length() ? std::stoi(match[2].str()) : 0) << name;
    EXPECT_EQ(parsed->property, match[4].str()) << name;
  }
}

TEST(HwmonFileName, OddNamesSplitLikeNodeExporter) {
  EXPECT_FALSE(ParseHwmonFileName("temp1x"));
  EXPECT_FALSE(ParseHwmonFileName("temp1_"));
  EXPECT_FALSE(ParseHwmonFileName("1_input"));
  EXPECT_FALSE(ParseHwmonFileName("temp99999999999_input"));  // does not fit an int
  auto parsed = ParseHwmonFileName("temp_1x");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->type, "temp");
  EXPECT_EQ(parsed->number, 0);
  EXPECT_EQ(parsed->property, "1x");
}

TEST(CleanHwmonName, LowersReplacesAndTrims) {
  EXPECT_EQ(CleanHwmonName("Physical id 0\n"), "physical_id_0");
  EXPECT_EQ(CleanHwmonName("0000:00:1f.3"), "0000:00:1f_3");
  EXPECT_EQ(CleanHwmonName("__asus-nb-wmi__"), "asus_nb_wmi");
  EXPECT_EQ(CleanHwmonName("--"), "");
}

TEST(ReadHwmonChips, LabelsChipsAsNodeExporterDoes) {
  auto chips = ReadHwmonChips(HwmonClass());
  ASSERT_EQ(chips.size(), 8u);  // the plain file "uevent" is not a chip
  // A device link gives "<parent>_<device>", cleaned.
  EXPECT_EQ(chips[0].label, "platform_coretemp_0");
  EXPECT_EQ(chips[0].name, "coretemp");
  // No device link: the name file.
  EXPECT_EQ(chips[1].label, "nct6779");
  EXPECT_EQ(chips[2].label, "pci0000:00_0000:00:1f_3");
  EXPECT_EQ(chips[2].name, "pch_cannonlake");
  // Neither device nor name: the directory's own name.
  EXPECT_EQ(chips[3].label, "hwmon3");
  EXPECT_EQ(chips[3].name, std::nullopt);
  EXPECT_EQ(chips[4].label, "platform_applesmc_768");
  EXPECT_EQ(chips[4].name, std::nullopt);
  // Two directories of one device share a label; their names tell them apart.
  EXPECT_EQ(chips[5].label, "platform_asus_nb_wmi");
  EXPECT_EQ(chips[6].label, "platform_asus_nb_wmi");
  EXPECT_EQ(chips[5].name, "asus");
  EXPECT_EQ(chips[6].name, "asus_wmi_sensors");
  EXPECT_EQ(chips[7].label, "amdgpu");
  EXPECT_EQ(chips[0].directory, HwmonClass() + "/hwmon0");
}

TEST(ReadHwmonChips, AbsentClassDirectoryHasNoChips) {
  EXPECT_TRUE(ReadHwmonChips(testing::Fixture("sensors/sys/class/no_such_class")).empty());
}

TEST(ReadHwmonChips, ReadsNothingOfAChipTheFilterLeavesOut) {
  testing::FailingReader counting;
  auto chips = ReadHwmonChips(HwmonClass(), counting.Reader(),
                              [](const std::string& label) { return label != "platform_coretemp_0"; });
  ASSERT_EQ(chips.size(), 7u);
  EXPECT_EQ(chips[0].label, "nct6779");
  EXPECT_FALSE(chips[0].sensors.empty());
  EXPECT_EQ(counting.Reads("hwmon0/temp1_input"), 0);
  EXPECT_EQ(counting.Reads("hwmon1/in0_input"), 1);
}

TEST(ReadHwmonChips, GroupsFilesBySensor) {
  auto sensors = SensorsOf(HwmonClass(), "hwmon0");
  ASSERT_EQ(sensors.size(), 3u);
  EXPECT_EQ(sensors[0].name, "temp1");
  EXPECT_EQ(sensors[0].type, "temp");
  EXPECT_THAT(sensors[0].attributes,
              ElementsAre(Pair("crit", "100000"), Pair("crit_alarm", "0"), Pair("input", "48000"),
                          Pair("label", "Package id 0"), Pair("max", "84000")));
  // A sensor with only an input, and one whose label is empty.
  EXPECT_THAT(sensors[1].attributes, ElementsAre(Pair("input", "45500")));
  EXPECT_THAT(sensors[2].attributes, ElementsAre(Pair("input", "46000"), Pair("label", "")));
}

TEST(ReadHwmonChips, ReadsTheDeviceDirectoryToo) {
  auto sensors = SensorsOf(HwmonClass(), "hwmon4");
  ASSERT_EQ(sensors.size(), 1u);
  EXPECT_EQ(sensors[0].name, "fan1");
  EXPECT_THAT(sensors[0].attributes,
              UnorderedElementsAre(Pair("input", "2000"), Pair("label", "Left side"), Pair("max", "6156")));
}

TEST(ReadHwmonChips, KeepsOnlyKnownSensorTypes) {
  auto sensors = SensorsOf(HwmonClass(), "hwmon1");
  for (const auto& sensor : sensors) EXPECT_NE(sensor.type, "name");
  const HwmonSensor* vrm = FindSensor(sensors, "vrm0");
  ASSERT_NE(vrm, nullptr);
  EXPECT_THAT(vrm->attributes, ElementsAre(Pair("", "9.1")));
  EXPECT_NE(FindSensor(sensors, "beep_enable0"), nullptr);
  EXPECT_NE(FindSensor(sensors, "intrusion0"), nullptr);
}

TEST(ReadHwmonChips, SkipsFilesTheDriverCannotReadWithoutRetrying) {
  testing::FailingReader failing;
  failing.Fail("hwmon0/temp1_input", EAGAIN).Fail("hwmon0/temp1_crit", ENODATA).Fail("hwmon0/temp2_input", EIO);
  auto sensors = SensorsOf(HwmonClass(), "hwmon0", failing.Reader());

  const HwmonSensor* temp1 = FindSensor(sensors, "temp1");
  ASSERT_NE(temp1, nullptr);
  EXPECT_EQ(temp1->attributes.count("input"), 0u);
  EXPECT_EQ(temp1->attributes.count("crit"), 0u);
  EXPECT_EQ(temp1->attributes.at("crit_alarm"), "0");
  // temp2 has no other file: without a readable one it is no sensor at all.
  EXPECT_EQ(FindSensor(sensors, "temp2"), nullptr);
  EXPECT_EQ(failing.Reads("hwmon0/temp1_input"), 1);
  EXPECT_EQ(failing.Reads("hwmon0/temp1_crit"), 1);
}

TEST(ReadHwmonChips, LeavesOutAFileLargerThanAnAttribute) {
  testing::TempDir tree;
  tree.Write("hwmon0/temp1_crit", "100000\n");
  tree.Write("hwmon0/temp2_input", "42000\n");
  std::filesystem::resize_file(tree.Write("hwmon0/temp1_input", ""), 100 * 1000 * 1000);  // sparse: no room taken
  auto sensors = SensorsOf(tree.path(), "hwmon0");
  ASSERT_EQ(sensors.size(), 2u);
  EXPECT_THAT(sensors[0].attributes, ElementsAre(Pair("crit", "100000")));
  EXPECT_THAT(sensors[1].attributes, ElementsAre(Pair("input", "42000")));
}

}  // namespace
}  // namespace hw_exporter::sysfs

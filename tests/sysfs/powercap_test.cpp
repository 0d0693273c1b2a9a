#include "hw_exporter/sysfs/powercap.h"

#include <gtest/gtest.h>

#include <cerrno>

#include "support/test_support.h"

namespace hw_exporter::sysfs {
namespace {

using testing::Fixture;
using testing::kNoNodeTree;
using testing::NodeTree;
using testing::TempDir;

TEST(RaplZones, NamesAndNumbersZonesAsNodeExporterDoes) {
  std::string root = Fixture("platform/sys/class/powercap");
  auto zones = ReadRaplZones(root);
  // Directory order; intel-rapl (the control type, without a name) is not a zone.
  std::vector<std::tuple<std::string, int, std::string>> seen;
  for (const RaplZone& zone : zones) seen.emplace_back(zone.name, zone.index, zone.path.substr(root.size() + 1));
  EXPECT_EQ(seen, (std::vector<std::tuple<std::string, int, std::string>>{
                      {"package", 0, "intel-rapl-mmio:0"},
                      {"package", 0, "intel-rapl:0"},
                      {"core", 0, "intel-rapl:0:0"},
                      {"uncore", 0, "intel-rapl:0:1"},
                      {"dram", 0, "intel-rapl:0:2"},
                      {"package", 1, "intel-rapl:1"},
                      {"dram", 1, "intel-rapl:1:0"},  // a second "dram" is numbered by count
                      {"package-0-die-1", 0, "intel-rapl:2"},
                  }));
  EXPECT_EQ(zones[1].energy_microjoules, 24042236626u);
}

TEST(RaplZones, PathIsNormalised) {
  std::string root = Fixture("platform/sys/class/../class/powercap");
  auto zones = ReadRaplZones(root);
  ASSERT_FALSE(zones.empty());
  EXPECT_EQ(zones[0].path, Fixture("platform/sys/class/powercap/intel-rapl-mmio:0"));
}

TEST(RaplZones, RootOnlyEnergyIsAbsentNotAnError) {
  FileReader energy_root_only = [](const std::string& path, int* error_number) -> std::optional<std::string> {
    if (path.ends_with("intel-rapl:0/energy_uj")) {
      *error_number = EACCES;
      return std::nullopt;
    }
    if (path.ends_with("intel-rapl:1/energy_uj")) {
      *error_number = EPERM;
      return std::nullopt;
    }
    return TryReadAttribute(path, error_number);
  };
  auto zones = ReadRaplZones(Fixture("platform/sys/class/powercap"), energy_root_only);
  ASSERT_EQ(zones.size(), 8u);
  EXPECT_EQ(zones[1].path.substr(zones[1].path.rfind('/')), "/intel-rapl:0");
  EXPECT_FALSE(zones[1].energy_microjoules);
  EXPECT_FALSE(zones[5].energy_microjoules);
  EXPECT_EQ(zones[2].energy_microjoules, 118821284256u);
}

TEST(RaplZones, MissingOrMalformedEnergyIsAnError) {
  TempDir missing;
  missing.Write("intel-rapl:0/name", "package-0\n");
  EXPECT_THROW(ReadRaplZones(missing.path()), FsError);
  TempDir malformed;
  malformed.Write("intel-rapl:0/name", "package-0\n");
  malformed.Write("intel-rapl:0/energy_uj", "-1\n");
  EXPECT_THROW(ReadRaplZones(malformed.path()), std::runtime_error);
}

TEST(RaplZones, AbsentClassHasNoZones) {
  TempDir dir;
  EXPECT_TRUE(ReadRaplZones(dir.path() + "/class/powercap").empty());
}

TEST(RaplZones, ReadsTheSharedCapture) {
  std::string shared = NodeTree("sys/class/powercap");
  if (shared.empty()) GTEST_SKIP() << kNoNodeTree;
  auto zones = ReadRaplZones(shared);
  ASSERT_EQ(zones.size(), 2u);
  EXPECT_EQ(zones[0].name, "package");
  EXPECT_EQ(zones[1].name, "core");
  EXPECT_EQ(zones[1].energy_microjoules, 118821284256u);
}

}  // namespace
}  // namespace hw_exporter::sysfs

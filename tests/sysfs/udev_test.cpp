#include "hw_exporter/sysfs/udev.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace hw_exporter::sysfs {
namespace {

using ::hw_exporter::testing::Fixture;
using ::hw_exporter::testing::kNoNodeTree;
using ::hw_exporter::testing::NodeTree;

Paths FixturePaths() {
  Paths paths;
  paths.udev_data = Fixture("storage_network/udev/data");
  return paths;
}

TEST(ParseUdevProperties, KeepsOnlyPropertyLines) {
  UdevProperties properties = ParseUdevProperties("S:disk/by-id/x\nW:12\nE:ID_MODEL=SSD\nG:systemd\nE:EMPTY=\n");
  EXPECT_EQ(properties.size(), 2u);
  EXPECT_EQ(UdevProperty(properties, "ID_MODEL"), "SSD");
  EXPECT_TRUE(properties.contains("EMPTY"));
  EXPECT_EQ(UdevProperty(properties, "EMPTY"), "");
  EXPECT_EQ(UdevProperty(properties, "ABSENT"), "");
}

TEST(ParseUdevProperties, SplitsAtTheFirstEqualsSign) {
  UdevProperties properties = ParseUdevProperties("E:ID_COMMENT=a=b\nE:NO_VALUE\n");
  EXPECT_EQ(UdevProperty(properties, "ID_COMMENT"), "a=b");
  EXPECT_FALSE(properties.contains("NO_VALUE"));
}

TEST(ReadBlockDeviceUdevProperties, ReadsTheEntryOfMajorAndMinor) {
  UdevProperties properties = ReadBlockDeviceUdevProperties(FixturePaths(), 8, 0);
  EXPECT_EQ(UdevProperty(properties, "ID_MODEL"), "EXAMPLE_SSD");
  EXPECT_EQ(UdevProperty(properties, "ID_FS_VERSION"), "LVM2 001");
}

TEST(ReadBlockDeviceUdevProperties, AMissingEntryHasNoProperties) {
  EXPECT_TRUE(ReadBlockDeviceUdevProperties(FixturePaths(), 104, 0).empty());
}

TEST(ReadBlockDeviceUdevProperties, ReadsARealCapture) {
  const std::string root = NodeTree("udev/data");
  if (root.empty()) GTEST_SKIP() << kNoNodeTree;
  Paths paths;
  paths.udev_data = root;
  UdevProperties properties = ReadBlockDeviceUdevProperties(paths, 252, 1);
  EXPECT_EQ(UdevProperty(properties, "DM_LV_NAME"), "swap_1");
  EXPECT_TRUE(properties.contains("DM_LV_LAYER"));
}

}  // namespace
}  // namespace hw_exporter::sysfs

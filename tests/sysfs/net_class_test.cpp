#include "hw_exporter/sysfs/net_class.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace hw_exporter::sysfs {
namespace {

using ::hw_exporter::testing::Fixture;
using ::hw_exporter::testing::kNoNodeTree;
using ::hw_exporter::testing::NodeTree;

const std::string& ClassNet() {
  static const std::string path = Fixture("storage_network/sys/class/net");
  return path;
}

TEST(ListNetClassInterfaces, ListsDirectoriesOnly) {
  EXPECT_EQ(ListNetClassInterfaces(ClassNet()), (std::vector<std::string>{"eth0", "lo", "wlan0"}));
}

TEST(ListNetClassInterfaces, AnAbsentDirectoryHasNone) {
  EXPECT_TRUE(ListNetClassInterfaces(Fixture("storage_network/sys/class/absent")).empty());
}

TEST(ReadNetClassInterface, ReadsTextAndNumericAttributes) {
  NetClassInterface eth0 = ReadNetClassInterface(ClassNet(), "eth0");
  EXPECT_EQ(eth0.name, "eth0");
  EXPECT_EQ(eth0.address, "52:54:00:12:34:56");
  EXPECT_EQ(eth0.duplex, "full");
  EXPECT_EQ(eth0.operstate, "up");
  EXPECT_EQ(eth0.ifalias, "uplink to switch 3");
  EXPECT_EQ(eth0.numbers.at("mtu"), 1500);
  EXPECT_EQ(eth0.numbers.at("speed"), 1000);
  EXPECT_EQ(eth0.numbers.size(), 17u);
}

TEST(ReadNetClassInterface, ReadsHexAttributesAndNegativeSpeeds) {
  NetClassInterface wlan0 = ReadNetClassInterface(ClassNet(), "wlan0");
  EXPECT_EQ(wlan0.numbers.at("flags"), 0x1003);
  EXPECT_EQ(wlan0.numbers.at("dev_id"), 0x20);
  EXPECT_EQ(wlan0.numbers.at("speed"), -1);
}

TEST(ReadNetClassInterface, LeavesOutAttributesThatCannotBeRead) {
  // lo's speed and duplex cannot be read, and it has no carrier_changes file at all.
  NetClassInterface lo = ReadNetClassInterface(ClassNet(), "lo");
  EXPECT_FALSE(lo.numbers.contains("speed"));
  EXPECT_FALSE(lo.numbers.contains("carrier_changes"));
  EXPECT_EQ(lo.duplex, "");
  EXPECT_EQ(lo.operstate, "unknown");
  EXPECT_EQ(lo.numbers.at("type"), 772);
}

TEST(ReadNetClassInterface, ReadsARealCapture) {
  const std::string root = NodeTree("sys/class/net");
  if (root.empty()) GTEST_SKIP() << kNoNodeTree;
  // eth0 is a symbolic link into /sys/devices, as on a real host; the others are plain directories.
  EXPECT_EQ(ListNetClassInterfaces(root), (std::vector<std::string>{"bond0", "dmz", "eth0", "int"}));
  NetClassInterface bond0 = ReadNetClassInterface(root, "bond0");
  EXPECT_EQ(bond0.numbers.at("speed"), -1);
  EXPECT_EQ(bond0.numbers.at("flags"), 4867);
  EXPECT_EQ(bond0.broadcast, "ff:ff:ff:ff:ff:ff");
  NetClassInterface eth0 = ReadNetClassInterface(root, "eth0");
  EXPECT_EQ(eth0.numbers.at("speed"), 1000);
  EXPECT_EQ(eth0.numbers.at("mtu"), 1500);
  EXPECT_EQ(eth0.numbers.at("carrier_changes"), 2);
  EXPECT_EQ(eth0.duplex, "full");
  EXPECT_EQ(eth0.operstate, "up");
  EXPECT_EQ(eth0.address, "01:01:01:01:01:01");
}

}  // namespace
}  // namespace hw_exporter::sysfs

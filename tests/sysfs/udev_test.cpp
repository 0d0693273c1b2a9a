#include "hw_exporter/sysfs/udev.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

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

TEST(UdevBlockDevices, ReadsTheEntryOfMajorAndMinor) {
  UdevBlockDevices devices(FixturePaths());
  const UdevProperties& properties = devices.Properties(8, 0);
  EXPECT_EQ(UdevProperty(properties, "ID_MODEL"), "EXAMPLE_SSD");
  EXPECT_EQ(UdevProperty(properties, "ID_FS_VERSION"), "LVM2 001");
}

TEST(UdevBlockDevices, AMissingEntryHasNoProperties) {
  UdevBlockDevices devices(FixturePaths());
  EXPECT_TRUE(devices.Properties(104, 0).empty());
}

TEST(UdevBlockDevices, ReadsARealCapture) {
  const std::string root = NodeTree("udev/data");
  if (root.empty()) GTEST_SKIP() << kNoNodeTree;
  Paths paths;
  paths.udev_data = root;
  UdevBlockDevices devices(paths);
  const UdevProperties& properties = devices.Properties(252, 1);
  EXPECT_EQ(UdevProperty(properties, "DM_LV_NAME"), "swap_1");
  EXPECT_TRUE(properties.contains("DM_LV_LAYER"));
}

// A udev database in a scratch directory, written as udevd writes it, or in place behind the cache's back.
class UdevEntries : public ::testing::Test {
 protected:
  UdevEntries() { paths.udev_data = directory.path(); }

  // As udevd does: a new file renamed over the entry.
  void Replace(const std::string& model) {
    const std::string written = directory.Write("b8:0.tmp", "E:ID_MODEL=" + model + "\n");
    ASSERT_EQ(std::rename(written.c_str(), (directory.path() + "/b8:0").c_str()), 0);
  }
  // Rewrites the entry in place, then puts its modification time back: what no udevd does, so that a read that
  // still finds the old model shows the entry was not read again.
  void RewriteKeepingItsIdentity(const std::string& model) {
    const std::string path = directory.path() + "/b8:0";
    struct stat before {};
    ASSERT_EQ(::stat(path.c_str(), &before), 0);
    std::ofstream(path, std::ios::in | std::ios::out) << "E:ID_MODEL=" + model + "\n";
    const timespec times[2] = {before.st_atim, before.st_mtim};
    ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
  }
  std::string Model(UdevBlockDevices& devices) { return UdevProperty(devices.Properties(8, 0), "ID_MODEL"); }
  // One refresh's look at device 8:0.
  std::string ModelInASweep(UdevBlockDevices& devices) {
    devices.StartSweep();
    std::string model = Model(devices);
    devices.ForgetUnused();
    return model;
  }
  // Until the directory's times are old enough for its stamp to be trusted; bounded for a machine that stops, on any
  // other two seconds and a little.
  bool Settled() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      struct stat status {};
      if (::stat(directory.path().c_str(), &status) == 0 && SettledStamp(status, std::chrono::system_clock::now()))
        return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  testing::TempDir directory;
  Paths paths;
};

TEST_F(UdevEntries, AnEntryUdevReplacedIsReadAgain) {
  UdevBlockDevices devices(paths);
  Replace("FIRST");
  EXPECT_EQ(Model(devices), "FIRST");
  Replace("OTHER");
  EXPECT_EQ(Model(devices), "OTHER");
  ASSERT_EQ(std::remove((directory.path() + "/b8:0").c_str()), 0);
  EXPECT_EQ(Model(devices), "") << "gone: no properties";
}

TEST_F(UdevEntries, AnEntryWithTheSameInodeSizeAndTimeIsNotReadAgain) {
  UdevBlockDevices devices(paths);
  Replace("FIRST");
  EXPECT_EQ(Model(devices), "FIRST");
  RewriteKeepingItsIdentity("THIRD");
  EXPECT_EQ(Model(devices), "FIRST") << "one stat, and the properties read before";
}

// End to end: an entry udev replaces is read anew at the next refresh, also once the directory has kept still long
// enough for its stamp to be trusted.
TEST_F(UdevEntries, AnEntryReplacedInASettledDirectoryIsReadAtTheNextSweep) {
  UdevBlockDevices devices(paths);
  Replace("FIRST");
  ASSERT_TRUE(Settled());
  EXPECT_EQ(ModelInASweep(devices), "FIRST");
  EXPECT_EQ(ModelInASweep(devices), "FIRST");
  Replace("OTHER");
  EXPECT_EQ(ModelInASweep(devices), "OTHER") << "just replaced";
  ASSERT_TRUE(Settled());
  EXPECT_EQ(ModelInASweep(devices), "OTHER");
  Replace("THIRD");
  ASSERT_TRUE(Settled());
  EXPECT_EQ(ModelInASweep(devices), "THIRD") << "replaced, and settled since";
  ASSERT_EQ(std::remove((directory.path() + "/b8:0").c_str()), 0);
  ASSERT_TRUE(Settled());
  EXPECT_EQ(ModelInASweep(devices), "") << "gone: no properties";
}

// What the stamp saves: in a settled directory, a sweep looks at the directory and at no entry. An entry replaced
// after the sweep began is therefore found by the next one.
TEST_F(UdevEntries, ASweepOfASettledDirectoryLooksAtItOnce) {
  UdevBlockDevices devices(paths);
  Replace("FIRST");
  ASSERT_TRUE(Settled());
  EXPECT_EQ(ModelInASweep(devices), "FIRST");
  devices.StartSweep();
  Replace("OTHER");
  EXPECT_EQ(Model(devices), "FIRST") << "the entry was not looked at again";
  devices.ForgetUnused();
  EXPECT_EQ(ModelInASweep(devices), "OTHER");
}

TEST_F(UdevEntries, ADeviceNotAskedForBetweenTwoSweepsIsForgotten) {
  UdevBlockDevices devices(paths);
  Replace("FIRST");
  EXPECT_EQ(Model(devices), "FIRST");
  devices.ForgetUnused();  // asked for since the last sweep: kept
  RewriteKeepingItsIdentity("THIRD");
  EXPECT_EQ(Model(devices), "FIRST");
  devices.ForgetUnused();
  devices.ForgetUnused();  // not asked for in between: forgotten
  EXPECT_EQ(Model(devices), "THIRD") << "read afresh";
}

}  // namespace
}  // namespace hw_exporter::sysfs

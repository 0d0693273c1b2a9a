#include "hw_exporter/procfs/mountinfo.h"

#include <gtest/gtest.h>

#include "hw_exporter/core/fs.h"
#include "hw_exporter/core/parse_error.h"
#include "support/test_support.h"

namespace hw_exporter::procfs {
namespace {

using ::hw_exporter::testing::Fixture;
using ::hw_exporter::testing::kNoNodeTree;
using ::hw_exporter::testing::NodeTree;

using Options = std::vector<std::string>;

std::vector<MountInfo> ParseFixture() {
  const std::string path = Fixture("storage_network/proc/1/mountinfo");
  return ParseMountInfo(ReadFile(path), path);
}

TEST(ParseMountInfo, ReadsTheFieldsAroundTheSeparator) {
  std::vector<MountInfo> mounts = ParseFixture();
  ASSERT_EQ(mounts.size(), 10u);
  EXPECT_EQ(mounts[0].mount_point, "/");
  EXPECT_EQ(mounts[0].fs_type, "ext4");
  EXPECT_EQ(mounts[0].source, "/dev/mapper/vg0-root");
  EXPECT_EQ(mounts[0].mount_options, (Options{"rw", "relatime"}));
  EXPECT_EQ(mounts[0].super_options, (Options{"rw", "errors=remount-ro"}));
  EXPECT_EQ(mounts[3].source, "server:/export");
}

TEST(ParseMountInfo, SkipsAnyNumberOfOptionalFields) {
  std::vector<MountInfo> mounts = ParseFixture();
  // "master:3 propagate_from:1" before the separator; an overlay mount with none.
  EXPECT_EQ(mounts[4].fs_type, "xfs");
  EXPECT_EQ(mounts[4].super_options, (Options{"ro", "attr2"}));
  EXPECT_EQ(mounts[6].fs_type, "overlay");
  EXPECT_EQ(mounts[6].mount_options, (Options{"rw"}));
}

TEST(ParseMountInfo, DecodesOctalEscapes) {
  std::vector<MountInfo> mounts = ParseMountInfo("1 0 8:2 / /srv/a\\040b\\011c\\134d rw - xfs /dev/x\\040y rw\n",
                                                 "mountinfo");
  ASSERT_EQ(mounts.size(), 1u);
  EXPECT_EQ(mounts[0].mount_point, "/srv/a b\tc\\d");
  EXPECT_EQ(mounts[0].source, "/dev/x y");
}

TEST(ParseMountInfo, KeepsAnEmptySourceInItsPlace) {
  std::vector<MountInfo> mounts = ParseFixture();
  EXPECT_EQ(mounts[8].mount_point, "/srv/scratch");
  EXPECT_EQ(mounts[8].source, "");
  EXPECT_EQ(mounts[8].super_options, (Options{"rw", "size=1024k"}));
}

TEST(ParseMountInfo, RejectsALineWithoutTheSeparator) {
  EXPECT_THROW(ParseMountInfo("1 0 8:2 / / rw shared:1 ext4 /dev/sda rw\n", "mountinfo"), ParseError);
  EXPECT_THROW(ParseMountInfo("1 0 8:2 / / rw - ext4\n", "mountinfo"), ParseError);
}

TEST(ParseMountInfo, NamesTheSourceItWasGiven) {
  try {
    ParseMountInfo("1 0 8:1 / / rw - ext4 /dev/sda1 rw\n1 0 8:2 / /srv rw\n", "/host/proc/1/mountinfo");
    FAIL() << "expected a ParseError";
  } catch (const ParseError& error) {
    EXPECT_STREQ(error.what(), "/host/proc/1/mountinfo:2: expected at least 6 fields before \" - \"");
  }
}

TEST(ParseMountInfo, ParsesARealCapture) {
  const std::string path = NodeTree("proc/1/mountinfo");
  if (path.empty()) GTEST_SKIP() << kNoNodeTree;
  std::vector<MountInfo> mounts = ParseMountInfo(ReadFile(path), path);
  ASSERT_FALSE(mounts.empty());
  bool found_blank = false;
  bool found_tab = false;
  for (const MountInfo& mount : mounts) {
    found_blank |= mount.mount_point.find("[vsanDatastore] bafb9e5a") != std::string::npos;
    found_tab |= mount.mount_point.find("[vsanDatastore]\tbafb9e5a") != std::string::npos;
  }
  EXPECT_TRUE(found_blank);
  EXPECT_TRUE(found_tab);
}

}  // namespace
}  // namespace hw_exporter::procfs

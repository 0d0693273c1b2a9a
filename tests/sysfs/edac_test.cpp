#include "hw_exporter/sysfs/edac.h"

#include <gtest/gtest.h>

#include "hw_exporter/core/fs.h"
#include "support/test_support.h"

namespace hw_exporter::sysfs {
namespace {

using testing::Fixture;
using testing::kNoNodeTree;
using testing::NodeTree;
using testing::TempDir;

TEST(EdacControllers, ReadsControllersAndTheirCsrows) {
  auto controllers = ReadEdacControllers(Fixture("platform/sys/devices/system/edac/mc"));
  ASSERT_EQ(controllers.size(), 2u);  // mc0, mc1; power/ and uevent are not controllers
  const EdacController& mc0 = controllers[0];
  EXPECT_EQ(mc0.number, "0");
  EXPECT_EQ(mc0.correctable, 7u);
  EXPECT_EQ(mc0.uncorrectable, 1u);
  EXPECT_EQ(mc0.correctable_without_row, 2u);
  EXPECT_EQ(mc0.uncorrectable_without_row, 0u);
  ASSERT_EQ(mc0.csrows.size(), 2u);
  EXPECT_EQ(mc0.csrows[0].number, "0");
  EXPECT_EQ(mc0.csrows[0].correctable, 5u);
  EXPECT_EQ(mc0.csrows[0].uncorrectable, 1u);
  EXPECT_EQ(mc0.csrows[1].number, "1");
  const EdacController& mc1 = controllers[1];
  EXPECT_EQ(mc1.number, "1");
  EXPECT_EQ(mc1.uncorrectable_without_row, 3u);
  EXPECT_TRUE(mc1.csrows.empty());
}

TEST(EdacControllers, AbsentDirectoryHasNoControllers) {
  TempDir dir;
  EXPECT_TRUE(ReadEdacControllers(dir.path() + "/devices/system/edac/mc").empty());
}

TEST(EdacControllers, MissingCountIsAnErrorNamingTheFile) {
  TempDir dir;
  dir.Write("mc/mc0/ce_count", "1\n");
  EXPECT_THROW(ReadEdacControllers(dir.path() + "/mc"), FsError);
}

TEST(EdacControllers, MalformedCountIsAnErrorNamingTheFile) {
  TempDir dir;
  for (const char* file : {"ce_count", "ue_count", "ce_noinfo_count", "ue_noinfo_count"}) {
    dir.Write(std::string("mc/mc3/") + file, "0\n");
  }
  dir.Write("mc/mc3/csrow2/ce_count", "many\n");
  dir.Write("mc/mc3/csrow2/ue_count", "0\n");
  try {
    ReadEdacControllers(dir.path() + "/mc");
    FAIL() << "a malformed count was accepted";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("csrow2/ce_count"), std::string::npos) << error.what();
  }
}

TEST(EdacControllers, ReadsTheSharedCapture) {
  std::string shared = NodeTree("sys/devices/system/edac/mc");
  if (shared.empty()) GTEST_SKIP() << kNoNodeTree;
  auto controllers = ReadEdacControllers(shared);
  ASSERT_EQ(controllers.size(), 1u);
  EXPECT_EQ(controllers[0].csrows.size(), 3u);
}

}  // namespace
}  // namespace hw_exporter::sysfs

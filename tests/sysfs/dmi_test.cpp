#include "hw_exporter/sysfs/dmi.h"

#include <gtest/gtest.h>

#include <cerrno>

#include "support/test_support.h"

namespace hw_exporter::sysfs {
namespace {

using testing::Fixture;
using testing::kNoNodeTree;
using testing::NodeTree;
using testing::TempDir;

TEST(DmiId, ReadsTheIdentificationAttributesTrimmed) {
  DmiId id = ReadDmiId(Fixture("platform/sys/class/dmi/id"));
  EXPECT_EQ(id.at("bios_vendor"), "LENOVO");
  EXPECT_EQ(id.at("bios_version"), "N32ET86W (1.62 )");
  EXPECT_EQ(id.at("sys_vendor"), "LENOVO");
  EXPECT_EQ(id.at("chassis_type"), "10");
  EXPECT_EQ(id.at("board_asset_tag"), "");  // present but empty stays present
  EXPECT_EQ(id.count("modalias"), 0u);
  EXPECT_EQ(id.count("uevent"), 0u);
  EXPECT_EQ(id.count("product_serial"), 0u);  // absent in this tree
}

TEST(DmiId, LeavesOutRootOnlyAttributes) {
  FileReader root_only_serials = [](const std::string& path, int* error_number) -> std::optional<std::string> {
    if (path.find("serial") != std::string::npos || path.ends_with("product_uuid")) {
      *error_number = EACCES;
      return std::nullopt;
    }
    return TryReadAttribute(path, error_number);
  };
  TempDir dir;
  dir.Write("board_serial", "ABC\n");
  dir.Write("product_uuid", "83340ca8\n");
  dir.Write("product_name", "PowerEdge R6515\n");
  DmiId id = ReadDmiId(dir.path(), root_only_serials);
  EXPECT_EQ(id, (DmiId{{"product_name", "PowerEdge R6515"}}));
}

TEST(DmiId, OtherReadErrorsAreFailures) {
  FileReader broken = [](const std::string&, int* error_number) -> std::optional<std::string> {
    *error_number = EIO;
    return std::nullopt;
  };
  EXPECT_THROW(ReadDmiId(Fixture("platform/sys/class/dmi/id"), broken), FsError);
}

TEST(DmiId, AbsentDirectoryIsEmpty) {
  TempDir dir;
  EXPECT_TRUE(ReadDmiId(dir.path() + "/class/dmi/id").empty());
}

TEST(DmiId, ReadsTheSharedCapture) {
  std::string shared = NodeTree("sys/class/dmi/id");
  if (shared.empty()) GTEST_SKIP() << kNoNodeTree;
  DmiId id = ReadDmiId(shared);
  EXPECT_EQ(id.at("product_name"), "PowerEdge R6515");
  EXPECT_EQ(id.at("chassis_asset_tag"), "");
  EXPECT_EQ(id.size(), 20u);  // every attribute but board_asset_tag
}

}  // namespace
}  // namespace hw_exporter::sysfs

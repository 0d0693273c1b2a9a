#include "hw_exporter/sysfs/nvme.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace hw_exporter::sysfs {
namespace {

using testing::Fixture;
using testing::kNoNodeTree;
using testing::NodeTree;
using testing::TempDir;

TEST(NvmeControllers, ReadsEachControllerTrimmed) {
  auto controllers = ReadNvmeControllers(Fixture("platform/sys/class/nvme"));
  ASSERT_EQ(controllers.size(), 2u);  // nvme-fabrics is a control device, not a controller
  EXPECT_EQ(controllers[0].device, "nvme0");
  EXPECT_EQ(controllers[0].model, "SAMSUNG MZVL2512HCJQ-00BL7");
  EXPECT_EQ(controllers[0].serial, "S64KNX0T123456");
  EXPECT_EQ(controllers[0].firmware_revision, "GPJA0B3Q");
  EXPECT_EQ(controllers[0].state, "live");
  EXPECT_EQ(controllers[1].device, "nvme1");
  EXPECT_EQ(controllers[1].state, "resetting");
}

TEST(NvmeControllers, AbsentClassHasNoControllers) {
  TempDir dir;
  EXPECT_TRUE(ReadNvmeControllers(dir.path() + "/class/nvme").empty());
}

TEST(NvmeControllers, ReadsTheSharedCapture) {
  std::string shared = NodeTree("sys/class/nvme");
  if (shared.empty()) GTEST_SKIP() << kNoNodeTree;
  auto controllers = ReadNvmeControllers(shared);
  ASSERT_EQ(controllers.size(), 1u);
  EXPECT_EQ(controllers[0].model, "Samsung SSD 970 PRO 512GB");
}

}  // namespace
}  // namespace hw_exporter::sysfs

#include "hw_exporter/sysfs/file_reader.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace hw_exporter::sysfs {
namespace {

using testing::TempDir;

// A reader that fails every read with one errno.
FileReader Failing(int error) {
  return [error](const std::string&, int* error_number) -> std::optional<std::string> {
    *error_number = error;
    return std::nullopt;
  };
}

TEST(ReadOptionalAttribute, TrimsTheContents) {
  TempDir dir;
  EXPECT_EQ(ReadOptionalAttribute(dir.Write("model", "  Samsung SSD 970 PRO 512GB   \n")), "Samsung SSD 970 PRO 512GB");
}

TEST(ReadOptionalAttribute, AbsentAndRootOnlyFilesAreNotThere) {
  TempDir dir;
  EXPECT_EQ(ReadOptionalAttribute(dir.path() + "/missing"), std::nullopt);
  EXPECT_EQ(ReadOptionalAttribute(dir.path() + "/not_a_dir/file"), std::nullopt);
  EXPECT_EQ(ReadOptionalAttribute("ignored", Failing(EACCES)), std::nullopt);
  EXPECT_EQ(ReadOptionalAttribute("ignored", Failing(EPERM)), std::nullopt);
}

TEST(ReadOptionalAttribute, OtherErrorsThrowWithThePath) {
  try {
    ReadOptionalAttribute("/sys/class/dmi/id/bios_date", Failing(EIO));
    FAIL() << "EIO was taken for an absent file";
  } catch (const FsError& error) {
    EXPECT_EQ(error.error_number(), EIO);
    EXPECT_NE(std::string(error.what()).find("/sys/class/dmi/id/bios_date"), std::string::npos);
  }
}

TEST(IsPermissionError, OnlyAccessAndPermissionErrors) {
  EXPECT_TRUE(IsPermissionError(EACCES));
  EXPECT_TRUE(IsPermissionError(EPERM));
  EXPECT_FALSE(IsPermissionError(ENOENT));
  EXPECT_FALSE(IsPermissionError(EIO));
}

}  // namespace
}  // namespace hw_exporter::sysfs

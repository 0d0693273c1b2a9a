#include "hw_exporter/sysfs/file_reader.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <filesystem>

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

// What a broken or crafted tree can hold where an attribute should be: a device that never ends.
std::string EndlessAttribute(const TempDir& dir) {
  const std::string path = dir.path() + "/temp1_input";
  std::filesystem::create_symlink("/dev/zero", path);
  return path;
}

TEST(TryReadAttribute, ReadsAsMuchAsOnePage) {
  TempDir dir;
  EXPECT_EQ(TryReadAttribute(dir.Write("uevent", std::string(4096, 'x'))), std::string(4096, 'x'));
  int error_number = 0;
  EXPECT_EQ(TryReadAttribute(dir.Write("uevent", std::string(4097, 'x')), &error_number), std::nullopt);
  EXPECT_EQ(error_number, EFBIG);
}

TEST(TryReadAttribute, StopsAfterAPageOfAnEndlessOrHugeFile) {
  TempDir dir;
  int error_number = 0;
  EXPECT_EQ(TryReadAttribute(EndlessAttribute(dir), &error_number), std::nullopt);
  EXPECT_EQ(error_number, EFBIG);
  const std::string huge = dir.Write("huge", "");
  std::filesystem::resize_file(huge, 100 * 1000 * 1000);  // sparse: no room taken
  error_number = 0;
  EXPECT_EQ(TryReadAttribute(huge, &error_number), std::nullopt);
  EXPECT_EQ(error_number, EFBIG);
}

TEST(ReadOptionalAttribute, AFileLargerThanAPageThrowsNamingTheBound) {
  TempDir dir;
  const std::string path = EndlessAttribute(dir);
  try {
    ReadOptionalAttribute(path);
    FAIL() << "an endless file was read as an attribute";
  } catch (const FsError& error) {
    EXPECT_EQ(error.error_number(), EFBIG);
    EXPECT_EQ(error.what(), path + ": larger than 4096 bytes");
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

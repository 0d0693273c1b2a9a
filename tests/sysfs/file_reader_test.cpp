#include "hw_exporter/sysfs/file_reader.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <future>

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

// What a broken or crafted tree can hold where an attribute should be: a file far larger than any attribute.
std::string HugeAttribute(const TempDir& dir) {
  const std::string path = dir.Write("temp1_input", "");
  std::filesystem::resize_file(path, 100 * 1000 * 1000);  // sparse: no room taken
  return path;
}

// Reads path as an attribute on another thread. Should the read wait (the open of a FIFO waits for a writer), the
// test fails after a generous wait instead of hanging: opening the FIFO for writing then releases the reader.
std::optional<std::string> ReadWithoutHanging(const std::string& path, int* error_number) {
  auto read = std::async(std::launch::async, [&] { return TryReadAttribute(path, error_number); });
  if (read.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
    ADD_FAILURE() << path << ": the read waited";
    const int writer = ::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (writer >= 0) ::close(writer);
  }
  return read.get();
}

TEST(TryReadAttribute, ReadsAsMuchAsOnePage) {
  TempDir dir;
  EXPECT_EQ(TryReadAttribute(dir.Write("uevent", std::string(4096, 'x'))), std::string(4096, 'x'));
  int error_number = 0;
  EXPECT_EQ(TryReadAttribute(dir.Write("uevent", std::string(4097, 'x')), &error_number), std::nullopt);
  EXPECT_EQ(error_number, EFBIG);
}

TEST(TryReadAttribute, StopsAfterAPageOfAHugeFile) {
  TempDir dir;
  int error_number = 0;
  EXPECT_EQ(TryReadAttribute(HugeAttribute(dir), &error_number), std::nullopt);
  EXPECT_EQ(error_number, EFBIG);
}

TEST(TryReadAttribute, AFifoFailsAtOnce) {
  TempDir dir;
  const std::string path = dir.path() + "/temp1_input";
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0) << std::strerror(errno);
  int error_number = 0;
  EXPECT_EQ(ReadWithoutHanging(path, &error_number), std::nullopt);
  EXPECT_EQ(error_number, kNotRegularFile);
}

TEST(TryReadAttribute, ADeviceOrSocketIsNoAttribute) {
  TempDir dir;
  const std::string device = dir.path() + "/temp1_input";
  std::filesystem::create_symlink("/dev/zero", device);
  int error_number = 0;
  EXPECT_EQ(TryReadAttribute(device, &error_number), std::nullopt);
  EXPECT_EQ(error_number, kNotRegularFile);

  const std::string socket_path = dir.path() + "/temp2_input";
  const int socket = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(socket, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  ASSERT_LT(socket_path.size(), sizeof address.sun_path);
  std::memcpy(address.sun_path, socket_path.c_str(), socket_path.size() + 1);
  ASSERT_EQ(::bind(socket, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0) << std::strerror(errno);
  error_number = 0;
  EXPECT_EQ(TryReadAttribute(socket_path, &error_number), std::nullopt);
  EXPECT_EQ(error_number, kNotRegularFile);
  ::close(socket);
}

TEST(ReadOptionalAttribute, AFileLargerThanAPageThrowsNamingTheBound) {
  TempDir dir;
  const std::string path = HugeAttribute(dir);
  try {
    ReadOptionalAttribute(path);
    FAIL() << "a huge file was read as an attribute";
  } catch (const FsError& error) {
    EXPECT_EQ(error.error_number(), EFBIG);
    EXPECT_EQ(error.what(), path + ": larger than 4096 bytes");
  }
}

TEST(ReadOptionalAttribute, AFifoThrowsSayingItIsNoRegularFile) {
  TempDir dir;
  const std::string path = dir.path() + "/temp1_input";
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0) << std::strerror(errno);
  try {
    ReadOptionalAttribute(path);
    FAIL() << "a FIFO was read as an attribute";
  } catch (const FsError& error) {
    EXPECT_EQ(error.error_number(), kNotRegularFile);
    EXPECT_EQ(error.what(), path + ": not a regular file");
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

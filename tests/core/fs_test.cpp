#include "hw_exporter/core/fs.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "support/test_support.h"

namespace hw_exporter {
namespace {

using testing::TempDir;

// A file of size bytes that takes no room on disk (a hole), as a corrupted or crafted tree could hold.
std::string SparseFile(const TempDir& dir, std::uintmax_t size) {
  std::string path = dir.Write("big", "");
  std::filesystem::resize_file(path, size);
  return path;
}

// The message ReadFile throws for a file too large, or "" when it reads the file.
std::string ReadFileError(const std::string& path, std::size_t max_bytes = kMaxProcFileBytes) {
  try {
    ReadFile(path, max_bytes);
  } catch (const FsError& error) {
    EXPECT_EQ(error.error_number(), EFBIG);
    return error.what();
  }
  return {};
}

TEST(ChildPath, JoinsADirectoryAndANameWithOneSlash) {
  EXPECT_EQ(ChildPath("/sys/class/hwmon", "hwmon0"), "/sys/class/hwmon/hwmon0");
  EXPECT_EQ(ChildPath("relative", "temp1_input"), "relative/temp1_input");
  EXPECT_EQ(ChildPath("", "name"), "/name");
}

TEST(TryReadFile, ReadsAFileOfExactlyTheBound) {
  TempDir dir;
  const std::string path = dir.Write("attribute", std::string(4096, 'x'));
  EXPECT_EQ(TryReadFile(path, nullptr, 4096), std::string(4096, 'x'));
  int error_number = 0;
  EXPECT_EQ(TryReadFile(path, &error_number, 4095), std::nullopt);
  EXPECT_EQ(error_number, EFBIG);
}

TEST(TryReadFile, ACharacterDeviceThatNeverEndsIsTooLarge) {
  TempDir dir;
  const std::string link = dir.path() + "/temp1_input";
  std::filesystem::create_symlink("/dev/zero", link);
  int error_number = 0;
  EXPECT_EQ(TryReadFile(link, &error_number, 4096), std::nullopt);
  EXPECT_EQ(error_number, EFBIG);
  EXPECT_EQ(ReadFileError(link, 4096), link + ": larger than 4096 bytes");
}

TEST(TryReadRegularFile, ReadsRegularFilesAndKernelFiles) {
  TempDir dir;
  EXPECT_EQ(TryReadRegularFile(dir.Write("temp1_input", "42000\n")), "42000\n");
  // /proc files are regular files too, and read the same without waiting.
  auto status = TryReadRegularFile("/proc/self/status");
  ASSERT_TRUE(status);
  EXPECT_NE(status->find("Pid:"), std::string::npos);
}

TEST(TryReadRegularFile, RefusesADeviceAtOnce) {
  TempDir dir;
  const std::string link = dir.path() + "/temp1_input";
  std::filesystem::create_symlink("/dev/zero", link);
  int error_number = 0;
  EXPECT_EQ(TryReadRegularFile(link, &error_number), std::nullopt);
  EXPECT_EQ(error_number, kNotRegularFile);
  EXPECT_EQ(FsError(link, error_number).what(), link + ": not a regular file");
  error_number = 0;
  EXPECT_EQ(TryReadRegularFile(dir.path() + "/missing", &error_number), std::nullopt);
  EXPECT_EQ(error_number, ENOENT);
}

TEST(TryReadKernelAttribute, ReadsWholeFilesUpToTheBoundAndNoLonger) {
  TempDir dir;
  for (std::size_t size : {0, 1, 6, 4095, 4096}) {
    const std::string contents(size, 'x');
    EXPECT_EQ(TryReadKernelAttribute(dir.Write("attribute", contents), nullptr, 4096), contents) << size;
  }
  int error_number = 0;
  EXPECT_EQ(TryReadKernelAttribute(dir.Write("attribute", std::string(4097, 'x')), &error_number, 4096), std::nullopt);
  EXPECT_EQ(error_number, EFBIG);
  const std::string link = dir.path() + "/temp1_input";
  std::filesystem::create_symlink("/dev/zero", link);
  EXPECT_EQ(TryReadKernelAttribute(link, &error_number, 4096), std::nullopt);
  EXPECT_EQ(error_number, kNotRegularFile);
}

TEST(TryReadFile, ReadsFilesAroundAPageWholeAndInOrder) {
  TempDir dir;
  for (std::size_t size : {4095, 4096, 4097, 8191, 8192, 8193, 20000}) {
    std::string contents;
    for (std::size_t i = 0; i < size; ++i) contents += static_cast<char>('a' + i % 23);
    const std::string path = dir.Write("stat", contents);
    EXPECT_EQ(TryReadFile(path, nullptr, 1 << 20), contents) << size;
    EXPECT_EQ(TryReadKernelAttribute(path, nullptr, 1 << 20), contents) << size;
  }
}

// Most attributes are a few bytes: read, they take no heap block of their own, as a page per read would.
TEST(TryReadKernelAttribute, AShortValueTakesNoMoreRoomThanItNeeds) {
  TempDir dir;
  const std::string path = dir.Write("temp1_input", "42000\n");
  for (int read = 0; read < 2; ++read) {  // opened, then read again on the kept descriptor
    auto value = TryReadKernelAttribute(path, nullptr, 4096);
    ASSERT_TRUE(value);
    EXPECT_EQ(*value, "42000\n");
    EXPECT_LT(value->capacity(), 16u);
  }
}

TEST(TryReadKernelAttribute, ReadsWhatTheKernelMakesAsAWholeReadDoes) {
  const std::string attribute = "/sys/devices/system/cpu/online";
  if (!PathExists(attribute)) GTEST_SKIP() << "no sysfs here";
  EXPECT_EQ(TryReadKernelAttribute(attribute, nullptr, 4096), TryReadFile(attribute, nullptr, 4096));
}

TEST(ReadsInDirectory, ReadsWhatTheWholePathHoldsThroughTheDirectorysDescriptor) {
  TempDir dir;
  const std::string chip = dir.path() + "/hwmon0";
  std::filesystem::create_directories(chip + "/device");
  dir.Write("hwmon0/temp1_input", "42000\n");
  dir.Write("hwmon0/device/temp2_input", "43000\n");
  std::filesystem::create_symlink("temp1_input", chip + "/temp1_link");
  std::filesystem::create_symlink("/dev/zero", chip + "/temp3_input");
  const std::string paths[] = {chip + "/temp1_input", chip + "/temp1_link", chip + "/device/temp2_input",
                               chip + "/temp3_input", chip + "/missing",    dir.path() + "/hwmon0x/temp1_input"};
  std::vector<std::pair<std::optional<std::string>, int>> outside;
  for (const std::string& path : paths) {
    int error_number = 0;
    auto contents = TryReadKernelAttribute(path, &error_number, 4096);
    outside.emplace_back(contents, contents ? 0 : error_number);
  }
  const ReadsInDirectory reads_here(chip);
  for (std::size_t i = 0; i < std::size(paths); ++i) {
    int error_number = 0;
    auto contents = TryReadKernelAttribute(paths[i], &error_number, 4096);
    EXPECT_EQ(contents, outside[i].first) << paths[i];
    EXPECT_EQ(contents ? 0 : error_number, outside[i].second) << paths[i];
  }
  dir.Write("hwmon0/temp1_input", "44000\n");
  EXPECT_EQ(TryReadKernelAttribute(chip + "/temp1_input", nullptr, 4096), "44000\n") << "read anew each time";
}

TEST(ReadsInDirectory, TakesOnlyTheFilesDirectlyInsideItsDirectoryAndNests) {
  TempDir dir;
  std::filesystem::create_directories(dir.path() + "/a/b");
  const char* name = "unchanged";
  EXPECT_EQ(ReadsInDirectory::DescriptorFor(dir.path() + "/a/x", &name), AT_FDCWD) << "no scope";
  {
    const ReadsInDirectory outer(dir.path() + "/a");
    const std::string inside = dir.path() + "/a/x";  // the name points into it
    EXPECT_GE(ReadsInDirectory::DescriptorFor(inside, &name), 0);
    EXPECT_STREQ(name, "x");
    for (const std::string other : {"/a/b/x", "/ab/x", "/a/", "/a", "/b/x"}) {
      name = "unchanged";
      EXPECT_EQ(ReadsInDirectory::DescriptorFor(dir.path() + other, &name), AT_FDCWD) << other;
      EXPECT_STREQ(name, "unchanged");
    }
    const int outer_descriptor = ReadsInDirectory::DescriptorFor(inside, &name);
    {
      const ReadsInDirectory inner(dir.path() + "/a/b");
      const int inner_descriptor = ReadsInDirectory::DescriptorFor(dir.path() + "/a/b/x", &name);
      EXPECT_GE(inner_descriptor, 0);
      EXPECT_NE(inner_descriptor, outer_descriptor);
      EXPECT_EQ(ReadsInDirectory::DescriptorFor(dir.path() + "/a/x", &name), outer_descriptor)
          << "the outer one still holds its own directory";
      const ReadsInDirectory again(dir.path() + "/a");
      EXPECT_NE(ReadsInDirectory::DescriptorFor(dir.path() + "/a/x", &name), outer_descriptor) << "the innermost wins";
    }
    EXPECT_GE(ReadsInDirectory::DescriptorFor(dir.path() + "/a/x", &name), 0) << "the outer one is back";
    const ReadsInDirectory missing(dir.path() + "/missing");
    EXPECT_EQ(ReadsInDirectory::DescriptorFor(dir.path() + "/missing/x", &name), AT_FDCWD) << "inert";
  }
  EXPECT_EQ(ReadsInDirectory::DescriptorFor(dir.path() + "/a/x", &name), AT_FDCWD) << "none left";
}

TEST(ReadsInDirectory, ListsItsDirectoryThroughItsDescriptorAsListDirectoryIfExistsDoes) {
  TempDir dir;
  dir.Write("hwmon0/temp1_input", "1");
  dir.Write("hwmon0/name", "coretemp");
  const std::string file = dir.Write("file", "");
  for (const std::string& path : {dir.path() + "/hwmon0", dir.path() + "/missing", file}) {
    const ReadsInDirectory reads_here(path);
    EXPECT_EQ(reads_here.ListIfExists(), ListDirectoryIfExists(path)) << path;
    EXPECT_EQ(reads_here.ListIfExists(), ListDirectoryIfExists(path)) << path << ", listed again";
  }
  EXPECT_EQ(ListDirectoryIfExists(dir.path() + "/hwmon0"), (std::vector<std::string>{"name", "temp1_input"}));
}

TEST(ReadsInDirectory, ListsOnlyTheRegularFilesWhenAskedAndNoLinkToOne) {
  TempDir dir;
  const std::string supply = dir.path() + "/BAT0";
  dir.Write("BAT0/status", "Charging");
  dir.Write("BAT0/power/control", "auto");
  dir.Write("device/uevent", "");
  ASSERT_EQ(::symlink("../device", (supply + "/device").c_str()), 0);
  ASSERT_EQ(::symlink("status", (supply + "/status_link").c_str()), 0);
  ASSERT_EQ(::mkfifo((supply + "/fifo").c_str(), 0600), 0);
  dir.Write("BAT0/voltage_now", "12000000");
  const ReadsInDirectory reads_here(supply);
  EXPECT_EQ(reads_here.ListRegularFilesIfExists(), (std::vector<std::string>{"status", "voltage_now"}));
  EXPECT_EQ(reads_here.ListIfExists(),
            (std::vector<std::string>{"device", "fifo", "power", "status", "status_link", "voltage_now"}));
  EXPECT_EQ(ReadsInDirectory(dir.path() + "/missing").ListRegularFilesIfExists(), std::vector<std::string>{});
}

TEST(SettledStamp, IsADirectorysIdentityAndTimesOnceTheyAreOlderThanTwoSeconds) {
  struct stat status {};
  status.st_dev = 7;
  status.st_ino = 42;
  status.st_mtim = {1000, 5};
  status.st_ctim = {1001, 0};
  using std::chrono::nanoseconds;
  using std::chrono::seconds;
  const auto at = [](seconds s, nanoseconds ns = nanoseconds(0)) {
    return std::chrono::system_clock::time_point(s + ns);
  };
  EXPECT_EQ(SettledStamp(status, at(seconds(1003))), std::nullopt) << "changed two seconds before";
  EXPECT_EQ(SettledStamp(status, at(seconds(999))), std::nullopt) << "changed in the future: the clock was set back";
  const std::optional<DirectoryStamp> stamp = SettledStamp(status, at(seconds(1003), nanoseconds(1)));
  ASSERT_TRUE(stamp);
  EXPECT_EQ(*stamp, (DirectoryStamp{7, 42, 1'000'000'000'005, 1'001'000'000'000}));
  status.st_ctim = {900, 0};
  EXPECT_EQ(SettledStamp(status, at(seconds(1002))), std::nullopt) << "modified two seconds before";
}

TEST(RealPath, ResolvesEveryLinkAsCanonicalDoes) {
  TempDir dir;
  std::filesystem::create_directories(dir.path() + "/devices/platform/coretemp.0/hwmon/hwmon0");
  std::filesystem::create_directories(dir.path() + "/class/hwmon");
  std::filesystem::create_symlink("../../devices/platform/coretemp.0/hwmon/hwmon0", dir.path() + "/class/hwmon/hwmon0");
  std::filesystem::create_symlink("../../../coretemp.0",
                                  dir.path() + "/devices/platform/coretemp.0/hwmon/hwmon0/device");
  for (const std::string path : {"/class/hwmon/hwmon0", "/class/hwmon/hwmon0/device", "/class/hwmon/../hwmon"}) {
    EXPECT_EQ(RealPath(dir.path() + path), std::filesystem::canonical(dir.path() + path).string()) << path;
  }
  std::filesystem::create_symlink("nowhere", dir.path() + "/class/hwmon/hwmon1");
  EXPECT_EQ(RealPath(dir.path() + "/class/hwmon/hwmon1"), std::nullopt) << "a link to nothing";
  EXPECT_EQ(RealPath(dir.path() + "/missing"), std::nullopt);
  for (const std::string path : {"/class/hwmon/hwmon0", "/class/hwmon/hwmon0/device", "/class/hwmon/hwmon1"}) {
    EXPECT_EQ(ReadsInDirectory(dir.path() + path).RealPath(), RealPath(dir.path() + path)) << "a scope's, " << path;
  }
}

TEST(TryReadFile, AHugeFileIsTooLargeForTheDefaultBound) {
  TempDir dir;
  const std::string path = SparseFile(dir, 100 * 1000 * 1000);
  EXPECT_EQ(ReadFileError(path), path + ": larger than 16777216 bytes");
  int error_number = 0;
  EXPECT_EQ(TryReadFile(path, &error_number, 4096), std::nullopt);
  EXPECT_EQ(error_number, EFBIG);
}

// A pipe shows how much a read took: what it left is still in the pipe.
TEST(TryReadFile, ReadsOneByteMoreThanTheBoundAndNoMore) {
  int pipe_ends[2];
  ASSERT_EQ(::pipe(pipe_ends), 0);
  const std::string written(6000, 'x');
  ASSERT_EQ(::write(pipe_ends[1], written.data(), written.size()), static_cast<ssize_t>(written.size()));
  ::close(pipe_ends[1]);  // so that a reader that reads to the end finds it

  int error_number = 0;
  EXPECT_EQ(TryReadFile("/proc/self/fd/" + std::to_string(pipe_ends[0]), &error_number, 5000), std::nullopt);
  EXPECT_EQ(error_number, EFBIG);

  char rest[8192];
  ssize_t left = ::read(pipe_ends[0], rest, sizeof rest);
  ::close(pipe_ends[0]);
  EXPECT_EQ(left, 6000 - 5001);
}

TEST(TryReadFile, NeverGrowsItsBufferPastTheBound) {
  TempDir dir;
  const std::size_t size = 768 * 1024;  // a doubling string would take 1 MiB for it
  const std::string path = dir.Write("stat", std::string(size, 'x'));
  auto contents = TryReadFile(path, nullptr, size);
  ASSERT_TRUE(contents);
  EXPECT_EQ(contents->size(), size);
  EXPECT_LT(contents->capacity(), size + 64);
}

TEST(TryReadLine, IsBoundedToo) {
  TempDir dir;
  const std::string link = dir.path() + "/name";
  std::filesystem::create_symlink("/dev/zero", link);
  int error_number = 0;
  EXPECT_EQ(TryReadLine(link, &error_number, 4096), std::nullopt);
  EXPECT_EQ(error_number, EFBIG);
}

TEST(FsError, NamesThePathAndErrnosText) {
  EXPECT_STREQ(FsError("/proc/stat", ENOENT).what(), "/proc/stat: No such file or directory");
}

TEST(ListDirectory, ListsEveryNameSortedAndClosesTheDirectoryAlsoWhenTheNamesTakeManyReads) {
  TempDir dir;
  std::vector<std::string> expected = {"a_link", "subdirectory"};
  // 200 entries of over 64 bytes each: several times what one read of the directory takes.
  for (int i = 199; i >= 0; --i) {
    expected.push_back("temperature_sensor_with_a_long_name_" + std::to_string(i) + "_input");
    dir.Write(expected.back(), "1");
  }
  std::filesystem::create_directory(dir.path() + "/subdirectory");
  std::filesystem::create_symlink("subdirectory", dir.path() + "/a_link");
  std::sort(expected.begin(), expected.end());
  const std::size_t open_before = ListDirectory("/proc/self/fd").size();
  EXPECT_EQ(ListDirectory(dir.path()), expected);
  EXPECT_EQ(ListDirectory(dir.path() + "/subdirectory"), std::vector<std::string>{});
  EXPECT_EQ(ListDirectory("/proc/self/fd").size(), open_before);
}

TEST(ListDirectory, AMissingPathOrAFileIsAnErrorNamingItAndListedIfItExistsIsEmpty) {
  TempDir dir;
  const std::string file = dir.Write("name", "hwmon0\n");
  for (const auto& [path, error_number] : {std::pair{dir.path() + "/absent", ENOENT}, std::pair{file, ENOTDIR}}) {
    try {
      ListDirectory(path);
      ADD_FAILURE() << path << " listed";
    } catch (const FsError& error) {
      EXPECT_EQ(error.error_number(), error_number);
      EXPECT_EQ(error.what(), path + ": " + std::strerror(error_number));
    }
    EXPECT_EQ(ListDirectoryIfExists(path), std::vector<std::string>{});
  }
}

TEST(CountOwnDescriptors, CountsWhatIsOpenAsListingTheDirectoryDoes) {
  // Opened here, so that the count moves while nothing else in this process opens or closes a file.
  std::vector<int> opened;
  for (int i = 0; i < 3; ++i) opened.push_back(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  const std::size_t listed = ListDirectory("/proc/self/fd").size() - 1;  // less the listing's own descriptor
  EXPECT_EQ(CountOwnDescriptors("/proc/self/fd"), listed);
  for (int fd : opened) ::close(fd);
  EXPECT_EQ(CountOwnDescriptors("/proc/self/fd"), listed - 3);
  TempDir captured;  // a directory of another filesystem has a size of its own: its entries are counted
  for (const char* name : {"0", "1", "2", "7"}) captured.Write(std::string("fd/") + name, "");
  EXPECT_EQ(CountOwnDescriptors(captured.path() + "/fd"), 4u);
}

TEST(FileVersionOf, MovesWhenAFileIsWrittenOrReplacedAndNotOtherwise) {
  TempDir dir;
  const std::string path = dir.path() + "/f";
  EXPECT_FALSE(FileVersionOf(path).exists);
  dir.Write("f", "one\n");
  const FileVersion first = FileVersionOf(path);
  EXPECT_TRUE(first.exists);
  EXPECT_EQ(FileVersionOf(path), first);
  dir.Write("f", "longer\n");
  const FileVersion written = FileVersionOf(path);
  EXPECT_NE(written, first) << "written in place: another size";
  dir.Write("g", "longer\n");
  ASSERT_EQ(std::rename((dir.path() + "/g").c_str(), path.c_str()), 0);
  EXPECT_NE(FileVersionOf(path).inode, written.inode) << "replaced: another inode";
}

}  // namespace
}  // namespace hw_exporter

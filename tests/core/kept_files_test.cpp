#include "hw_exporter/core/kept_files.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>

#include "hw_exporter/core/fs.h"
#include "support/fake_clock.h"
#include "support/test_support.h"

namespace hw_exporter {
namespace {

using std::chrono::minutes;
using testing::FakeClock;
using testing::TempDir;

constexpr std::size_t kBound = 4096;

// How many descriptors this process has open.
std::size_t OpenDescriptors() {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) ++count;
  return count;
}

std::string Error(int error_number) { return "error " + std::to_string(error_number); }

// What Read returns: the contents, or Error(errno).
std::string ReadOrError(KeptFiles& files, const std::string& path,
                        const std::optional<DirectoryStamp>& directory = std::nullopt) {
  int error_number = 0;
  auto contents = files.Read(path, &error_number, kBound, directory);
  return contents ? *contents : Error(error_number);
}

// Room for eight descriptors, closed after 10 minutes unread, on a clock the test moves.
class KeptFilesTest : public ::testing::Test {
 protected:
  std::string Read(const std::string& path, const std::optional<DirectoryStamp>& directory = std::nullopt) {
    return ReadOrError(files_, path, directory);
  }

  FakeClock clock_;
  KeptFiles files_{8, minutes(10), clock_};
  TempDir dir_;
};

TEST_F(KeptFilesTest, KeepsOneDescriptorPerFileAndReadsWhatItHoldsNow) {
  const std::string a = dir_.Write("a", "1\n");
  const std::string b = dir_.Write("b", "2\n");
  const std::size_t before = OpenDescriptors();
  EXPECT_EQ(Read(a), "1\n");
  EXPECT_EQ(Read(b), "2\n");
  EXPECT_EQ(files_.Size(), 2u);
  EXPECT_EQ(OpenDescriptors(), before + 2);
  dir_.Write("a", "300\n");  // in place, as the kernel changes an attribute's value
  EXPECT_EQ(Read(a), "300\n");
  dir_.Write("a", "4\n");
  EXPECT_EQ(Read(a), "4\n") << "shorter than before";
  EXPECT_EQ(Read(b), "2\n");
  EXPECT_EQ(OpenDescriptors(), before + 2) << "read again through the kept descriptors";
}

TEST_F(KeptFilesTest, OpensAnewWhatIsNoLongerTheFileAtItsPath) {
  const std::string value = dir_.Write("eth0/mtu", "1500\n");
  ASSERT_EQ(Read(value), "1500\n");

  const std::string replacement = dir_.Write("mtu.new", "9000\n");
  std::filesystem::rename(replacement, value);
  EXPECT_EQ(Read(value), "9000\n") << "replaced by rename";

  std::filesystem::rename(dir_.path() + "/eth0", dir_.path() + "/eth1");
  dir_.Write("eth0/mtu", "1280\n");
  EXPECT_EQ(Read(value), "1280\n") << "its directory renamed, another put in its place";
  EXPECT_EQ(Read(dir_.path() + "/eth1/mtu"), "9000\n");

  std::filesystem::remove(value);
  EXPECT_EQ(Read(value), Error(ENOENT));
  ASSERT_EQ(::mkfifo(value.c_str(), 0600), 0);
  EXPECT_EQ(Read(value), Error(kNotRegularFile)) << "and never waits";

  EXPECT_EQ(files_.Size(), 1u) << "only eth1/mtu is still kept";
}

// A stamp given with a read vouches for the directory: the test's stamps are made up, so that a file replaced under
// an unchanged one shows that no lookup was made.
TEST_F(KeptFilesTest, LooksAKeptFileUpOnlyWhenItsDirectorysStampIsNotTheOneItWasLastFoundUnder) {
  const std::string value = dir_.Write("hwmon0/temp1_input", "1\n");
  const DirectoryStamp first{1, 2, 3, 4};
  ASSERT_EQ(Read(value, first), "1\n");
  std::filesystem::rename(dir_.Write("new", "2\n"), value);
  EXPECT_EQ(Read(value, first), "1\n") << "vouched for when it was opened";
  EXPECT_EQ(Read(value, DirectoryStamp{1, 2, 3, 5}), "2\n") << "another change time: looked up, opened anew";
  std::filesystem::rename(dir_.Write("new", "3\n"), value);
  EXPECT_EQ(Read(value, DirectoryStamp{1, 2, 6, 5}), "3\n") << "another modification time";
  std::filesystem::rename(dir_.Write("new", "4\n"), value);
  EXPECT_EQ(Read(value, DirectoryStamp{1, 9, 6, 5}), "4\n") << "another directory";
  std::filesystem::rename(dir_.Write("new", "5\n"), value);
  EXPECT_EQ(Read(value, DirectoryStamp{8, 9, 6, 5}), "5\n") << "another file system";
  std::filesystem::rename(dir_.Write("new", "6\n"), value);
  EXPECT_EQ(Read(value), "6\n") << "no stamp: looked up";

  const DirectoryStamp later{1, 2, 7, 7};
  EXPECT_EQ(Read(value, later), "6\n") << "looked up, found, and vouched for from now on";
  std::filesystem::rename(dir_.Write("new", "7\n"), value);
  EXPECT_EQ(Read(value, later), "6\n");
  EXPECT_EQ(files_.Size(), 1u);
}

// What the stamps are for, end to end: a file replaced in a directory read through a scope is read anew even where
// the directory had kept still long enough for its stamp to be trusted.
TEST(KeptAttributes, AFileReplacedInASettledDirectoryIsReadAnew) {
  TempDir dir;
  const std::string chip = dir.path() + "/hwmon0";
  const std::string value = dir.Write("hwmon0/temp1_input", "42000\n");
  const auto settled = [&] {
    // Bounded for a machine that stops; on any other, two seconds and a little.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      const ReadsInDirectory reads_here(chip);
      if (ReadsInDirectory::StampFor(value)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  };
  const auto read_in_scope = [&] {
    const ReadsInDirectory reads_here(chip);
    return TryReadKernelAttribute(value, nullptr, kBound);
  };
  ASSERT_TRUE(settled());
  EXPECT_EQ(read_in_scope(), "42000\n");
  EXPECT_EQ(read_in_scope(), "42000\n");
  std::filesystem::rename(dir.Write("new", "43000\n"), value);
  EXPECT_EQ(read_in_scope(), "43000\n") << "just changed";
  ASSERT_TRUE(settled());
  EXPECT_EQ(read_in_scope(), "43000\n");
  std::filesystem::rename(dir.Write("new", "44000\n"), value);
  ASSERT_TRUE(settled());
  EXPECT_EQ(read_in_scope(), "44000\n") << "changed, and settled since";
  EXPECT_EQ(ReadsInDirectory::StampFor(value), std::nullopt) << "outside the scope";
}

TEST_F(KeptFilesTest, KeepsOnlyFilesReadWholeAndTellsTooLargeOnesOnEveryRead) {
  const std::string value = dir_.Write("value", "7\n");
  ASSERT_EQ(Read(value), "7\n");
  dir_.Write("value", std::string(kBound + 1, 'x'));
  EXPECT_EQ(Read(value), Error(EFBIG));
  EXPECT_EQ(files_.Size(), 0u);
  EXPECT_EQ(Read(value), Error(EFBIG));
  EXPECT_EQ(files_.Size(), 0u);
  dir_.Write("value", std::string(kBound, 'x'));
  EXPECT_EQ(Read(value), std::string(kBound, 'x')) << "exactly the bound";
  EXPECT_EQ(files_.Size(), 1u);
}

TEST(KeptFiles, HoldsAtMostItsCapacityAndClosesWhatWentUnread) {
  FakeClock clock;
  KeptFiles files(2, minutes(10), clock);
  TempDir dir;
  const std::string a = dir.Write("a", "a"), b = dir.Write("b", "b"), c = dir.Write("c", "c"), d = dir.Write("d", "d");
  const std::size_t before = OpenDescriptors();
  ReadOrError(files, a);
  ReadOrError(files, b);
  EXPECT_EQ(ReadOrError(files, c), "c") << "no room: read as before";
  EXPECT_EQ(files.Size(), 2u);
  EXPECT_EQ(OpenDescriptors(), before + 2);

  clock.Advance(minutes(9));
  ReadOrError(files, a);
  clock.Advance(minutes(1));  // b unread for 10 minutes, a for 1
  EXPECT_EQ(ReadOrError(files, c), "c");
  EXPECT_EQ(files.Size(), 2u) << "b closed, c kept";
  EXPECT_EQ(OpenDescriptors(), before + 2);

  clock.Advance(std::chrono::seconds(59));
  EXPECT_EQ(ReadOrError(files, d), "d");
  EXPECT_EQ(files.Size(), 2u) << "no room, and no look at the idle ones within a tenth of the limit";

  clock.Advance(minutes(10));  // a and c unread for 10 minutes or more
  EXPECT_EQ(ReadOrError(files, b), "b");
  EXPECT_EQ(files.Size(), 1u) << "a and c closed, b kept";
  EXPECT_EQ(OpenDescriptors(), before + 1);
}

TEST_F(KeptFilesTest, AKeptKernelFileGivesItsCurrentValue) {
  const std::string uptime = "/proc/uptime";  // procfs makes it anew at every read from offset 0, as sysfs does
  const std::string first = Read(uptime);
  ASSERT_EQ(files_.Size(), 1u) << first;
  // It moves every 10 ms; the bound is for a machine that stops.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  std::string later = first;
  while (later == first && std::chrono::steady_clock::now() < deadline) later = Read(uptime);
  EXPECT_NE(later, first);
  EXPECT_EQ(files_.Size(), 1u);
}

}  // namespace
}  // namespace hw_exporter

#include "hw_exporter/procfs/diskstats.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "hw_exporter/core/fs.h"
#include "hw_exporter/core/parse_error.h"
#include "support/test_support.h"

namespace hw_exporter::procfs {
namespace {

using ::hw_exporter::testing::Fixture;
using ::hw_exporter::testing::kNoNodeTree;
using ::hw_exporter::testing::NodeTree;

std::vector<DiskStats> ParseFixture() {
  const std::string path = Fixture("storage_network/proc/diskstats");
  return ParseDiskstats(ReadFile(path), path);
}

const DiskStats* Find(const std::vector<DiskStats>& disks, const std::string& device) {
  for (const DiskStats& disk : disks)
    if (disk.device == device) return &disk;
  return nullptr;
}

TEST(ParseDiskstats, KeepsTheStatisticsEachKernelFormatHas) {
  std::vector<DiskStats> disks = ParseFixture();
  const DiskStats* sda = Find(disks, "sda");
  ASSERT_TRUE(sda);
  EXPECT_EQ(sda->major, 8u);
  EXPECT_EQ(sda->minor, 0u);
  EXPECT_EQ(sda->stats, (std::vector<uint64_t>{1000, 20, 40000, 1500, 2000, 30, 80000, 2500, 3, 4000, 4100}));
  ASSERT_TRUE(Find(disks, "dm-0"));
  EXPECT_EQ(Find(disks, "dm-0")->stats.size(), 15u);
  ASSERT_TRUE(Find(disks, "nvme0n1"));
  EXPECT_EQ(Find(disks, "nvme0n1")->stats.size(), 17u);
  // A format with more statistics than this parser knows keeps the known ones.
  ASSERT_TRUE(Find(disks, "sdaa"));
  EXPECT_EQ(Find(disks, "sdaa")->stats.size(), 17u);
  EXPECT_EQ(Find(disks, "sdaa")->stats.back(), 17u);
}

TEST(ParseDiskstats, SkipsTheShortPartitionLinesOfOldKernels) {
  std::vector<DiskStats> disks = ParseFixture();
  EXPECT_FALSE(Find(disks, "sda2"));
  EXPECT_EQ(disks.size(), 8u);
}

TEST(ParseDiskstats, KeepsOddNamesAndFullWidthCounters) {
  std::vector<DiskStats> disks = ParseFixture();
  ASSERT_TRUE(Find(disks, "cciss!c0d0"));
  EXPECT_EQ(Find(disks, "cciss!c0d0")->major, 104u);
  EXPECT_EQ(Find(disks, "nvme0n1")->stats[0], std::numeric_limits<uint64_t>::max());
}

TEST(ParseDiskstats, NamesTheLineOfAFieldThatIsNotANumber) {
  const std::string text = "   8 0 sda 1 2 3 4 5 6 7 8 9 10 11\n   8 16 sdb 1 2 x 4 5 6 7 8 9 10 11\n";
  try {
    ParseDiskstats(text, "/host/proc/diskstats");
    FAIL() << "expected a ParseError";
  } catch (const ParseError& error) {
    EXPECT_STREQ(error.what(), "/host/proc/diskstats:2: expected a counter, got \"x\"");
  }
}

TEST(ParseDiskstats, EmptyTextHasNoDisks) { EXPECT_TRUE(ParseDiskstats("", "diskstats").empty()); }

TEST(ParseDiskstats, ParsesARealCaptureWithAllThreeFormats) {
  const std::string path = NodeTree("proc/diskstats");
  if (path.empty()) GTEST_SKIP() << kNoNodeTree;
  std::vector<DiskStats> disks = ParseDiskstats(ReadFile(path), path);
  EXPECT_EQ(disks.size(), 51u);
  ASSERT_TRUE(Find(disks, "sda"));
  EXPECT_EQ(Find(disks, "sda")->stats.size(), 11u);
  ASSERT_TRUE(Find(disks, "sdb"));
  EXPECT_EQ(Find(disks, "sdb")->stats.size(), 15u);
  ASSERT_TRUE(Find(disks, "sdc"));
  EXPECT_EQ(Find(disks, "sdc")->stats.size(), 17u);
  EXPECT_EQ(Find(disks, "sdc")->stats[15], 1555u);
}

}  // namespace
}  // namespace hw_exporter::procfs

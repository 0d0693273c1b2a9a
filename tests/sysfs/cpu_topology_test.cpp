#include "hw_exporter/sysfs/cpu_topology.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <tuple>

#include "hw_exporter/core/kept_files.h"
#include "hw_exporter/core/parse_error.h"
#include "support/test_support.h"

namespace hw_exporter::sysfs {
namespace {

using ::hw_exporter::testing::Fixture;
using ::hw_exporter::testing::kNoNodeTree;
using ::hw_exporter::testing::NodeTree;
using ::hw_exporter::testing::TempDir;
using ::testing::ElementsAre;

Paths TreeAt(const std::string& root) {
  Paths paths;
  paths.sysfs = root + "/sys";
  return paths;
}

TEST(ParseCpuList, ExpandsRangesInOrder) {
  EXPECT_THAT(ParseCpuList("1,3-5,9\n", "isolated"), ElementsAre(1u, 3u, 4u, 5u, 9u));
  EXPECT_THAT(ParseCpuList("0\n", "isolated"), ElementsAre(0u));
  EXPECT_TRUE(ParseCpuList("\n", "isolated").empty());
}

TEST(ParseCpuList, RejectsMalformedLists) {
  try {
    ParseCpuList("1,x\n", "/sys/devices/system/cpu/isolated");
    FAIL() << "no error";
  } catch (const ParseError& error) {
    EXPECT_STREQ(error.what(), "/sys/devices/system/cpu/isolated:1: expected a CPU number, got \"x\"");
  }
  EXPECT_THROW(ParseCpuList("1-2-3", "isolated"), ParseError);
  EXPECT_THROW(ParseCpuList("5-3", "isolated"), ParseError);
  EXPECT_THROW(ParseCpuList("-3", "isolated"), ParseError);
}

// A corrupted or crafted file must cost a bounded parse: "0-4294967295" once grew to 836 MB.
TEST(ParseCpuList, RefusesCpuNumbersNoKernelHas) {
  try {
    ParseCpuList("0-4294967295\n", "/sys/devices/system/cpu/isolated");
    FAIL() << "no error";
  } catch (const ParseError& error) {
    EXPECT_STREQ(error.what(),
                 "/sys/devices/system/cpu/isolated:1: CPU 4294967295 is beyond the kernel's largest, 8191");
  }
  EXPECT_THROW(ParseCpuList("0-18446744073709551615", "isolated"), ParseError);
  EXPECT_THROW(ParseCpuList("8192", "isolated"), ParseError);
  EXPECT_EQ(ParseCpuList("0-8191", "isolated").size(), 8192u);
}

TEST(ParseCpuList, ListsEachCpuOnceInOrder) {
  EXPECT_THAT(ParseCpuList("5,1-3,2-4,1", "isolated"), ElementsAre(1u, 2u, 3u, 4u, 5u));
  std::string repeated;
  for (int i = 0; i < 500; ++i) repeated += "0-8191,";
  EXPECT_EQ(ParseCpuList(repeated, "isolated").size(), 8192u);
}

using Core = std::pair<unsigned long long, unsigned long long>;
using PerCore = std::map<Core, unsigned long long>;
using PerPackage = std::map<unsigned long long, unsigned long long>;

TEST(ReadThrottleCounts, CountsEachCoreAndPackageOnceFromTheFirstCpuThatHasIt) {
  ThrottleCounts counts = ReadThrottleCounts(TreeAt(Fixture("host_a")));
  // cpu3 (package 1, core 0) has no counters; cpu10 (same core) does: CPUs in number order, not name order. cpu4 has
  // no topology: left out. cpufreq and cpuidle are not CPUs.
  EXPECT_EQ(counts.per_core, (PerCore{{{0, 0}, 5}, {{0, 1}, 7}, {{1, 0}, 11}}));
  EXPECT_EQ(counts.per_package, (PerPackage{{0, 30}, {1, 12}}));
}

// Siblings report the same counters: one CPU of a core, and one of a package, is read.
TEST(ReadThrottleCounts, ReadsACoresCountersFromOneOfItsThreadsOnly) {
  TempDir tree;
  for (const auto& [cpu, core_count, package_count] :
       {std::tuple{"cpu0", "5\n", "30\n"}, std::tuple{"cpu1", "6\n", "31\n"}}) {
    const std::string dir = std::string("sys/devices/system/cpu/") + cpu;
    tree.Write(dir + "/topology/physical_package_id", "0\n");
    tree.Write(dir + "/topology/core_id", "0\n");
    tree.Write(dir + "/thermal_throttle/core_throttle_count", core_count);
    tree.Write(dir + "/thermal_throttle/package_throttle_count", package_count);
  }
  // Every attribute read keeps its descriptor open (KeptFiles): how many the read adds is how many files it read.
  const std::size_t kept_before = KeptFiles::Process().Size();
  ThrottleCounts counts = ReadThrottleCounts(TreeAt(tree.path()));
  EXPECT_EQ(counts.per_core, (PerCore{{{0, 0}, 5}}));
  EXPECT_EQ(counts.per_package, (PerPackage{{0, 30}}));
  EXPECT_EQ(KeptFiles::Process().Size() - kept_before, 6u) << "two ids of each CPU, and cpu0's two counters";
}

TEST(ReadThrottleCounts, AFifoInPlaceOfAnAttributeIsLeftOutWithoutWaiting) {
  TempDir tree;
  tree.Write("sys/devices/system/cpu/cpu0/topology/physical_package_id", "0\n");
  tree.Write("sys/devices/system/cpu/cpu0/thermal_throttle/core_throttle_count", "5\n");
  const std::string core_id = tree.path() + "/sys/devices/system/cpu/cpu0/topology/core_id";
  ASSERT_EQ(::mkfifo(core_id.c_str(), 0600), 0);  // nobody writes to it: opening it to read would wait forever
  tree.Write("sys/devices/system/cpu/cpu1/topology/physical_package_id", "0\n");
  tree.Write("sys/devices/system/cpu/cpu1/topology/core_id", "1\n");
  tree.Write("sys/devices/system/cpu/cpu1/thermal_throttle/core_throttle_count", "7\n");
  ThrottleCounts counts = ReadThrottleCounts(TreeAt(tree.path()));
  EXPECT_EQ(counts.per_core, (PerCore{{{0, 1}, 7}})) << "cpu0, without a core id, is left out";
  EXPECT_TRUE(counts.per_package.empty());
}

TEST(ReadThrottleCounts, NoCpuDirectoryMeansNoCounts) {
  ThrottleCounts counts = ReadThrottleCounts(TreeAt("/nonexistent"));
  EXPECT_TRUE(counts.per_core.empty());
  EXPECT_TRUE(counts.per_package.empty());
}

TEST(ReadThrottleCounts, ReadsTheSharedCapture) {
  std::string root = NodeTree();
  if (root.empty()) GTEST_SKIP() << kNoNodeTree;
  ThrottleCounts counts = ReadThrottleCounts(TreeAt(root));
  EXPECT_EQ(counts.per_package, (PerPackage{{0, 30}, {1, 6}}));
  EXPECT_EQ(counts.per_core.size(), 4u);
}

}  // namespace
}  // namespace hw_exporter::sysfs

#include "hw_exporter/sysfs/cpu_topology.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

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

TEST(ReadCpuTopologies, ReadsEveryCpuDirectoryInNumericOrder) {
  auto cpus = ReadCpuTopologies(TreeAt(Fixture("host_a")));
  ASSERT_EQ(cpus.size(), 5u);  // cpufreq and cpuidle are not CPUs
  EXPECT_EQ(cpus[3].cpu, 4u);
  EXPECT_EQ(cpus[4].cpu, 10u);
  EXPECT_EQ(cpus[0].package_id, 0u);
  EXPECT_EQ(cpus[1].core_id, 1u);
  EXPECT_EQ(cpus[0].core_throttle_count, 5u);
  EXPECT_EQ(cpus[0].package_throttle_count, 30u);
  EXPECT_FALSE(cpus[2].core_throttle_count);  // cpu3 has no thermal_throttle
  EXPECT_FALSE(cpus[3].package_id);           // cpu4 has no topology
}

TEST(ReadCpuTopologies, AFifoInPlaceOfAnAttributeIsLeftOutWithoutWaiting) {
  TempDir tree;
  tree.Write("sys/devices/system/cpu/cpu0/topology/physical_package_id", "0\n");
  const std::string core_id = tree.path() + "/sys/devices/system/cpu/cpu0/topology/core_id";
  ASSERT_EQ(::mkfifo(core_id.c_str(), 0600), 0);  // nobody writes to it: opening it to read would wait forever
  auto cpus = ReadCpuTopologies(TreeAt(tree.path()));
  ASSERT_EQ(cpus.size(), 1u);
  EXPECT_EQ(cpus[0].package_id, 0u);
  EXPECT_FALSE(cpus[0].core_id);
}

TEST(ReadCpuTopologies, NoCpuDirectoryMeansNoCpus) { EXPECT_TRUE(ReadCpuTopologies(TreeAt("/nonexistent")).empty()); }

TEST(CountThrottles, CountsEachCoreAndPackageOnceFromTheFirstCpuThatHasIt) {
  ThrottleCounts counts = CountThrottles(ReadCpuTopologies(TreeAt(Fixture("host_a"))));
  using Core = std::pair<unsigned long long, unsigned long long>;
  // cpu3 (package 1, core 0) has no counters; cpu10 (same core) does. cpu4 has no topology: left out.
  EXPECT_EQ(counts.per_core, (std::map<Core, unsigned long long>{{{0, 0}, 5}, {{0, 1}, 7}, {{1, 0}, 11}}));
  EXPECT_EQ(counts.per_package, (std::map<unsigned long long, unsigned long long>{{0, 30}, {1, 12}}));
}

TEST(CountThrottles, ReadsTheSharedCapture) {
  std::string root = NodeTree();
  if (root.empty()) GTEST_SKIP() << kNoNodeTree;
  ThrottleCounts counts = CountThrottles(ReadCpuTopologies(TreeAt(root)));
  EXPECT_EQ(counts.per_package, (std::map<unsigned long long, unsigned long long>{{0, 30}, {1, 6}}));
  EXPECT_EQ(counts.per_core.size(), 4u);
}

}  // namespace
}  // namespace hw_exporter::sysfs

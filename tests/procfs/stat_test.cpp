#include "hw_exporter/procfs/stat.h"

#include <gtest/gtest.h>

#include "hw_exporter/core/fs.h"
#include "hw_exporter/core/parse_error.h"
#include "support/test_support.h"

namespace hw_exporter::procfs {
namespace {

using ::hw_exporter::testing::Fixture;
using ::hw_exporter::testing::kNoNodeTree;
using ::hw_exporter::testing::NodeTree;

TEST(ParseStat, ReadsEveryKnownLineOfTheOwnFixture) {
  Stat stat = ParseStat(ReadFile(Fixture("host_a/proc/stat")), "stat");
  ASSERT_TRUE(stat.total);
  EXPECT_DOUBLE_EQ(stat.total->user, 15.0);
  EXPECT_DOUBLE_EQ(stat.total->guest_nice, 0.02);
  EXPECT_EQ(stat.interrupts, 123456u);
  EXPECT_EQ(stat.context_switches, 987654u);
  EXPECT_EQ(stat.boot_time, 1700000000u);
  EXPECT_EQ(stat.forks, 4321u);
  EXPECT_EQ(stat.procs_running, 3u);
  EXPECT_EQ(stat.procs_blocked, 1u);
  ASSERT_EQ(stat.softirqs.size(), 10u);
  EXPECT_EQ(stat.softirqs[1], 200u);  // timer
  EXPECT_EQ(stat.softirqs[9], 75u);   // rcu
}

TEST(ParseStat, KeepsCpuNumbersWithGapsForOfflineCpus) {
  Stat stat = ParseStat(ReadFile(Fixture("host_a/proc/stat")), "stat");
  ASSERT_EQ(stat.cpus.size(), 3u);
  EXPECT_TRUE(stat.cpus.contains(0));
  EXPECT_FALSE(stat.cpus.contains(2));
  const CpuTimes& cpu3 = stat.cpus.at(3);
  EXPECT_DOUBLE_EQ(cpu3.user, 4.0);
  EXPECT_DOUBLE_EQ(cpu3.nice, 0.05);
  EXPECT_DOUBLE_EQ(cpu3.system, 2.0);
  EXPECT_DOUBLE_EQ(cpu3.idle, 300.0);
  EXPECT_DOUBLE_EQ(cpu3.iowait, 0.5);
  EXPECT_DOUBLE_EQ(cpu3.irq, 0.0);
  EXPECT_DOUBLE_EQ(cpu3.softirq, 0.1);
  EXPECT_DOUBLE_EQ(cpu3.steal, 0.02);
  EXPECT_DOUBLE_EQ(cpu3.guest, 0.1);
  EXPECT_DOUBLE_EQ(cpu3.guest_nice, 0.0);
}

TEST(ParseStat, OldKernelsWithFewerModesLeaveTheRestZero) {
  Stat stat = ParseStat("cpu  1 2 3 4 5\ncpu0 1 2 3 4 5\n", "stat");
  EXPECT_DOUBLE_EQ(stat.cpus.at(0).iowait, 0.05);
  EXPECT_DOUBLE_EQ(stat.cpus.at(0).steal, 0.0);
  EXPECT_FALSE(stat.boot_time);
}

TEST(ParseStat, ErrorNamesFileAndLineOfABadCounter) {
  try {
    ParseStat("cpu  1 2 3 4\ncpu0 1 x 3 4\n", "/proc/stat");
    FAIL() << "no error";
  } catch (const ParseError& error) {
    EXPECT_STREQ(error.what(), "/proc/stat:2: expected a number of ticks, got \"x\"");
  }
}

TEST(ParseStat, RejectsMalformedLines) {
  EXPECT_THROW(ParseStat("cpu0 1 2\n", "stat"), ParseError);      // too few modes
  EXPECT_THROW(ParseStat("cpuX 1 2 3 4\n", "stat"), ParseError);  // not a CPU number
  EXPECT_THROW(ParseStat("ctxt\n", "stat"), ParseError);          // no value
  EXPECT_THROW(ParseStat("btime -1\n", "stat"), ParseError);      // not a count
  EXPECT_THROW(ParseStat("softirq 3 1 two\n", "stat"), ParseError);
}

// An empty or corrupted file is not a host without statistics: reading it as one would report success with nothing.
TEST(ParseStat, RejectsATextWithoutTheCpuLine) {
  try {
    ParseStat("", "/proc/stat");
    FAIL() << "no error";
  } catch (const ParseError& error) {
    EXPECT_STREQ(error.what(), "/proc/stat: no \"cpu\" line: not the kernel's statistics");
  }
  std::string noise;
  for (int i = 0; i < 4096; ++i) noise += static_cast<char>((i * 7919 + 13) % 251 + 1);
  EXPECT_THROW(ParseStat(noise, "stat"), ParseError);
  EXPECT_THROW(ParseStat("ctxt 9\nbtime 5\n", "stat"), ParseError);
}

TEST(ParseStat, IgnoresUnknownLines) {
  Stat stat = ParseStat("cpu  1 2 3 4\npage 5 6\nswap 7 8\nctxt 9\n", "stat");
  EXPECT_EQ(stat.context_switches, 9u);
}

TEST(ParseStat, ReadsTheSharedCapture) {
  std::string path = NodeTree("proc/stat");
  if (path.empty()) GTEST_SKIP() << kNoNodeTree;
  Stat stat = ParseStat(ReadFile(path), path);
  EXPECT_EQ(stat.cpus.size(), 8u);
  EXPECT_DOUBLE_EQ(stat.cpus.at(0).idle, 10870.69);
  EXPECT_EQ(stat.interrupts, 8885917u);
  EXPECT_EQ(stat.boot_time, 1418183276u);
}

}  // namespace
}  // namespace hw_exporter::procfs

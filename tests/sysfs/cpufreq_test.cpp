#include "hw_exporter/sysfs/cpufreq.h"

#include <gtest/gtest.h>

#include <cerrno>

#include "hw_exporter/core/parse_error.h"
#include "support/test_support.h"
#include "sysfs/failing_reader.h"

namespace hw_exporter::sysfs {
namespace {

std::string CpuDirectory() { return testing::Fixture("sensors/sys/devices/system/cpu"); }

TEST(ReadCpuFrequencies, ReadsEveryCpuWithCpufreq) {
  auto cpus = ReadCpuFrequencies(CpuDirectory());
  ASSERT_EQ(cpus.size(), 2u);  // cpu2 has no cpufreq directory; "cpufreq" itself is no CPU
  EXPECT_EQ(cpus[0].cpu, "0");
  EXPECT_EQ(cpus[0].cpuinfo_cur_khz, 1800000u);
  EXPECT_EQ(cpus[0].cpuinfo_min_khz, 400000u);
  EXPECT_EQ(cpus[0].cpuinfo_max_khz, 4700000u);
  EXPECT_EQ(cpus[0].scaling_cur_khz, 1799998u);
  EXPECT_EQ(cpus[0].scaling_min_khz, 400000u);
  EXPECT_EQ(cpus[0].scaling_max_khz, 4700000u);
  EXPECT_EQ(cpus[1].cpu, "1");
  EXPECT_EQ(cpus[1].cpuinfo_cur_khz, std::nullopt);
  EXPECT_EQ(cpus[1].scaling_cur_khz, 2100000u);
}

TEST(ReadCpuFrequencies, RootOnlyOrUnavailableValuesAreAbsent) {
  testing::FailingReader failing;
  failing.Fail("cpu0/cpufreq/cpuinfo_cur_freq", EACCES).Fail("cpu0/cpufreq/scaling_cur_freq", EAGAIN);
  auto cpus = ReadCpuFrequencies(CpuDirectory(), failing.Reader());
  ASSERT_EQ(cpus.size(), 2u);
  EXPECT_EQ(cpus[0].cpuinfo_cur_khz, std::nullopt);
  EXPECT_EQ(cpus[0].scaling_cur_khz, std::nullopt);
  EXPECT_EQ(cpus[0].scaling_max_khz, 4700000u);
}

TEST(ReadCpuFrequencies, MalformedValueThrows) {
  testing::TempDir tree;
  tree.Write("cpu0/cpufreq/scaling_cur_freq", "<unknown>\n");
  EXPECT_THROW(ReadCpuFrequencies(tree.path()), ParseError);
}

TEST(ReadCpuFrequencies, SharedCapture) {
  std::string cpu = testing::NodeTree("sys/devices/system/cpu");
  if (cpu.empty()) GTEST_SKIP() << testing::kNoNodeTree;
  auto cpus = ReadCpuFrequencies(cpu);
  ASSERT_EQ(cpus.size(), 4u);
  EXPECT_EQ(cpus[0].scaling_cur_khz, 1699981u);
  EXPECT_EQ(cpus[0].cpuinfo_max_khz, std::nullopt);
  EXPECT_EQ(cpus[3].scaling_min_khz, 1000u);
}

}  // namespace
}  // namespace hw_exporter::sysfs

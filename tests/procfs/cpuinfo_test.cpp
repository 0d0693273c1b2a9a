#include "hw_exporter/procfs/cpuinfo.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hw_exporter/core/fs.h"
#include "hw_exporter/core/parse_error.h"
#include "support/test_support.h"

namespace hw_exporter::procfs {
namespace {

using ::hw_exporter::testing::Fixture;
using ::hw_exporter::testing::kNoNodeTree;
using ::hw_exporter::testing::NodeTree;

TEST(ParseCpuInfo, ReadsOneEntryPerProcessorBlock) {
  auto cpus = ParseCpuInfo(ReadFile(Fixture("host_a/proc/cpuinfo")), "cpuinfo");
  ASSERT_EQ(cpus.size(), 3u);
  const CpuInfo& last = cpus[2];
  EXPECT_EQ(last.processor, 3u);
  EXPECT_EQ(last.vendor_id, "GenuineIntel");
  EXPECT_EQ(last.cpu_family, "6");
  EXPECT_EQ(last.model, "142");
  EXPECT_EQ(last.model_name, "Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz");
  EXPECT_EQ(last.stepping, "11");
  EXPECT_EQ(last.microcode, "0xb6");
  EXPECT_EQ(last.cache_size, "8192 KB");
  EXPECT_EQ(last.physical_id, "1");
  EXPECT_EQ(last.core_id, "0");
  EXPECT_THAT(last.flags, ::testing::ElementsAre("fpu", "vme", "sse", "sse2", "avx"));
  EXPECT_THAT(last.bugs, ::testing::ElementsAre("spectre_v1", "spectre_v2", "swapgs"));
}

TEST(ParseCpuInfo, FieldsAnArchitectureDoesNotPrintStayEmpty) {
  // arm64 style: no vendor_id, model name, microcode or cache size.
  auto cpus = ParseCpuInfo(
      "processor\t: 0\nBogoMIPS\t: 108.00\nFeatures\t: fp asimd\nCPU part\t: 0xd08\n\n"
      "processor\t: 1\nBogoMIPS\t: 108.00\n",
      "cpuinfo");
  ASSERT_EQ(cpus.size(), 2u);
  EXPECT_EQ(cpus[1].processor, 1u);
  EXPECT_EQ(cpus[0].model_name, "");
  EXPECT_TRUE(cpus[0].flags.empty());
}

TEST(ParseCpuInfo, LinesBeforeTheFirstProcessorAreIgnored) {
  auto cpus = ParseCpuInfo("vendor_id : Nobody\n\nprocessor : 0\nvendor : IBM/S390\n", "cpuinfo");
  ASSERT_EQ(cpus.size(), 1u);
  EXPECT_EQ(cpus[0].vendor_id, "IBM/S390");
}

TEST(ParseCpuInfo, ErrorNamesFileAndLineOfABadProcessorNumber) {
  try {
    ParseCpuInfo("processor\t: 0\n\nprocessor\t: one\n", "/proc/cpuinfo");
    FAIL() << "no error";
  } catch (const ParseError& error) {
    EXPECT_STREQ(error.what(), "/proc/cpuinfo:3: expected a processor number, got \"one\"");
  }
}

TEST(ParseCpuInfo, ReadsTheSharedCapture) {
  std::string path = NodeTree("proc/cpuinfo");
  if (path.empty()) GTEST_SKIP() << kNoNodeTree;
  auto cpus = ParseCpuInfo(ReadFile(path), path);
  ASSERT_EQ(cpus.size(), 8u);
  EXPECT_EQ(cpus[7].processor, 7u);
  EXPECT_EQ(cpus[7].core_id, "3");
  EXPECT_FALSE(cpus[0].flags.empty());
}

}  // namespace
}  // namespace hw_exporter::procfs

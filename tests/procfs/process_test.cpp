#include "hw_exporter/procfs/process.h"

#include <gtest/gtest.h>

#include "hw_exporter/core/fs.h"
#include "hw_exporter/core/parse_error.h"
#include "support/test_support.h"

namespace hw_exporter::procfs {
namespace {

TEST(ParseProcessStat, ReadsACommWithSpacesAndParentheses) {
  std::string path = testing::Fixture("proc_self/self/stat");
  ProcessStat stat = ParseProcessStat(ReadFile(path), path);
  EXPECT_EQ(stat.comm, "hw (exp) orter");
  EXPECT_EQ(stat.state, 'S');
  EXPECT_EQ(stat.user_ticks, 250u);
  EXPECT_EQ(stat.system_ticks, 130u);
  EXPECT_EQ(stat.threads, 7u);
  EXPECT_EQ(stat.start_ticks, 120000u);
  EXPECT_EQ(stat.virtual_memory_bytes, 987654144u);
  EXPECT_EQ(stat.resident_pages, 2048u);
}

TEST(ParseProcessStat, TakesTheCommUpToTheLastParenthesis) {
  ProcessStat stat = ParseProcessStat("9 () R) (x) ) R 1 9 9 0 -1 0 0 0 0 0 11 22 0 0 20 0 3 0 44 55 66 0 0 0\n",
                                      "stat");
  EXPECT_EQ(stat.comm, ") R) (x) ");
  EXPECT_EQ(stat.state, 'R');
  EXPECT_EQ(stat.user_ticks, 11u);
  EXPECT_EQ(stat.system_ticks, 22u);
  EXPECT_EQ(stat.threads, 3u);
  EXPECT_EQ(stat.start_ticks, 44u);
  EXPECT_EQ(stat.virtual_memory_bytes, 55u);
  EXPECT_EQ(stat.resident_pages, 66u);
}

TEST(ParseProcessStat, ReadsARealCapture) {
  std::string path = testing::NodeTree("proc/1/stat");
  if (path.empty()) GTEST_SKIP() << testing::kNoNodeTree;
  ProcessStat stat = ParseProcessStat(ReadFile(path), path);
  EXPECT_EQ(stat.comm, "systemd");
  EXPECT_EQ(stat.state, 'S');
  EXPECT_EQ(stat.user_ticks, 36u);
  EXPECT_EQ(stat.system_ticks, 98u);
  EXPECT_EQ(stat.threads, 1u);
  EXPECT_EQ(stat.start_ticks, 29u);
  EXPECT_EQ(stat.virtual_memory_bytes, 109604864u);
  EXPECT_EQ(stat.resident_pages, 2507u);
}

TEST(ParseProcessStat, RejectsWhatIsNotAStatLine) {
  EXPECT_THROW(ParseProcessStat("", "stat"), ParseError);
  EXPECT_THROW(ParseProcessStat("1 no parentheses S 1 2 3", "stat"), ParseError);
  EXPECT_THROW(ParseProcessStat("1 (short) S 1 2 3", "stat"), ParseError);
  try {
    ParseProcessStat("9 (x) R 1 9 9 0 -1 0 0 0 0 0 eleven 22 0 0 20 0 3 0 44 55 66", "/proc/self/stat");
    FAIL() << "expected a ParseError";
  } catch (const ParseError& error) {
    EXPECT_STREQ(error.what(), "/proc/self/stat:1: expected utime, got \"eleven\"");
  }
}

TEST(ParseProcessLimits, ReadsSoftAndHardLimitsAndUnits) {
  std::string path = testing::Fixture("proc_self/self/limits");
  std::vector<ResourceLimit> limits = ParseProcessLimits(ReadFile(path), path);
  EXPECT_EQ(limits.size(), 16u);

  const ResourceLimit* open_files = FindLimit(limits, "Max open files");
  ASSERT_NE(open_files, nullptr);
  EXPECT_EQ(open_files->soft, 1024u);
  EXPECT_EQ(open_files->hard, 524288u);
  EXPECT_EQ(open_files->unit, "files");

  const ResourceLimit* stack = FindLimit(limits, "Max stack size");
  ASSERT_NE(stack, nullptr);
  EXPECT_EQ(stack->soft, 8388608u);
  EXPECT_EQ(stack->hard, std::nullopt);  // unlimited

  const ResourceLimit* address_space = FindLimit(limits, "Max address space");
  ASSERT_NE(address_space, nullptr);
  EXPECT_EQ(address_space->soft, std::nullopt);
  EXPECT_EQ(address_space->unit, "bytes");

  const ResourceLimit* nice = FindLimit(limits, "Max nice priority");
  ASSERT_NE(nice, nullptr);
  EXPECT_EQ(nice->soft, 0u);
  EXPECT_EQ(nice->unit, "");

  EXPECT_EQ(FindLimit(limits, "Max open"), nullptr);
}

TEST(ParseProcessLimits, NamesTheLineItCannotRead) {
  const std::string text =
      "Limit                     Soft Limit           Hard Limit           Units     \n"
      "Max open files            1024                 4096                 files     \n"
      "Max address space         lots                 unlimited            bytes     \n";
  try {
    ParseProcessLimits(text, "/proc/self/limits");
    FAIL() << "expected a ParseError";
  } catch (const ParseError& error) {
    EXPECT_STREQ(error.what(), "/proc/self/limits:3: expected a name, a soft and a hard limit");
  }
}

TEST(ParseProcessLimits, ReadsThisProcessesLimits) {
  std::vector<ResourceLimit> limits = ParseProcessLimits(ReadFile("/proc/self/limits"), "/proc/self/limits");
  const ResourceLimit* open_files = FindLimit(limits, "Max open files");
  ASSERT_NE(open_files, nullptr);
  ASSERT_TRUE(open_files->soft.has_value());
  EXPECT_GT(*open_files->soft, 0u);
}

}  // namespace
}  // namespace hw_exporter::procfs

#include "hw_exporter/procfs/meminfo.h"

#include <gtest/gtest.h>

#include "hw_exporter/core/fs.h"
#include "hw_exporter/core/parse_error.h"
#include "support/test_support.h"

namespace hw_exporter::procfs {
namespace {

using ::hw_exporter::testing::kNoNodeTree;
using ::hw_exporter::testing::NodeTree;

TEST(ParseMeminfo, KeepsNamesValuesAndUnitsAsWritten) {
  auto fields = ParseMeminfo("MemTotal:  3742148 kB\nActive(anon):    2020004 kB\nHugePages_Total:       4\n", "m");
  ASSERT_EQ(fields.size(), 3u);
  EXPECT_EQ(fields[1].name, "Active(anon)");
  EXPECT_DOUBLE_EQ(fields[1].value, 2020004);
  EXPECT_EQ(fields[1].unit, "kB");
  EXPECT_EQ(fields[2].name, "HugePages_Total");
  EXPECT_DOUBLE_EQ(fields[2].value, 4);
  EXPECT_EQ(fields[2].unit, "");
}

TEST(ParseMeminfo, ErrorNamesFileAndLine) {
  try {
    ParseMeminfo("MemTotal: 1 kB\n\nMemFree: lots kB\n", "/proc/meminfo");
    FAIL() << "no error";
  } catch (const ParseError& error) {
    EXPECT_STREQ(error.what(), "/proc/meminfo:3: expected a number, got \"lots\"");
  }
}

TEST(ParseMeminfo, RejectsMalformedLines) {
  EXPECT_THROW(ParseMeminfo("MemTotal 1 kB\n", "m"), ParseError);  // no colon
  EXPECT_THROW(ParseMeminfo("MemTotal:\n", "m"), ParseError);      // no value
  EXPECT_THROW(ParseMeminfo("MemTotal: 1 kB extra\n", "m"), ParseError);
  EXPECT_THROW(ParseMeminfo(": 1 kB\n", "m"), ParseError);  // no name
}

TEST(ParseMeminfo, ReadsTheSharedCapture) {
  std::string path = NodeTree("proc/meminfo");
  if (path.empty()) GTEST_SKIP() << kNoNodeTree;
  auto fields = ParseMeminfo(ReadFile(path), path);
  EXPECT_EQ(fields.size(), 42u);
  EXPECT_EQ(fields.front().name, "MemTotal");
  EXPECT_DOUBLE_EQ(fields.front().value, 3742148);
}

}  // namespace
}  // namespace hw_exporter::procfs

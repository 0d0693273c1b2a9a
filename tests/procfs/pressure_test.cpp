#include "hw_exporter/procfs/pressure.h"

#include <gtest/gtest.h>

#include "hw_exporter/core/fs.h"
#include "hw_exporter/core/parse_error.h"
#include "support/test_support.h"

namespace hw_exporter::procfs {
namespace {

using ::hw_exporter::testing::kNoNodeTree;
using ::hw_exporter::testing::NodeTree;

TEST(ParsePressure, ReadsSomeAndFull) {
  Pressure pressure = ParsePressure(
      "some avg10=0.18 avg60=0.34 avg300=0.10 total=159886802\n"
      "full avg10=0.20 avg60=0.30 avg300=0.11 total=159229614\n",
      "io");
  ASSERT_TRUE(pressure.some && pressure.full);
  EXPECT_DOUBLE_EQ(pressure.some->avg10, 0.18);
  EXPECT_DOUBLE_EQ(pressure.some->avg60, 0.34);
  EXPECT_DOUBLE_EQ(pressure.some->avg300, 0.10);
  EXPECT_EQ(pressure.some->total_microseconds, 159886802u);
  EXPECT_DOUBLE_EQ(pressure.full->avg10, 0.20);
  EXPECT_EQ(pressure.full->total_microseconds, 159229614u);
}

TEST(ParsePressure, CpuOfOlderKernelsHasNoFullLine) {
  Pressure pressure = ParsePressure("some avg10=0.00 avg60=0.00 avg300=0.00 total=14036781", "cpu");
  ASSERT_TRUE(pressure.some);
  EXPECT_EQ(pressure.some->total_microseconds, 14036781u);
  EXPECT_FALSE(pressure.full);
}

TEST(ParsePressure, ErrorNamesFileLineAndField) {
  try {
    ParsePressure("some avg10=0 avg60=0 avg300=0 total=1\nfull avg10=0 avg60=0 avg300=0 sum=1\n", "/proc/pressure/io");
    FAIL() << "no error";
  } catch (const ParseError& error) {
    EXPECT_STREQ(error.what(), "/proc/pressure/io:2: expected total=<value>, got \"sum=1\"");
  }
  EXPECT_THROW(ParsePressure("some avg10=0 avg60=0 avg300=0\n", "p"), ParseError);  // no total
  EXPECT_THROW(ParsePressure("some avg10=x avg60=0 avg300=0 total=1\n", "p"), ParseError);
  EXPECT_THROW(ParsePressure("most avg10=0 avg60=0 avg300=0 total=1\n", "p"), ParseError);
  EXPECT_THROW(ParsePressure("some avg10=0 avg60=0 avg300=0 total=-1\n", "p"), ParseError);
}

TEST(ParsePressure, ReadsTheSharedCaptures) {
  std::string root = NodeTree("proc/pressure");
  if (root.empty()) GTEST_SKIP() << kNoNodeTree;
  Pressure io = ParsePressure(ReadFile(root + "/io"), root + "/io");
  EXPECT_EQ(io.full->total_microseconds, 159229614u);
  // This capture's irq file has no newline at its end.
  Pressure irq = ParsePressure(ReadFile(root + "/irq"), root + "/irq");
  EXPECT_EQ(irq.full->total_microseconds, 8494u);
}

}  // namespace
}  // namespace hw_exporter::procfs

#include "hw_exporter/procfs/loadavg.h"

#include <gtest/gtest.h>

#include "hw_exporter/core/parse_error.h"

namespace hw_exporter::procfs {
namespace {

TEST(ParseLoadavg, ReadsTheThreeAverages) {
  LoadAverage load = ParseLoadavg("0.21 0.37 0.39 1/719 19737\n", "loadavg");
  EXPECT_DOUBLE_EQ(load.load1, 0.21);
  EXPECT_DOUBLE_EQ(load.load5, 0.37);
  EXPECT_DOUBLE_EQ(load.load15, 0.39);
}

TEST(ParseLoadavg, RejectsShortOrNonNumericContent) {
  EXPECT_THROW(ParseLoadavg("", "loadavg"), ParseError);
  EXPECT_THROW(ParseLoadavg("0.1 0.2\n", "loadavg"), ParseError);
  try {
    ParseLoadavg("0.1 x 0.3 1/2 3\n", "/proc/loadavg");
    FAIL() << "no error";
  } catch (const ParseError& error) {
    EXPECT_STREQ(error.what(), "/proc/loadavg:1: expected a load average, got \"x\"");
  }
}

}  // namespace
}  // namespace hw_exporter::procfs

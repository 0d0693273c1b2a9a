#include "hw_exporter/procfs/vmstat.h"

#include <gtest/gtest.h>

#include "hw_exporter/core/fs.h"
#include "hw_exporter/core/parse_error.h"
#include "support/test_support.h"

namespace hw_exporter::procfs {
namespace {

using ::hw_exporter::testing::kNoNodeTree;
using ::hw_exporter::testing::NodeTree;

TEST(ParseVmstat, ReadsNamesAndValuesInOrder) {
  auto fields = ParseVmstat("nr_free_pages 977769\npgfault 2320168809\n\n", "vmstat");
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[0].name, "nr_free_pages");
  EXPECT_DOUBLE_EQ(fields[1].value, 2320168809.0);
}

TEST(ParseVmstat, ErrorNamesFileAndLine) {
  try {
    ParseVmstat("a 1\nb\n", "/proc/vmstat");
    FAIL() << "no error";
  } catch (const ParseError& error) {
    EXPECT_STREQ(error.what(), "/proc/vmstat:2: expected \"<name> <value>\"");
  }
  EXPECT_THROW(ParseVmstat("a one\n", "vmstat"), ParseError);
  EXPECT_THROW(ParseVmstat("a 1 2\n", "vmstat"), ParseError);
}

TEST(ParseVmstat, ReadsTheSharedCapture) {
  std::string path = NodeTree("proc/vmstat");
  if (path.empty()) GTEST_SKIP() << kNoNodeTree;
  auto fields = ParseVmstat(ReadFile(path), path);
  EXPECT_EQ(fields.size(), 120u);
}

}  // namespace
}  // namespace hw_exporter::procfs

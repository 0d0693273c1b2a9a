#include "collectors/collector_options.h"

#include <gtest/gtest.h>

#include "collectors/collector_harness.h"
#include "support/test_support.h"

namespace hw_exporter::testing {
namespace {

std::string OptionError(const std::string& pattern) {
  CollectorHarness harness(Fixture("sensors"));
  try {
    RegexOption(harness.Context("hwmon", {{"chip-include", pattern}}), "chip-include");
  } catch (const CollectorOptionError& error) {
    EXPECT_EQ(error.option(), "chip-include");
    return error.what();
  }
  return "";
}

TEST(RegexOption, CompilesAFilterAndLeavesAnEmptyOneUnset) {
  CollectorHarness harness(Fixture("sensors"));
  auto regex = RegexOption(harness.Context("hwmon", {{"chip-include", "^(coretemp|nct[0-9]+)$"}}), "chip-include");
  ASSERT_TRUE(regex);
  EXPECT_TRUE(std::regex_search("nct6775", *regex));
  EXPECT_FALSE(RegexOption(harness.Context("hwmon", {{"chip-include", ""}}), "chip-include"));
  EXPECT_NE(OptionError("(").find("not a valid regular expression"), std::string::npos);
}

// std::regex recurses on nesting: 17,000 levels crashed the exporter at start.
TEST(RegexOption, RefusesAPatternNestedTooDeepOrTooLongBeforeCompilingIt) {
  EXPECT_EQ(OptionError(std::string(17000, '(') + std::string(17000, ')')),
            "a regular expression of 34000 characters; at most 1024 are allowed");
  EXPECT_EQ(OptionError(std::string(33, '[') + "a" + std::string(33, ']')),
            "a regular expression nested more than 32 levels deep");
  EXPECT_EQ(OptionError(std::string(32, '(') + "a" + std::string(32, ')')), "") << "32 levels are fine";
  EXPECT_EQ(OptionError(std::string(40, '\\') + "(a)"), "") << "escaped characters do not nest";
}

}  // namespace
}  // namespace hw_exporter::testing

#include "hw_exporter/core/strings.h"

#include <gtest/gtest.h>

namespace hw_exporter {
namespace {

TEST(Strings, SplitFieldsSkipsRunsOfBlanks) {
  auto fields = SplitFields("  cpu0 \t 1 2\n3  ");
  ASSERT_EQ(fields.size(), 4u);
  EXPECT_EQ(fields[0], "cpu0");
  EXPECT_EQ(fields[3], "3");
}

TEST(Strings, SplitKeepsEmptyFields) {
  auto fields = Split("a,,b,", ',');
  ASSERT_EQ(fields.size(), 4u);
  EXPECT_EQ(fields[1], "");
  EXPECT_EQ(fields[3], "");
}

using Lines = std::vector<std::string_view>;

TEST(Strings, SplitLinesOfEmptyTextIsNone) { EXPECT_EQ(SplitLines(""), Lines{}); }

TEST(Strings, SplitLinesCountsALastLineWithOrWithoutItsNewline) {
  EXPECT_EQ(SplitLines("a\nb\n"), (Lines{"a", "b"}));
  EXPECT_EQ(SplitLines("a\nb"), (Lines{"a", "b"}));
  EXPECT_EQ(SplitLines("a"), (Lines{"a"}));
}

TEST(Strings, ForEachPieceGivesWhatSplitGives) {
  for (std::string_view text : {"", ",", "a", "a,b", ",a,,b,", "text/plain;q=0.5"}) {
    std::vector<std::string_view> pieces;
    ForEachPiece(text, ',', [&pieces](std::string_view piece) { pieces.push_back(piece); });
    EXPECT_EQ(pieces, Split(text, ',')) << text;
  }
}

TEST(Strings, SplitLinesKeepsEmptyLinesSoIndexesAreLineNumbers) {
  EXPECT_EQ(SplitLines("\n"), (Lines{""}));
  EXPECT_EQ(SplitLines("\n\n"), (Lines{"", ""}));
  EXPECT_EQ(SplitLines("a\n\nb\n"), (Lines{"a", "", "b"}));
  EXPECT_EQ(SplitLines("\na"), (Lines{"", "a"}));
}

TEST(Strings, SplitLinesLeavesCarriageReturnsInTheLine) {
  EXPECT_EQ(SplitLines("a\r\nb\r\n"), (Lines{"a\r", "b\r"}));
  EXPECT_EQ(SplitLines("a\rb"), (Lines{"a\rb"}));
}

TEST(Strings, NumbersMustBeWhole) {
  EXPECT_EQ(ParseUnsigned("42\n"), 42u);
  EXPECT_EQ(ParseUnsigned("42x"), std::nullopt);
  EXPECT_EQ(ParseUnsigned("-1"), std::nullopt);
  EXPECT_EQ(ParseUnsigned("0x1f", 16), 31u);
  EXPECT_EQ(ParseSigned("-7"), -7);
  EXPECT_EQ(ParseDouble("1.5e3"), 1500.0);
  EXPECT_EQ(ParseDouble(""), std::nullopt);
  EXPECT_EQ(ParseDouble("1.5.3"), std::nullopt);
}

TEST(Strings, TrimAndAffixes) {
  EXPECT_EQ(Trim("\t x y \n"), "x y");
  EXPECT_TRUE(StartsWith("hwmon0", "hwmon"));
  EXPECT_TRUE(EndsWith("temp1_input", "_input"));
  EXPECT_FALSE(EndsWith("t", "_input"));
  EXPECT_EQ(ToLower("ABc"), "abc");
}

TEST(EqualsIgnoringCase, ComparesAsciiLettersWithoutCase) {
  EXPECT_TRUE(EqualsIgnoringCase("Basic", "basic"));
  EXPECT_TRUE(EqualsIgnoringCase("KEEP-alive", "keep-ALIVE"));
  EXPECT_FALSE(EqualsIgnoringCase("basic", "basics"));
  EXPECT_FALSE(EqualsIgnoringCase("bas1c", "basic"));
  EXPECT_TRUE(EqualsIgnoringCase("", ""));
}

}  // namespace
}  // namespace hw_exporter

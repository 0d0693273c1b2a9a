#include "hw_exporter/http/percent_decoding.h"

#include <gtest/gtest.h>

#include "hw_exporter/http/http_error.h"

namespace hw_exporter {
namespace {

int StatusOf(std::string (*decode)(std::string_view), std::string_view text) {
  try {
    decode(text);
  } catch (const HttpError& error) {
    return error.status();
  }
  return 0;
}

TEST(PercentDecode, DecodesPlusAndEscapes) { EXPECT_EQ(PercentDecode("a+b%20c%2Fd"), "a b c/d"); }

TEST(PercentDecode, RefusesMalformedEscapes) {
  for (const char* bad : {"%", "%2", "%zz", "a%2"}) EXPECT_EQ(StatusOf(PercentDecode, bad), 400) << bad;
}

TEST(PercentDecodePath, KeepsPlusAndDecodesEscapes) {
  EXPECT_EQ(PercentDecodePath("/%6detrics"), "/metrics");
  EXPECT_EQ(PercentDecodePath("/a+b%20c"), "/a+b c");
}

// Decoded, these would reach /metrics and /cache/stats through paths that name neither.
TEST(PercentDecodePath, RefusesAnEncodedNulOrSlash) {
  for (const char* bad : {"/metrics%00", "/metrics%00/../x", "/cache%2fstats", "/cache%2Fstats", "/%"})
    EXPECT_EQ(StatusOf(PercentDecodePath, bad), 400) << bad;
}

}  // namespace
}  // namespace hw_exporter

#include "hw_exporter/exposition/gzip.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "support/gunzip.h"

namespace hw_exporter {
namespace {

using testing::Gunzip;

// A metrics-like body big enough to need several inflate rounds.
std::string LargeBody() {
  std::string body;
  for (int i = 0; i < 20000; ++i) {
    body += "node_hwmon_temp_celsius{chip=\"platform_coretemp_0\",sensor=\"temp" + std::to_string(i) + "\"} " +
            std::to_string(i * 0.37) + "\n";
  }
  return body;
}

TEST(Gzip, WritesAGzipMemberThatInflatesBackToTheBody) {
  for (const std::string& body : {std::string(), std::string("x 1\n"), LargeBody()}) {
    std::string compressed = Gzip(body);
    ASSERT_GE(compressed.size(), 18u);  // header and trailer
    EXPECT_EQ(static_cast<unsigned char>(compressed[0]), 0x1f);
    EXPECT_EQ(static_cast<unsigned char>(compressed[1]), 0x8b);
    EXPECT_EQ(compressed[2], 8) << "deflate method";
    EXPECT_EQ(Gunzip(compressed), body);
  }
}

TEST(Gzip, CompressesRepetitiveText) {
  std::string body = LargeBody();
  EXPECT_LT(Gzip(body).size(), body.size() / 4);
}

TEST(Gzip, HonoursTheLevel) {
  std::string body = LargeBody();
  std::string fastest = Gzip(body, 1);
  std::string smallest = Gzip(body, 9);
  EXPECT_EQ(Gunzip(fastest), body);
  EXPECT_EQ(Gunzip(smallest), body);
  EXPECT_LE(smallest.size(), fastest.size());
}

TEST(Gzip, ThrowsOnALevelOutsideZeroToTwelve) {
  EXPECT_THROW(Gzip("x", 13), std::runtime_error);
  EXPECT_THROW(Gzip("x", -1), std::runtime_error);
  EXPECT_EQ(Gunzip(Gzip("x 1\n", 0)), "x 1\n") << "0 stores the body uncompressed";
}

}  // namespace
}  // namespace hw_exporter

#include "hw_exporter/exposition/gzip.h"

#include <gtest/gtest.h>

#include <cstdint>
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

// Bytes no compressor can shrink (xorshift64).
std::string RandomBytes(int count) {
  std::string bytes;
  std::uint64_t state = 88172645463325252u;
  for (int i = 0; i < count; ++i) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    bytes += static_cast<char>(state & 0xff);
  }
  return bytes;
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

// Each body is compressed into room sized by the last one's ratio, and again into the bound when it does not fit:
// a body that compresses far worse than the one before, or not at all, still comes out whole.
TEST(Gzip, ABodyThatCompressesWorseThanTheOneBeforeComesOutWhole) {
  const std::string incompressible = RandomBytes(100000);
  const std::string repetitive(200000, 'a');
  for (const std::string* body : {&repetitive, &incompressible, &repetitive, &incompressible}) {
    EXPECT_EQ(Gunzip(Gzip(*body, 1)), *body);
  }
  EXPECT_GT(Gzip(incompressible, 1).size(), incompressible.size()) << "stored, not compressed";
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

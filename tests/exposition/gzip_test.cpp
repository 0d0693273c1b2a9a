#include "hw_exporter/exposition/gzip.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

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

// A head compressed per body before a tail compressed once: one gzip member, which zlib inflates whole (checking its
// CRC-32 and size) to the head and then the tail, whatever either holds, at every level.
TEST(GzipJoined, InflatesToTheHeadThenTheTail) {
  const std::string large = LargeBody();
  const std::vector<std::string> heads = {"", "x 1\n", large.substr(0, 30000), RandomBytes(5000)};
  const std::vector<std::string> tails = {"", "y 2\n", large, RandomBytes(100000)};
  for (int level : {0, 1, 6, 12}) {
    for (const std::string& tail : tails) {
      const DeflatedTail deflated = DeflateTail(tail, level);
      EXPECT_EQ(deflated.size, tail.size());
      for (const std::string& head : heads) {
        EXPECT_EQ(Gunzip(GzipJoined(head, deflated, level)), head + tail)
            << "level " << level << ", head of " << head.size() << " bytes, tail of " << tail.size();
      }
    }
  }
}

TEST(GzipJoined, BodiesThatShareTheirTailAreAboutAsSmallAsEachCompressedWhole) {
  const std::string body = LargeBody();
  const std::string tail = body.substr(2000);
  const DeflatedTail deflated = DeflateTail(tail, 1);
  for (const std::string& head : {body.substr(0, 2000), std::string("another head\n")}) {
    const std::string joined = GzipJoined(head, deflated, 1);
    EXPECT_EQ(Gunzip(joined), head + tail);
    EXPECT_LT(joined.size(), Gzip(head + tail, 1).size() * 21 / 20 + 64);
  }
}

TEST(GzipJoined, ThrowsOnALevelOutsideZeroToTwelve) {
  EXPECT_THROW(DeflateTail("x", 13), std::runtime_error);
  EXPECT_THROW(DeflateTail("x", -1), std::runtime_error);
}

}  // namespace
}  // namespace hw_exporter

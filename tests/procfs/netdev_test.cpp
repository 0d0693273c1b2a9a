#include "hw_exporter/procfs/netdev.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "hw_exporter/core/fs.h"
#include "hw_exporter/core/parse_error.h"
#include "support/test_support.h"

namespace hw_exporter::procfs {
namespace {

using ::hw_exporter::testing::Fixture;

std::vector<NetDevStats> ParseFixture() {
  const std::string path = Fixture("storage_network/proc/net/dev");
  return ParseNetDev(ReadFile(path), path);
}

TEST(ParseNetDev, ReadsEveryInterfaceAfterTheHeaders) {
  std::vector<NetDevStats> interfaces = ParseFixture();
  ASSERT_EQ(interfaces.size(), 4u);
  EXPECT_EQ(interfaces[0].device, "lo");
  EXPECT_EQ(interfaces[0].receive[0], 5000u);
  EXPECT_EQ(interfaces[0].transmit[1], 50u);
  EXPECT_EQ(interfaces[1].device, "eth0");
  const uint64_t max = std::numeric_limits<uint64_t>::max();
  EXPECT_EQ(interfaces[1].receive, (std::array<uint64_t, 8>{max, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(interfaces[1].transmit, (std::array<uint64_t, 8>{9, 10, 11, 12, 13, 14, 15, 16}));
  EXPECT_EQ(interfaces[3].device, "br-5f2a9c");
}

TEST(ParseNetDev, ReadsANameWithNoBlankAfterTheColon) {
  std::vector<NetDevStats> interfaces = ParseFixture();
  ASSERT_EQ(interfaces.size(), 4u);
  EXPECT_EQ(interfaces[2].device, "enp0s31f6.100");
  EXPECT_EQ(interfaces[2].receive[0], 100u);
  EXPECT_EQ(interfaces[2].transmit[0], 200u);
}

TEST(ParseNetDev, RejectsALineWithTheWrongNumberOfCounters) {
  EXPECT_THROW(ParseNetDev("eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\n", "net/dev"), ParseError);
  EXPECT_THROW(ParseNetDev("eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 x\n", "net/dev"), ParseError);
  EXPECT_THROW(ParseNetDev(": 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n", "net/dev"), ParseError);
}

// Under --path.procfs=/host/proc the file read is /host/proc/net/dev, and that is what an operator must open.
TEST(ParseNetDev, NamesTheSourceItWasGiven) {
  try {
    ParseNetDev("h1\nh2\n  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 x\n", "/host/proc/net/dev");
    FAIL() << "expected a ParseError";
  } catch (const ParseError& error) {
    EXPECT_STREQ(error.what(), "/host/proc/net/dev:3: expected a counter, got \"x\"");
  }
}

}  // namespace
}  // namespace hw_exporter::procfs

#include "hw_exporter/http/negotiation.h"

#include <gtest/gtest.h>

#include "hw_exporter/http/http_error.h"

namespace hw_exporter {
namespace {

int StatusOf(std::string_view header) {
  try {
    NegotiateEncoding(header);
  } catch (const HttpError& error) {
    return error.status();
  }
  return 200;
}

TEST(NegotiateEncoding, NoHeaderMeansIdentity) {
  EXPECT_EQ(NegotiateEncoding(std::nullopt), ContentEncoding::kIdentity);
  EXPECT_EQ(NegotiateEncoding(""), ContentEncoding::kIdentity);
}

TEST(NegotiateEncoding, GzipWhenAllowed) {
  EXPECT_EQ(NegotiateEncoding("gzip"), ContentEncoding::kGzip);
  EXPECT_EQ(NegotiateEncoding("gzip, deflate, br"), ContentEncoding::kGzip);
  EXPECT_EQ(NegotiateEncoding("GZIP;Q=0.5"), ContentEncoding::kGzip);
  EXPECT_EQ(NegotiateEncoding("x-gzip"), ContentEncoding::kGzip);
  EXPECT_EQ(NegotiateEncoding("*"), ContentEncoding::kGzip);
  EXPECT_EQ(NegotiateEncoding("identity;q=0.5, gzip;q=0.6"), ContentEncoding::kGzip);
  EXPECT_EQ(NegotiateEncoding(" ,gzip ,"), ContentEncoding::kGzip);
}

TEST(NegotiateEncoding, QZeroMeansNo) {
  EXPECT_EQ(NegotiateEncoding("gzip;q=0"), ContentEncoding::kIdentity);
  EXPECT_EQ(NegotiateEncoding("gzip;q=0.000"), ContentEncoding::kIdentity);
  EXPECT_EQ(NegotiateEncoding("*;q=0, identity"), ContentEncoding::kIdentity);
  EXPECT_EQ(NegotiateEncoding("*, gzip;q=0"), ContentEncoding::kIdentity);
  EXPECT_EQ(NegotiateEncoding("deflate, br"), ContentEncoding::kIdentity);
  EXPECT_EQ(NegotiateEncoding("identity;q=0.9, gzip;q=0.5"), ContentEncoding::kIdentity);
}

TEST(NegotiateEncoding, RefusingEverythingIs406) {
  EXPECT_EQ(StatusOf("identity;q=0"), 406);
  EXPECT_EQ(StatusOf("*;q=0"), 406);
  EXPECT_EQ(StatusOf("gzip;q=0, identity;q=0"), 406);
  EXPECT_EQ(StatusOf("identity;q=0, gzip"), 200);
}

TEST(NegotiateEncoding, MalformedQValuesAre400) {
  for (const char* bad :
       {"gzip;q=abc", "gzip;q=", "gzip;q=1.5", "gzip;q=2", "gzip;q=0.1234", "gzip;q=-1", "gzip;q=1.001", "gzip;q=.5"}) {
    EXPECT_EQ(StatusOf(bad), 400) << bad;
  }
  try {
    NegotiateEncoding("gzip;q=abc");
  } catch (const HttpError& error) {
    EXPECT_STREQ(error.what(),
                 "Accept-Encoding: invalid q-value \"abc\" for gzip (expected a number from 0 to 1 with at most 3 "
                 "decimals)");
  }
}

}  // namespace
}  // namespace hw_exporter

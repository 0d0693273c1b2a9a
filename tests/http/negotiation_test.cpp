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

// What Prometheus 2.42 sends with every scrape.
constexpr std::string_view kPrometheusAccept =
    "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
    "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

int FormatStatusOf(std::string_view header) {
  try {
    NegotiateFormat(header, true);
  } catch (const HttpError& error) {
    return error.status();
  }
  return 200;
}

TEST(NegotiateFormat, PrometheusGetsOpenMetricsUnlessItIsTurnedOff) {
  EXPECT_EQ(NegotiateFormat(kPrometheusAccept, true), Format::kOpenMetrics);
  EXPECT_EQ(NegotiateFormat(kPrometheusAccept, false), Format::kText);
  EXPECT_EQ(NegotiateFormat("application/openmetrics-text", true), Format::kOpenMetrics);
  EXPECT_EQ(NegotiateFormat("Application/OpenMetrics-Text; Version=\"0.0.1\"", true), Format::kOpenMetrics);
}

TEST(NegotiateFormat, TheTextFormatForEveryoneElse) {
  EXPECT_EQ(NegotiateFormat(std::nullopt, true), Format::kText);
  EXPECT_EQ(NegotiateFormat("", true), Format::kText);
  EXPECT_EQ(NegotiateFormat("text/plain", true), Format::kText);
  EXPECT_EQ(NegotiateFormat("text/plain;version=0.0.4", true), Format::kText);
  EXPECT_EQ(NegotiateFormat("*/*", true), Format::kText) << "a tie goes to the text format";
  EXPECT_EQ(NegotiateFormat("text/*, application/*", true), Format::kText);
  EXPECT_EQ(NegotiateFormat("application/json", true), Format::kText) << "only other types: as Prometheus' servers";
  EXPECT_EQ(NegotiateFormat("application/openmetrics-text;version=2.0.0, */*;q=0.2", true), Format::kText)
      << "an unknown version does not match";
}

TEST(NegotiateFormat, QValuesAndSpecificityDecide) {
  EXPECT_EQ(NegotiateFormat("text/plain;q=0.9, application/openmetrics-text;q=0.5", true), Format::kText);
  EXPECT_EQ(NegotiateFormat("application/openmetrics-text, */*", true), Format::kOpenMetrics)
      << "same q: the more specific match";
  EXPECT_EQ(NegotiateFormat("application/openmetrics-text;q=0, */*", true), Format::kText)
      << "the specific q=0 wins over the wildcard";
  EXPECT_EQ(NegotiateFormat("*/*;q=0.1, application/*;q=0.8", true), Format::kOpenMetrics);
}

TEST(NegotiateFormat, MalformedRangesAreSkipped) {
  EXPECT_EQ(NegotiateFormat("garbage, application/openmetrics-text", true), Format::kOpenMetrics);
  EXPECT_EQ(NegotiateFormat("text/plain;q=2, application/openmetrics-text", true), Format::kOpenMetrics);
  EXPECT_EQ(NegotiateFormat("/, text/, application/openmetrics-text;q=abc", true), Format::kText);
  EXPECT_EQ(NegotiateFormat(",,, ;;", true), Format::kText);
}

TEST(NegotiateFormat, RefusingEveryFormatIs406) {
  EXPECT_EQ(FormatStatusOf("text/plain;q=0"), 406);
  EXPECT_EQ(FormatStatusOf("*/*;q=0"), 406);
  EXPECT_EQ(FormatStatusOf("text/plain;q=0, application/openmetrics-text;q=0, application/json"), 406);
  EXPECT_EQ(FormatStatusOf("text/plain;q=0, application/openmetrics-text"), 200);
}

}  // namespace
}  // namespace hw_exporter

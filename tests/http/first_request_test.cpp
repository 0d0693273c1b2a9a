#include "http/first_request.h"

#include <gtest/gtest.h>

#include <string>

namespace hw_exporter {
namespace {

TEST(HttpRequestArrival, CompleteOnlyOnceTheHeadersEnd) {
  EXPECT_EQ(HttpRequestArrival("", 8192), Arrival::kIncomplete);
  EXPECT_EQ(HttpRequestArrival("GET /metr", 8192), Arrival::kIncomplete);
  EXPECT_EQ(HttpRequestArrival("GET /metrics HTTP/1.1\r\nHost: a\r\n", 8192), Arrival::kIncomplete);
  EXPECT_EQ(HttpRequestArrival("GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n", 8192), Arrival::kComplete);
  EXPECT_EQ(HttpRequestArrival("GET /metrics HTTP/1.0\n\n", 8192), Arrival::kComplete) << "bare line feeds";
}

TEST(HttpRequestArrival, AtTheBoundALongLineIs414AndLongHeadersAre431) {
  EXPECT_EQ(HttpRequestArrival("GET /" + std::string(100, 'a'), 100), Arrival::kLineTooLong);
  EXPECT_EQ(HttpRequestArrival("GET / HTTP/1.1\r\nX: " + std::string(100, 'a'), 100), Arrival::kHeadersTooLarge);
  EXPECT_EQ(HttpRequestArrival("GET / HTTP/1.1\r\nX: " + std::string(80, 'a') + "\r\n\r\n", 200), Arrival::kComplete);
}

std::string RecordHeader(unsigned char type, std::size_t length) {
  return std::string{static_cast<char>(type), 3, 1, static_cast<char>(length >> 8), static_cast<char>(length & 0xff)};
}

TEST(TlsHelloArrival, CompleteOnceTheFirstRecordIsWhole) {
  EXPECT_EQ(TlsHelloArrival("", 0), Arrival::kIncomplete);
  EXPECT_EQ(TlsHelloArrival(RecordHeader(0x16, 300).substr(0, 3), 3), Arrival::kIncomplete);
  EXPECT_EQ(TlsHelloArrival(RecordHeader(0x16, 300), 5), Arrival::kIncomplete);
  EXPECT_EQ(TlsHelloArrival(RecordHeader(0x16, 300), 304), Arrival::kIncomplete);
  EXPECT_EQ(TlsHelloArrival(RecordHeader(0x16, 300), 305), Arrival::kComplete);
  EXPECT_EQ(TlsHelloArrival(RecordHeader(0x16, 0x1234), 5 + 0x1234), Arrival::kComplete) << "two length bytes";
}

TEST(TlsHelloArrival, BytesThatAreNoHandshakeGoOnToBeRefused) {
  EXPECT_EQ(TlsHelloArrival("GET / HTTP/1.1\r\n", 16), Arrival::kComplete);
}

}  // namespace
}  // namespace hw_exporter

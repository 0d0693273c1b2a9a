#include "first_request.h"

namespace hw_exporter {

Arrival HttpRequestArrival(std::string_view queued, std::size_t max_bytes) {
  // civetweb, like most servers, also takes a bare LF as a line end.
  if (queued.find("\r\n\r\n") != std::string_view::npos || queued.find("\n\n") != std::string_view::npos)
    return Arrival::kComplete;
  if (queued.size() < max_bytes) return Arrival::kIncomplete;
  return queued.find('\n') == std::string_view::npos ? Arrival::kLineTooLong : Arrival::kHeadersTooLarge;
}

Arrival TlsHelloArrival(std::string_view head, std::size_t queued_bytes) {
  constexpr unsigned char kHandshakeRecord = 0x16;
  constexpr std::size_t kRecordHeader = 5;
  if (head.empty()) return Arrival::kIncomplete;
  if (static_cast<unsigned char>(head[0]) != kHandshakeRecord) return Arrival::kComplete;
  if (head.size() < kRecordHeader) return Arrival::kIncomplete;
  std::size_t length = static_cast<std::size_t>(static_cast<unsigned char>(head[3])) << 8 |
                       static_cast<unsigned char>(head[4]);
  return queued_bytes >= kRecordHeader + length ? Arrival::kComplete : Arrival::kIncomplete;
}

}  // namespace hw_exporter

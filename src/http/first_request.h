#pragma once

#include <cstddef>
#include <string_view>

namespace hw_exporter {

// How far the first request of a connection has arrived, judged from the bytes queued on it.
enum class Arrival {
  kIncomplete,       // wait for more
  kComplete,         // a worker can read it without waiting on the client
  kLineTooLong,      // no end of the request line within the bound: 414
  kHeadersTooLarge,  // no end of the headers within the bound: 431
};

// An HTTP/1 request: complete once the empty line that ends its headers is queued. `queued` holds what is queued,
// up to `max_bytes`.
Arrival HttpRequestArrival(std::string_view queued, std::size_t max_bytes);

// A TLS connection: complete once the first record (the client hello) is queued whole. `head` holds the first
// bytes queued (at most five are looked at); `queued_bytes` counts them all. Bytes that are not a TLS handshake
// record are complete too: OpenSSL refuses them at once.
Arrival TlsHelloArrival(std::string_view head, std::size_t queued_bytes);

}  // namespace hw_exporter

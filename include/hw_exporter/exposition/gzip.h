#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace hw_exporter {

// The body as a gzip member (RFC 1952), for Content-Encoding: gzip. level is libdeflate's, 0 (stored) and 1 (fastest)
// to 12 (smallest); 6 is its default, as zlib's. Throws std::runtime_error for a level outside those, or without
// memory.
std::string Gzip(std::string_view body, int level = 6);

// The end of a gzip member compressed ahead of its beginning: `text` as a raw deflate stream (RFC 1951) whose last
// block is the final one, with the CRC-32 and the size of `text` that the member's trailer needs.
struct DeflatedTail {
  std::string stream;
  std::uint32_t crc = 0;
  std::size_t size = 0;
};

// Gzip's levels and errors.
DeflatedTail DeflateTail(std::string_view text, int level = 6);

// One gzip member of `head` followed by the text `tail` holds: head compressed here, ending on a byte boundary
// without a final block (a sync flush), then tail's stream as it is. Bodies that share all but their beginning
// compress what they share once. level is Gzip's, applied to head (at most zlib's 9).
std::string GzipJoined(std::string_view head, const DeflatedTail& tail, int level = 6);

}  // namespace hw_exporter

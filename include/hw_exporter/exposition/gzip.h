#pragma once

#include <string>
#include <string_view>

namespace hw_exporter {

// The body as a gzip member (RFC 1952), for Content-Encoding: gzip. level is libdeflate's, 0 (stored) and 1 (fastest)
// to 12 (smallest); 6 is its default, as zlib's. Throws std::runtime_error for a level outside those, or without
// memory.
std::string Gzip(std::string_view body, int level = 6);

}  // namespace hw_exporter

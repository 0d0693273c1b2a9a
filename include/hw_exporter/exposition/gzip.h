#pragma once

#include <string>
#include <string_view>

namespace hw_exporter {

// The body as a gzip member (RFC 1952), for Content-Encoding: gzip. level is zlib's, 1 (fastest) to 9 (smallest).
// Throws std::runtime_error when zlib fails, std::length_error for a body zlib cannot take in one piece.
std::string Gzip(std::string_view body, int level = 6);

}  // namespace hw_exporter

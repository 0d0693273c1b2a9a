#pragma once

#include <string>
#include <string_view>

namespace hw_exporter {

// Percent-decoding of a query component ('+' is a space). Throws HttpError 400 on a malformed escape.
std::string PercentDecode(std::string_view text);

// Percent-decoding of a request path ('+' is itself). An encoded NUL or slash is refused with HttpError 400: decoded,
// "/metrics%00..." or "/cache%2fstats" would reach a route that the path as sent does not name.
std::string PercentDecodePath(std::string_view path);

}  // namespace hw_exporter

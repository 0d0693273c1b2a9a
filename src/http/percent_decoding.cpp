#include "hw_exporter/http/percent_decoding.h"

#include "hw_exporter/http/http_error.h"

namespace hw_exporter {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

enum class Part { kQuery, kPath };

std::string Decode(std::string_view text, Part part) {
  std::string decoded;
  decoded.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+' && part == Part::kQuery) {
      decoded += ' ';
    } else if (text[i] != '%') {
      decoded += text[i];
    } else {
      int high = i + 2 < text.size() ? HexValue(text[i + 1]) : -1;
      int low = high < 0 ? -1 : HexValue(text[i + 2]);
      const std::string_view where = part == Part::kQuery ? "query" : "path";
      if (low < 0)
        throw HttpError(400, "malformed percent-encoding in " + std::string(where) + ": " + QuotedForClient(text));
      const char c = static_cast<char>(high * 16 + low);
      if (part == Part::kPath && (c == '\0' || c == '/'))
        throw HttpError(400, "encoded NUL or slash in path: " + QuotedForClient(text));
      decoded += c;
      i += 2;
    }
  }
  return decoded;
}

}  // namespace

std::string PercentDecode(std::string_view text) { return Decode(text, Part::kQuery); }

std::string PercentDecodePath(std::string_view path) { return Decode(path, Part::kPath); }

}  // namespace hw_exporter

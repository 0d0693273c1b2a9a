#include "basic_credentials.h"

#include <algorithm>

#include "hw_exporter/core/strings.h"

namespace hw_exporter {
namespace {

constexpr std::string_view kScheme = "basic";

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Standard base64, padded, strictly: a whole number of quads, '=' only as the last one or two characters.
// (OpenSSL's EVP_DecodeBlock would pass padding through as zero bytes, leaving the caller to strip them.)
std::optional<std::string> DecodeBase64(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  const size_t padding = text.ends_with("==") ? 2 : text.ends_with('=') ? 1 : 0;
  text.remove_suffix(padding);
  std::string decoded;
  decoded.reserve(text.size() * 3 / 4);
  unsigned bits = 0;
  int bit_count = 0;
  for (char c : text) {
    const int value = Base64Value(c);
    if (value < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<unsigned>(value);
    bit_count += 6;
    if (bit_count >= 8) {
      bit_count -= 8;
      decoded += static_cast<char>((bits >> bit_count) & 0xFF);
    }
  }
  return decoded;
}

}  // namespace

std::optional<BasicCredentials> ParseBasicCredentials(std::string_view authorization) {
  authorization = Trim(authorization);
  const size_t space = authorization.find(' ');
  if (space == std::string_view::npos || !EqualsIgnoringCase(authorization.substr(0, space), kScheme))
    return std::nullopt;
  std::optional<std::string> decoded = DecodeBase64(Trim(authorization.substr(space)));
  if (!decoded || decoded->find('\0') != std::string::npos) return std::nullopt;
  const size_t colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  return BasicCredentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
}

}  // namespace hw_exporter

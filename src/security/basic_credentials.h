#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hw_exporter {

struct BasicCredentials {
  std::string user;
  std::string password;
};

// The user and password of an Authorization header's value, "Basic <base64 of user:password>" (RFC 7617; the
// scheme in any case), split at the first colon. nullopt for any other value, and for credentials holding a NUL,
// which crypt() would cut the password at.
std::optional<BasicCredentials> ParseBasicCredentials(std::string_view authorization);

}  // namespace hw_exporter

#include "tls_names.h"

#include <openssl/tls1.h>

#include <algorithm>
#include <array>
#include <utility>

namespace hw_exporter::security_internal {

namespace {

struct CipherEntry {
  std::string_view go;
  CipherName name;
};

constexpr CipherKind kUsable = CipherKind::kUsable;
constexpr CipherKind kTls13 = CipherKind::kTls13;
constexpr CipherKind kInsecure = CipherKind::kInsecure;

// Every suite of crypto/tls's CipherSuites() and InsecureCipherSuites() in a current Go. Recent Go releases moved
// the TLS_RSA_* key exchange suites from the first list to the second: an exporter-toolkit built with an older Go
// took them, a current one does not, and this follows the current one. The OpenSSL names are `openssl ciphers
// -stdname`'s.
// clang-format off
constexpr std::array kCiphers{
    CipherEntry{"TLS_AES_128_GCM_SHA256",                        {kTls13, "TLS_AES_128_GCM_SHA256"}},
    CipherEntry{"TLS_AES_256_GCM_SHA384",                        {kTls13, "TLS_AES_256_GCM_SHA384"}},
    CipherEntry{"TLS_CHACHA20_POLY1305_SHA256",                  {kTls13, "TLS_CHACHA20_POLY1305_SHA256"}},
    CipherEntry{"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",          {kUsable, "ECDHE-ECDSA-AES128-SHA"}},
    CipherEntry{"TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",          {kUsable, "ECDHE-ECDSA-AES256-SHA"}},
    CipherEntry{"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",            {kUsable, "ECDHE-RSA-AES128-SHA"}},
    CipherEntry{"TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",            {kUsable, "ECDHE-RSA-AES256-SHA"}},
    CipherEntry{"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",       {kUsable, "ECDHE-ECDSA-AES128-GCM-SHA256"}},
    CipherEntry{"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",       {kUsable, "ECDHE-ECDSA-AES256-GCM-SHA384"}},
    CipherEntry{"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",         {kUsable, "ECDHE-RSA-AES128-GCM-SHA256"}},
    CipherEntry{"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",         {kUsable, "ECDHE-RSA-AES256-GCM-SHA384"}},
    CipherEntry{"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",   {kUsable, "ECDHE-RSA-CHACHA20-POLY1305"}},
    CipherEntry{"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", {kUsable, "ECDHE-ECDSA-CHACHA20-POLY1305"}},
    CipherEntry{"TLS_RSA_WITH_RC4_128_SHA",                      {kInsecure, ""}},
    CipherEntry{"TLS_RSA_WITH_3DES_EDE_CBC_SHA",                 {kInsecure, ""}},
    CipherEntry{"TLS_RSA_WITH_AES_128_CBC_SHA",                  {kInsecure, "AES128-SHA"}},
    CipherEntry{"TLS_RSA_WITH_AES_256_CBC_SHA",                  {kInsecure, "AES256-SHA"}},
    CipherEntry{"TLS_RSA_WITH_AES_128_CBC_SHA256",               {kInsecure, "AES128-SHA256"}},
    CipherEntry{"TLS_RSA_WITH_AES_128_GCM_SHA256",               {kInsecure, "AES128-GCM-SHA256"}},
    CipherEntry{"TLS_RSA_WITH_AES_256_GCM_SHA384",               {kInsecure, "AES256-GCM-SHA384"}},
    CipherEntry{"TLS_ECDHE_ECDSA_WITH_RC4_128_SHA",              {kInsecure, ""}},
    CipherEntry{"TLS_ECDHE_RSA_WITH_RC4_128_SHA",                {kInsecure, ""}},
    CipherEntry{"TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",           {kInsecure, ""}},
    CipherEntry{"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",       {kInsecure, "ECDHE-ECDSA-AES128-SHA256"}},
    CipherEntry{"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",         {kInsecure, "ECDHE-RSA-AES128-SHA256"}},
};

constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kCurves{{
    {"CurveP256", "P-256"},
    {"CurveP384", "P-384"},
    {"CurveP521", "P-521"},
    {"X25519",    "X25519"},
}};

constexpr std::array<std::pair<std::string_view, int>, 4> kVersions{{
    {"TLS10", TLS1_VERSION},
    {"TLS11", TLS1_1_VERSION},
    {"TLS12", TLS1_2_VERSION},
    {"TLS13", TLS1_3_VERSION},
}};
// clang-format on

}  // namespace

std::optional<CipherName> FindCipher(std::string_view go_name) {
  auto found = std::find_if(kCiphers.begin(), kCiphers.end(), [&](const auto& entry) { return entry.go == go_name; });
  if (found == kCiphers.end()) return std::nullopt;
  return found->name;
}

std::optional<std::string_view> FindCurve(std::string_view go_name) {
  for (const auto& [go, openssl] : kCurves) {
    if (go == go_name) return openssl;
  }
  return std::nullopt;
}

std::optional<int> FindTlsVersion(std::string_view name) {
  for (const auto& [go, version] : kVersions) {
    if (go == name) return version;
  }
  return std::nullopt;
}

}  // namespace hw_exporter::security_internal

#pragma once

#include <optional>
#include <string>
#include <string_view>

// The names a web-config file gives TLS settings (Go's crypto/tls names, as exporter-toolkit takes them),
// translated to what OpenSSL calls the same thing.
namespace hw_exporter::security_internal {

enum class CipherKind {
  kUsable,    // crypto/tls's CipherSuites(), TLS 1.0 to 1.2: configurable
  kTls13,     // crypto/tls's CipherSuites(), TLS 1.3: named, accepted, and not configurable (Go ignores them)
  kInsecure,  // crypto/tls's InsecureCipherSuites(): exporter-toolkit refuses them as unknown
};

struct CipherName {
  CipherKind kind;
  std::string_view openssl;  // empty where OpenSSL 3 has no such suite (RC4, 3DES)
};

// nullopt for a name crypto/tls does not know.
std::optional<CipherName> FindCipher(std::string_view go_name);

// CurveP256 → P-256, X25519 → X25519; nullopt for other names.
std::optional<std::string_view> FindCurve(std::string_view go_name);

// TLS10 … TLS13 → OpenSSL's version numbers (TLS1_VERSION …); nullopt for other names.
std::optional<int> FindTlsVersion(std::string_view name);

}  // namespace hw_exporter::security_internal

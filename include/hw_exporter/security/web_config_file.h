#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "hw_exporter/core/duration.h"

namespace hw_exporter {

// exporter-toolkit's client_auth_type values (RequireClientCert is read as RequireAnyClientCert).
enum class ClientAuth {
  kNoClientCert,
  kRequestClientCert,
  kRequireAnyClientCert,
  kVerifyClientCertIfGiven,
  kRequireAndVerifyClientCert,
};

// tls_server_config, with every file read: the values are what the server uses, not where they came from.
struct TlsServerConfig {
  std::string cert_pem;       // from cert_file or the inline cert
  std::string key_pem;        // from key_file or the inline key
  std::string client_ca_pem;  // from client_ca_file or the inline client_ca; empty when neither is set
  ClientAuth client_auth = ClientAuth::kNoClientCert;
  std::vector<std::string> client_allowed_sans;  // empty: any
  int min_version = 0x0303;                      // TLS 1.2, as OpenSSL numbers versions (TLS1_2_VERSION)
  int max_version = 0;                           // 0: the highest the library supports
  std::vector<std::string> cipher_suites;        // OpenSSL names of the configured IANA/Go names; empty: default
  std::vector<std::string> curve_preferences;    // OpenSSL group names (P-256, X25519, ...); empty: default
  bool prefer_server_cipher_suites = true;
};

struct RateLimitConfig {
  Duration interval{};  // one request is added to the bucket per interval
  int burst = 0;        // the bucket's size
};

// exporter-toolkit's web-config file (--web.config.file), read strictly.
struct WebConfigFile {
  std::optional<TlsServerConfig> tls;                                 // nullopt: plain HTTP
  std::vector<std::pair<std::string, std::string>> basic_auth_users;  // user → bcrypt hash, in file order
  std::vector<std::pair<std::string, std::string>> headers;           // http_server_config.headers
  bool http2 = true;                                                  // accepted; civetweb serves HTTP/1.1
  std::optional<RateLimitConfig> rate_limit;
  // Every file the configuration was read from (the file itself first, then cert, key and CA files): a change
  // to any of them is a change of the configuration.
  std::vector<std::string> sources;
};

// A web-config file that cannot be used. what() names the key ("tls_server_config.key_file: ...") or, for YAML
// that does not parse, the line.
class WebConfigError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Reads and validates the file; relative paths in it are resolved against its directory. Throws WebConfigError.
WebConfigFile ReadWebConfigFile(const std::string& path);

// ReadWebConfigFile on text already read from path (which names it in errors and resolves its relative paths).
WebConfigFile ParseWebConfig(const std::string& text, const std::string& path);

}  // namespace hw_exporter

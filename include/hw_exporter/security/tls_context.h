#pragma once

#include <memory>
#include <stdexcept>

#include "hw_exporter/security/web_config_file.h"

struct ssl_ctx_st;  // OpenSSL's SSL_CTX

namespace hw_exporter {

// A tls_server_config that OpenSSL refuses: a certificate or key that does not parse, a key that does not match the
// certificate, a client CA bundle without a certificate, a cipher or curve list it does not know.
class TlsConfigError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The server side of TLS: one SSL_CTX, shared by every connection, which takes its settings per handshake (when the
// client's hello arrives) from the current TlsServerConfig. So Update() applies a new certificate, key, client CA or
// policy to the next connection, while connections under way keep what they negotiated.
class TlsContext {
 public:
  explicit TlsContext(const TlsServerConfig& config);  // throws TlsConfigError
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  // Throws TlsConfigError and keeps the settings in force when the new ones cannot be used.
  void Update(const TlsServerConfig& config);

  ssl_ctx_st* native() const;

  struct Settings;  // what a handshake applies, built once per configuration

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace hw_exporter

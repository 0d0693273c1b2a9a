#include "hw_exporter/security/tls_context.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <mutex>
#include <string>
#include <vector>

namespace hw_exporter {

namespace {

struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
struct KeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct StoreFree {
  void operator()(X509_STORE* p) const { X509_STORE_free(p); }
};
struct ChainFree {
  void operator()(STACK_OF(X509) * p) const { sk_X509_pop_free(p, X509_free); }
};
struct NamesFree {
  void operator()(STACK_OF(X509_NAME) * p) const { sk_X509_NAME_pop_free(p, X509_NAME_free); }
};
struct BioFree {
  void operator()(BIO* p) const { BIO_free(p); }
};
struct SslFree {
  void operator()(SSL* p) const { SSL_free(p); }
};

// OpenSSL's queued reasons for the last failure, oldest first; the queue is left empty.
std::string OpenSslReason() {
  std::string reason;
  while (unsigned long code = ERR_get_error()) {
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    if (!reason.empty()) reason += "; ";
    reason += text;
  }
  return reason.empty() ? "unknown error" : reason;
}

std::unique_ptr<BIO, BioFree> ReadOnlyBio(const std::string& pem) {
  return std::unique_ptr<BIO, BioFree>(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

// Every certificate of a PEM bundle, in order. Reading stops at the first block that is not one; only the
// end of the text is not an error.
std::vector<std::unique_ptr<X509, X509Free>> ReadCertificates(const std::string& pem, const char* what) {
  std::vector<std::unique_ptr<X509, X509Free>> certificates;
  auto bio = ReadOnlyBio(pem);
  while (X509* certificate = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr))
    certificates.emplace_back(certificate);
  unsigned long last = ERR_peek_last_error();
  if (ERR_GET_LIB(last) == ERR_LIB_PEM && ERR_GET_REASON(last) == PEM_R_NO_START_LINE && !certificates.empty())
    ERR_clear_error();
  if (certificates.empty() || ERR_peek_error() != 0)
    throw TlsConfigError(std::string(what) + " is not a PEM certificate: " + OpenSslReason());
  return certificates;
}

std::unique_ptr<EVP_PKEY, KeyFree> ReadKey(const std::string& pem) {
  auto bio = ReadOnlyBio(pem);
  // A key under a passphrase would make OpenSSL prompt on the terminal: refuse it instead.
  auto no_passphrase = [](char*, int, int, void*) { return 0; };
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr);
  if (!key) throw TlsConfigError("the key is not an unencrypted PEM private key: " + OpenSslReason());
  return std::unique_ptr<EVP_PKEY, KeyFree>(key);
}

// Whether Go's crypto/tls would verify the client's chain under this policy: RequestClientCert and
// RequireAnyClientCert take whatever certificate comes.
bool VerifiesChain(ClientAuth auth) {
  return auth == ClientAuth::kVerifyClientCertIfGiven || auth == ClientAuth::kRequireAndVerifyClientCert;
}

int VerifyMode(ClientAuth auth) {
  switch (auth) {
    case ClientAuth::kNoClientCert: return SSL_VERIFY_NONE;
    case ClientAuth::kRequestClientCert:
    case ClientAuth::kVerifyClientCertIfGiven: return SSL_VERIFY_PEER;
    case ClientAuth::kRequireAnyClientCert:
    case ClientAuth::kRequireAndVerifyClientCert: return SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
  }
  return SSL_VERIFY_NONE;
}

std::string Join(const std::vector<std::string>& parts, char separator) {
  std::string joined;
  for (const auto& part : parts) {
    if (!joined.empty()) joined += separator;
    joined += part;
  }
  return joined;
}

// The text of one subject alternative name as Go prints it (an IP address in its canonical form), or "" for a
// kind that client_allowed_sans cannot name.
std::string SanText(const GENERAL_NAME& name) {
  switch (name.type) {
    case GEN_DNS:
    case GEN_EMAIL:
    case GEN_URI: {
      const ASN1_STRING* text = name.d.ia5;
      return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(text)),
                         static_cast<size_t>(ASN1_STRING_length(text)));
    }
    case GEN_IPADD: {
      const ASN1_OCTET_STRING* address = name.d.iPAddress;
      int length = ASN1_STRING_length(address);
      if (length != 4 && length != 16) return "";
      char text[INET6_ADDRSTRLEN] = "";
      inet_ntop(length == 4 ? AF_INET : AF_INET6, ASN1_STRING_get0_data(address), text, sizeof text);
      return text;
    }
    default: return "";
  }
}

// Called by OpenSSL for each certificate of the client's chain.
int VerifyClient(int chain_verified, X509_STORE_CTX* store);

bool HasAllowedSan(X509* certificate, const std::vector<std::string>& allowed) {
  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr));
  bool found = false;
  for (int i = 0; names && !found && i < sk_GENERAL_NAME_num(names); ++i) {
    std::string text = SanText(*sk_GENERAL_NAME_value(names, i));
    found = !text.empty() && std::find(allowed.begin(), allowed.end(), text) != allowed.end();
  }
  GENERAL_NAMES_free(names);
  return found;
}

}  // namespace

struct TlsContext::Settings {
  std::unique_ptr<X509, X509Free> certificate;
  std::unique_ptr<STACK_OF(X509), ChainFree> chain{sk_X509_new_null()};
  std::unique_ptr<EVP_PKEY, KeyFree> key;
  std::unique_ptr<X509_STORE, StoreFree> client_cas;  // null: no client CA configured
  std::unique_ptr<STACK_OF(X509_NAME), NamesFree> client_ca_names{sk_X509_NAME_new_null()};
  ClientAuth client_auth = ClientAuth::kNoClientCert;
  std::vector<std::string> allowed_sans;
  int min_version = 0;
  int max_version = 0;
  std::string ciphers;
  std::string groups;
  bool prefer_server_ciphers = true;

  explicit Settings(const TlsServerConfig& config);

  // Sets everything on one connection, as its client's hello arrives. False when OpenSSL refuses a value.
  bool ApplyTo(SSL* ssl) const;

  // OpenSSL's verdict on the client's chain, overruled where the policy says so, and the leaf's names checked.
  bool Accepts(bool chain_verified, int depth, X509* presented) const {
    if (!chain_verified && VerifiesChain(client_auth)) return false;
    return depth != 0 || allowed_sans.empty() || HasAllowedSan(presented, allowed_sans);
  }
};

TlsContext::Settings::Settings(const TlsServerConfig& config)
    : client_auth(config.client_auth),
      allowed_sans(config.client_allowed_sans),
      min_version(config.min_version),
      max_version(config.max_version),
      ciphers(Join(config.cipher_suites, ':')),
      groups(Join(config.curve_preferences, ':')),
      prefer_server_ciphers(config.prefer_server_cipher_suites) {
  auto certificates = ReadCertificates(config.cert_pem, "the certificate");
  certificate = std::move(certificates.front());
  for (size_t i = 1; i < certificates.size(); ++i) sk_X509_push(chain.get(), certificates[i].release());
  key = ReadKey(config.key_pem);
  if (X509_check_private_key(certificate.get(), key.get()) != 1)
    throw TlsConfigError("the key does not belong to the certificate: " + OpenSslReason());
  client_cas.reset(X509_STORE_new());
  if (config.client_ca_pem.empty()) {
    // A verifying policy without a client CA trusts the system's roots, as Go does.
    if (VerifiesChain(client_auth)) X509_STORE_set_default_paths(client_cas.get());
    return;
  }
  for (auto& ca : ReadCertificates(config.client_ca_pem, "the client CA")) {
    X509_STORE_add_cert(client_cas.get(), ca.get());
    sk_X509_NAME_push(client_ca_names.get(), X509_NAME_dup(X509_get_subject_name(ca.get())));
  }
}

bool TlsContext::Settings::ApplyTo(SSL* ssl) const {
  // OpenSSL 3 refuses TLS 1.0 and 1.1 at its default security level (they sign with SHA-1); Go does not. An
  // operator who asks for them gets them, as with exporter-toolkit.
  if (min_version != 0 && min_version < TLS1_2_VERSION) SSL_set_security_level(ssl, 0);
  if (!SSL_set_min_proto_version(ssl, min_version) || !SSL_set_max_proto_version(ssl, max_version)) return false;
  if (!ciphers.empty() && !SSL_set_cipher_list(ssl, ciphers.c_str())) return false;
  if (!groups.empty() && !SSL_set1_groups_list(ssl, groups.c_str())) return false;
  if (prefer_server_ciphers) SSL_set_options(ssl, SSL_OP_CIPHER_SERVER_PREFERENCE);
  else SSL_clear_options(ssl, SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (!SSL_use_cert_and_key(ssl, certificate.get(), key.get(), chain.get(), 1)) return false;
  if (client_cas && !SSL_set1_verify_cert_store(ssl, client_cas.get())) return false;
  if (sk_X509_NAME_num(client_ca_names.get()) > 0) SSL_set_client_CA_list(ssl, SSL_dup_CA_list(client_ca_names.get()));
  SSL_set_verify(ssl, VerifyMode(client_auth), &VerifyClient);
  return true;
}

namespace {

using SettingsRef = std::shared_ptr<const TlsContext::Settings>;

// Each connection holds the settings it was set up with, so that its certificate checks use them even after
// an update; the reference goes with the connection.
void ReleaseSettings(void*, void* reference, CRYPTO_EX_DATA*, int, long, void*) {
  delete static_cast<SettingsRef*>(reference);
}

int SettingsIndex() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, &ReleaseSettings);
  return index;
}

const TlsContext::Settings* SettingsOf(const SSL* ssl) {
  auto* reference = static_cast<SettingsRef*>(SSL_get_ex_data(ssl, SettingsIndex()));
  return reference ? reference->get() : nullptr;
}

// The settings the next handshake takes.
class CurrentSettings {
 public:
  SettingsRef Get() const {
    std::lock_guard lock(mutex_);
    return settings_;
  }
  void Set(SettingsRef settings) {
    std::lock_guard lock(mutex_);
    settings_ = std::move(settings);
  }

 private:
  mutable std::mutex mutex_;
  SettingsRef settings_;
};

int OnClientHello(SSL* ssl, int* alert, void* current) {
  if (SettingsOf(ssl)) return SSL_CLIENT_HELLO_SUCCESS;  // the second hello after a retry request keeps the first's
  SettingsRef settings = static_cast<const CurrentSettings*>(current)->Get();
  if (!settings->ApplyTo(ssl)) {
    *alert = SSL_AD_INTERNAL_ERROR;
    return SSL_CLIENT_HELLO_ERROR;
  }
  SSL_set_ex_data(ssl, SettingsIndex(), new SettingsRef(std::move(settings)));
  return SSL_CLIENT_HELLO_SUCCESS;
}

int VerifyClient(int chain_verified, X509_STORE_CTX* store) {
  auto* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  const TlsContext::Settings* settings = SettingsOf(ssl);
  return settings && settings->Accepts(chain_verified == 1, X509_STORE_CTX_get_error_depth(store),
                                       X509_STORE_CTX_get_current_cert(store));
}

}  // namespace

struct TlsContext::State {
  SSL_CTX* ctx = nullptr;
  CurrentSettings current;
};

TlsContext::TlsContext(const TlsServerConfig& config) : state_(std::make_unique<State>()) {
  state_->ctx = SSL_CTX_new(TLS_server_method());
  if (!state_->ctx) throw TlsConfigError("cannot create a TLS context: " + OpenSslReason());
  SSL_CTX_set_client_hello_cb(state_->ctx, &OnClientHello, &state_->current);
  SSL_CTX_set_options(state_->ctx, SSL_OP_NO_RENEGOTIATION);
  // Sessions are resumed only by the server that made them; OpenSSL refuses to resume a verified session
  // without an id context.
  static const unsigned char kSessionContext[] = "hw_exporter";
  SSL_CTX_set_session_id_context(state_->ctx, kSessionContext, sizeof kSessionContext - 1);
  Update(config);
}

TlsContext::~TlsContext() { SSL_CTX_free(state_->ctx); }

void TlsContext::Update(const TlsServerConfig& config) {
  auto settings = std::make_shared<const Settings>(config);
  // Try the settings on a connection that is never used, so that a cipher or curve OpenSSL does not know is
  // refused now rather than at a client's hello.
  std::unique_ptr<SSL, SslFree> trial(SSL_new(state_->ctx));
  if (!trial || !settings->ApplyTo(trial.get()))
    throw TlsConfigError("OpenSSL refuses tls_server_config: " + OpenSslReason());
  state_->current.Set(std::move(settings));
}

ssl_ctx_st* TlsContext::native() const { return state_->ctx; }

}  // namespace hw_exporter

#include "tls_section.h"

#include <array>
#include <filesystem>
#include <string_view>
#include <utility>

#include "hw_exporter/core/fs.h"
#include "tls_names.h"
#include "yaml_values.h"

namespace hw_exporter::security_internal {

namespace {

const std::string kSection = "tls_server_config";

// A certificate chain or CA bundle is a few KiB; a file of a MiB is not one, and the bound keeps a wrong path
// (a log file, /dev/zero) from costing more than that.
constexpr size_t kMaxPemFileBytes = size_t{1} << 20;

// The values as written, before the files are read.
struct TlsFields {
  std::string cert_file, key_file, client_ca_file;
  std::string cert, key, client_ca;
  std::string client_auth_type;
};

// clang-format off
constexpr std::array<std::pair<std::string_view, ClientAuth>, 7> kClientAuths{{
    {"",                           ClientAuth::kNoClientCert},
    {"NoClientCert",               ClientAuth::kNoClientCert},
    {"RequestClientCert",          ClientAuth::kRequestClientCert},
    {"RequireAnyClientCert",       ClientAuth::kRequireAnyClientCert},
    {"RequireClientCert",          ClientAuth::kRequireAnyClientCert},  // exporter-toolkit's older name
    {"VerifyClientCertIfGiven",    ClientAuth::kVerifyClientCertIfGiven},
    {"RequireAndVerifyClientCert", ClientAuth::kRequireAndVerifyClientCert},
}};
// clang-format on

ClientAuth ParseClientAuth(const std::string& name, const std::string& path) {
  for (const auto& [known, value] : kClientAuths) {
    if (known == name) return value;
  }
  throw KeyError(path, "unknown client auth type " + name);
}

int ParseVersion(const YAML::Node& node, const std::string& path, int absent) {
  const std::string name = ReadString(node, path);
  if (name.empty()) return absent;
  if (const std::optional<int> version = FindTlsVersion(name)) return *version;
  throw KeyError(path, "unknown TLS version " + name + " (TLS10, TLS11, TLS12 or TLS13)");
}

// OpenSSL names of the suites for TLS 1.2 and older. TLS 1.3 names are accepted and left out: Go takes them in
// its list and then ignores them, since TLS 1.3's suites are not configurable there.
std::vector<std::string> ParseCipherSuites(const YAML::Node& node, const std::string& path) {
  std::vector<std::string> suites;
  const std::vector<std::string> names = ReadStrings(node, path);
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    const std::optional<CipherName> cipher = FindCipher(names[i]);
    if (!cipher) throw KeyError(item_path, "unknown cipher suite " + names[i]);
    if (cipher->kind == CipherKind::kInsecure) {
      throw KeyError(item_path, names[i] + " is an insecure cipher suite, which exporter-toolkit does not accept");
    }
    if (cipher->kind == CipherKind::kUsable) suites.emplace_back(cipher->openssl);
  }
  return suites;
}

std::vector<std::string> ParseCurves(const YAML::Node& node, const std::string& path) {
  std::vector<std::string> curves;
  const std::vector<std::string> names = ReadStrings(node, path);
  for (size_t i = 0; i < names.size(); ++i) {
    const std::optional<std::string_view> curve = FindCurve(names[i]);
    if (!curve) {
      throw KeyError(path + "[" + std::to_string(i) + "]",
                     "unknown curve " + names[i] + " (CurveP256, CurveP384, CurveP521 or X25519)");
    }
    curves.emplace_back(*curve);
  }
  return curves;
}

std::string ReadPemFile(const std::string& file, const std::string& key_path, const std::string& directory,
                        std::vector<std::string>& sources) {
  const std::string path = (std::filesystem::path(directory) / file).string();
  int error = 0;
  std::optional<std::string> contents = TryReadRegularFile(path, &error, kMaxPemFileBytes);
  if (!contents) throw KeyError(key_path, std::string("cannot read ") + FsError(path, error, kMaxPemFileBytes).what());
  sources.push_back(path);
  return *std::move(contents);
}

// One PEM, from a file or inline. exporter-toolkit takes the file when both are set and ignores the other; that
// one of the two goes unused is surely a mistake, so it is refused.
std::string ReadPem(const Mapping& tls, const std::string& file, const std::string& text, std::string_view file_key,
                    std::string_view inline_key, const std::string& directory, std::vector<std::string>& sources) {
  if (!file.empty() && !text.empty()) {
    throw KeyError(tls.PathOf(inline_key), "set together with " + std::string(file_key) + "; use one of them");
  }
  if (file.empty()) return text;
  return ReadPemFile(file, tls.PathOf(file_key), directory, sources);
}

TlsFields ReadFields(const Mapping& tls) {
  TlsFields fields;
  fields.cert_file = ReadString(tls.Get("cert_file"), tls.PathOf("cert_file"));
  fields.key_file = ReadString(tls.Get("key_file"), tls.PathOf("key_file"));
  fields.client_ca_file = ReadString(tls.Get("client_ca_file"), tls.PathOf("client_ca_file"));
  fields.cert = ReadString(tls.Get("cert"), tls.PathOf("cert"));
  fields.key = ReadString(tls.Get("key"), tls.PathOf("key"));
  fields.client_ca = ReadString(tls.Get("client_ca"), tls.PathOf("client_ca"));
  fields.client_auth_type = ReadString(tls.Get("client_auth_type"), tls.PathOf("client_auth_type"));
  return fields;
}

bool TurnsTlsOn(const TlsFields& fields) {
  return !fields.cert_file.empty() || !fields.key_file.empty() || !fields.cert.empty() || !fields.key.empty() ||
         !fields.client_ca_file.empty() || !fields.client_ca.empty() || !fields.client_auth_type.empty();
}

// The settings other than the PEMs: read (and so checked) whether or not TLS ends up on, as yaml.v2 checks every
// value it decodes.
TlsServerConfig ReadSettings(const Mapping& tls, const TlsFields& fields) {
  TlsServerConfig config;
  config.client_auth = ParseClientAuth(fields.client_auth_type, tls.PathOf("client_auth_type"));
  config.client_allowed_sans = ReadStrings(tls.Get("client_allowed_sans"), tls.PathOf("client_allowed_sans"));
  config.min_version = ParseVersion(tls.Get("min_version"), tls.PathOf("min_version"), config.min_version);
  config.max_version = ParseVersion(tls.Get("max_version"), tls.PathOf("max_version"), config.max_version);
  config.cipher_suites = ParseCipherSuites(tls.Get("cipher_suites"), tls.PathOf("cipher_suites"));
  config.curve_preferences = ParseCurves(tls.Get("curve_preferences"), tls.PathOf("curve_preferences"));
  config.prefer_server_cipher_suites =
      ReadBool(tls.Get("prefer_server_cipher_suites"), tls.PathOf("prefer_server_cipher_suites")).value_or(true);
  return config;
}

void CheckPolicies(const Mapping& tls, const TlsFields& fields, const TlsServerConfig& config) {
  if (config.max_version != 0 && config.min_version > config.max_version) {
    throw KeyError(tls.PathOf("max_version"), "lower than min_version");
  }
  const bool no_client_cert = config.client_auth == ClientAuth::kNoClientCert;
  if (no_client_cert && (!fields.client_ca_file.empty() || !fields.client_ca.empty())) {
    throw KeyError(tls.PathOf(fields.client_ca_file.empty() ? "client_ca" : "client_ca_file"),
                   "client CA configured without a client auth policy (client_auth_type)");
  }
  // exporter-toolkit accepts this and never checks the names, since no client is asked for a certificate: a
  // restriction that silently does nothing is refused instead.
  if (no_client_cert && !config.client_allowed_sans.empty()) {
    throw KeyError(tls.PathOf("client_allowed_sans"),
                   "needs a client_auth_type that asks for a client certificate; with NoClientCert none is checked");
  }
}

}  // namespace

std::optional<TlsServerConfig> ReadTlsSection(const YAML::Node& node, const std::string& directory,
                                              std::vector<std::string>& sources) {
  const Mapping tls(node, kSection,
                    {"cert_file", "key_file", "cert", "key", "client_auth_type", "client_ca_file", "client_ca",
                     "client_allowed_sans", "min_version", "max_version", "cipher_suites", "curve_preferences",
                     "prefer_server_cipher_suites"});
  const TlsFields fields = ReadFields(tls);
  TlsServerConfig config = ReadSettings(tls, fields);
  CheckPolicies(tls, fields, config);
  if (!TurnsTlsOn(fields)) return std::nullopt;
  if (fields.cert_file.empty() && fields.cert.empty()) throw KeyError(kSection, "missing one of cert or cert_file");
  if (fields.key_file.empty() && fields.key.empty()) throw KeyError(kSection, "missing one of key or key_file");
  config.cert_pem = ReadPem(tls, fields.cert_file, fields.cert, "cert_file", "cert", directory, sources);
  config.key_pem = ReadPem(tls, fields.key_file, fields.key, "key_file", "key", directory, sources);
  config.client_ca_pem = ReadPem(tls, fields.client_ca_file, fields.client_ca, "client_ca_file", "client_ca", directory,
                                 sources);
  return config;
}

}  // namespace hw_exporter::security_internal

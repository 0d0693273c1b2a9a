#include "hw_exporter/security/web_config_file.h"

#include <gtest/gtest.h>
#include <openssl/ssl.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>

#include "support/test_support.h"

namespace hw_exporter {
namespace {

using namespace std::chrono_literals;
using testing::TempDir;

class WebConfig : public ::testing::Test {
 protected:
  std::string Write(const std::string& yaml) { return dir_.Write("web.yml", yaml); }
  WebConfigFile Read(const std::string& yaml) { return ReadWebConfigFile(Write(yaml)); }

  // Passes when reading fails with exactly "<file>: <message>".
  ::testing::AssertionResult Fails(const std::string& yaml, const std::string& message) {
    const std::string path = Write(yaml);
    try {
      ReadWebConfigFile(path);
    } catch (const WebConfigError& error) {
      if (error.what() == path + ": " + message) return ::testing::AssertionSuccess();
      return ::testing::AssertionFailure() << "failed with: " << error.what();
    }
    return ::testing::AssertionFailure() << "read without an error";
  }

  // A cert and a key beside the file; their contents are not PEM since nothing here parses them.
  void WriteKeyPair() {
    dir_.Write("server.crt", "CERT");
    dir_.Write("server.key", "KEY");
  }

  TempDir dir_;
};

constexpr const char* kTlsFiles =
    "tls_server_config:\n"
    "  cert_file: server.crt\n"
    "  key_file: server.key\n";

TEST_F(WebConfig, EmptyFileMeansPlainHttpWithoutAuth) {
  for (const char* yaml : {"", "# only a comment\n", "{}\n", "---\n"}) {
    SCOPED_TRACE(yaml);
    const std::string path = Write(yaml);
    const WebConfigFile config = ReadWebConfigFile(path);
    EXPECT_FALSE(config.tls);
    EXPECT_TRUE(config.basic_auth_users.empty());
    EXPECT_TRUE(config.headers.empty());
    EXPECT_TRUE(config.http2);
    EXPECT_FALSE(config.rate_limit);
    EXPECT_EQ(config.sources, std::vector<std::string>{path});
  }
}

TEST_F(WebConfig, EmptySectionsAreAbsentOnes) {
  const WebConfigFile config = Read("tls_server_config:\nhttp_server_config:\nbasic_auth_users:\nrate_limit:\n");
  EXPECT_FALSE(config.tls);
  EXPECT_TRUE(config.http2);
  EXPECT_FALSE(config.rate_limit);
}

TEST_F(WebConfig, UnknownKeysAreNamedWithTheirPath) {
  EXPECT_TRUE(Fails("tls_sever_config: {}\n", "tls_sever_config: unknown key"));
  EXPECT_TRUE(Fails("tls_server_config:\n  cert_flie: a.crt\n", "tls_server_config.cert_flie: unknown key"));
  EXPECT_TRUE(Fails("http_server_config:\n  http3: true\n", "http_server_config.http3: unknown key"));
  EXPECT_TRUE(Fails("rate_limit:\n  bursts: 3\n", "rate_limit.bursts: unknown key"));
}

TEST_F(WebConfig, RepeatedKeysAreErrors) {
  EXPECT_TRUE(Fails("rate_limit: {}\nrate_limit: {}\n", "rate_limit: repeated key"));
  EXPECT_TRUE(Fails("basic_auth_users:\n  alice: a\n  alice: b\n", "basic_auth_users.alice: repeated key"));
}

TEST_F(WebConfig, MalformedYamlNamesTheLine) {
  const std::string path = Write("basic_auth_users:\n  alice: x\n  bob: [unclosed\n");
  try {
    ReadWebConfigFile(path);
    FAIL() << "read without an error";
  } catch (const WebConfigError& error) {
    EXPECT_EQ(std::string(error.what()).rfind(path + ": line ", 0), 0u) << error.what();
  }
  EXPECT_TRUE(Fails("a: b\n c: d\n", "line 2: illegal map value"));
}

TEST_F(WebConfig, TheTopLevelMustBeAMapping) {
  EXPECT_TRUE(Fails("- tls_server_config\n", "expected a mapping, got a list"));
  EXPECT_TRUE(Fails("plain\n", "expected a mapping, got a scalar"));
}

TEST_F(WebConfig, AMissingFileIsAnError) {
  const std::string path = dir_.path() + "/absent.yml";
  try {
    ReadWebConfigFile(path);
    FAIL() << "read without an error";
  } catch (const WebConfigError& error) {
    EXPECT_EQ(error.what(), path + ": No such file or directory");
  }
}

TEST_F(WebConfig, ReadsEveryTlsSetting) {
  WriteKeyPair();
  dir_.Write("certs/ca.pem", "CA");
  const std::string path = Write(
      "tls_server_config:\n"
      "  cert_file: server.crt\n"
      "  key_file: server.key\n"
      "  client_ca_file: certs/ca.pem\n"
      "  client_auth_type: RequireAndVerifyClientCert\n"
      "  client_allowed_sans: [scraper.example.com, 10.0.0.1]\n"
      "  min_version: TLS13\n"
      "  max_version: TLS13\n"
      "  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256]\n"
      "  curve_preferences: [X25519, CurveP256, CurveP384, CurveP521]\n"
      "  prefer_server_cipher_suites: false\n");
  const WebConfigFile config = ReadWebConfigFile(path);
  ASSERT_TRUE(config.tls);
  const TlsServerConfig& tls = *config.tls;
  EXPECT_EQ(tls.cert_pem, "CERT");
  EXPECT_EQ(tls.key_pem, "KEY");
  EXPECT_EQ(tls.client_ca_pem, "CA");
  EXPECT_EQ(tls.client_auth, ClientAuth::kRequireAndVerifyClientCert);
  EXPECT_EQ(tls.client_allowed_sans, (std::vector<std::string>{"scraper.example.com", "10.0.0.1"}));
  EXPECT_EQ(tls.min_version, TLS1_3_VERSION);
  EXPECT_EQ(tls.max_version, TLS1_3_VERSION);
  EXPECT_EQ(tls.cipher_suites,
            (std::vector<std::string>{"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-CHACHA20-POLY1305"}));
  EXPECT_EQ(tls.curve_preferences, (std::vector<std::string>{"X25519", "P-256", "P-384", "P-521"}));
  EXPECT_FALSE(tls.prefer_server_cipher_suites);
  const std::string dir = dir_.path();
  EXPECT_EQ(config.sources,
            (std::vector<std::string>{path, dir + "/server.crt", dir + "/server.key", dir + "/certs/ca.pem"}));
}

TEST_F(WebConfig, TlsDefaults) {
  WriteKeyPair();
  const WebConfigFile config = Read(kTlsFiles);
  ASSERT_TRUE(config.tls);
  EXPECT_EQ(config.tls->client_auth, ClientAuth::kNoClientCert);
  EXPECT_EQ(config.tls->min_version, TLS1_2_VERSION);
  EXPECT_EQ(config.tls->max_version, 0);
  EXPECT_TRUE(config.tls->cipher_suites.empty());
  EXPECT_TRUE(config.tls->curve_preferences.empty());
  EXPECT_TRUE(config.tls->prefer_server_cipher_suites);
  EXPECT_TRUE(config.tls->client_ca_pem.empty());
}

TEST_F(WebConfig, InlinePemsAreReadAsWritten) {
  const WebConfigFile config = Read(
      "tls_server_config:\n"
      "  cert: |\n"
      "    -----BEGIN CERTIFICATE-----\n"
      "    abc\n"
      "  key: KEY\n"
      "  client_ca: CA\n"
      "  client_auth_type: RequireClientCert\n");
  ASSERT_TRUE(config.tls);
  EXPECT_EQ(config.tls->cert_pem, "-----BEGIN CERTIFICATE-----\nabc\n");
  EXPECT_EQ(config.tls->key_pem, "KEY");
  EXPECT_EQ(config.tls->client_ca_pem, "CA");
  EXPECT_EQ(config.tls->client_auth, ClientAuth::kRequireAnyClientCert);
  EXPECT_EQ(config.sources.size(), 1u);
}

TEST_F(WebConfig, AbsolutePathsAreKept) {
  TempDir elsewhere;
  const std::string cert = elsewhere.Write("a.crt", "CERT");
  dir_.Write("server.key", "KEY");
  const WebConfigFile config = Read("tls_server_config:\n  cert_file: " + cert + "\n  key_file: server.key\n");
  ASSERT_TRUE(config.tls);
  EXPECT_EQ(config.tls->cert_pem, "CERT");
  EXPECT_EQ(config.sources.at(1), cert);
}

TEST_F(WebConfig, UnreadableFilesAreNamedWithTheirKey) {
  dir_.Write("server.crt", "CERT");
  const std::string key = dir_.path() + "/server.key";
  EXPECT_TRUE(Fails(kTlsFiles, "tls_server_config.key_file: cannot read " + key + ": No such file or directory"));
  std::filesystem::create_directory(key);
  EXPECT_TRUE(Fails(kTlsFiles, "tls_server_config.key_file: cannot read " + key + ": not a regular file"));
}

TEST_F(WebConfig, FilesOverAMebibyteAreRefused) {
  dir_.Write("server.crt", std::string((1 << 20) + 1, 'x'));
  dir_.Write("server.key", "KEY");
  EXPECT_TRUE(Fails(kTlsFiles, "tls_server_config.cert_file: cannot read " + dir_.path() +
                                   "/server.crt: larger than 1048576 bytes"));
}

TEST_F(WebConfig, AFileAndAnInlineValueForOneThingAreRefused) {
  WriteKeyPair();
  EXPECT_TRUE(Fails(std::string(kTlsFiles) + "  cert: CERT\n",
                    "tls_server_config.cert: set together with cert_file; use one of them"));
  EXPECT_TRUE(Fails(std::string(kTlsFiles) + "  key: KEY\n",
                    "tls_server_config.key: set together with key_file; use one of them"));
  dir_.Write("ca.pem", "CA");
  EXPECT_TRUE(Fails(std::string(kTlsFiles) +
                        "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.pem\n  client_ca: CA\n",
                    "tls_server_config.client_ca: set together with client_ca_file; use one of them"));
}

TEST_F(WebConfig, TlsNeedsACertificateAndAKey) {
  EXPECT_TRUE(Fails("tls_server_config:\n  key: KEY\n", "tls_server_config: missing one of cert or cert_file"));
  EXPECT_TRUE(Fails("tls_server_config:\n  cert: CERT\n", "tls_server_config: missing one of key or key_file"));
  // Any of the keys exporter-toolkit looks at turns TLS on, the client auth type too.
  EXPECT_TRUE(Fails("tls_server_config:\n  client_auth_type: RequestClientCert\n",
                    "tls_server_config: missing one of cert or cert_file"));
  // An empty string is no value, as in Go.
  EXPECT_TRUE(Fails("tls_server_config:\n  cert_file: ''\n  key: KEY\n",
                    "tls_server_config: missing one of cert or cert_file"));
}

TEST_F(WebConfig, SettingsWithoutACertificateLeaveTlsOffButAreChecked) {
  EXPECT_FALSE(Read("tls_server_config:\n  min_version: TLS13\n  cipher_suites: []\n").tls);
  EXPECT_TRUE(Fails("tls_server_config:\n  cipher_suites: [TLS_MADE_UP]\n",
                    "tls_server_config.cipher_suites[0]: unknown cipher suite TLS_MADE_UP"));
}

TEST_F(WebConfig, ClientAuthTypes) {
  const std::pair<const char*, ClientAuth> cases[] = {
      {"NoClientCert", ClientAuth::kNoClientCert},
      {"RequestClientCert", ClientAuth::kRequestClientCert},
      {"RequireAnyClientCert", ClientAuth::kRequireAnyClientCert},
      {"RequireClientCert", ClientAuth::kRequireAnyClientCert},
      {"VerifyClientCertIfGiven", ClientAuth::kVerifyClientCertIfGiven},
      {"RequireAndVerifyClientCert", ClientAuth::kRequireAndVerifyClientCert},
  };
  for (const auto& [name, expected] : cases) {
    SCOPED_TRACE(name);
    const WebConfigFile config = Read(std::string("tls_server_config:\n  cert: C\n  key: K\n  client_auth_type: ") +
                                      name + "\n");
    ASSERT_TRUE(config.tls);
    EXPECT_EQ(config.tls->client_auth, expected);
  }
  EXPECT_TRUE(Fails("tls_server_config:\n  cert: C\n  key: K\n  client_auth_type: RequireSomething\n",
                    "tls_server_config.client_auth_type: unknown client auth type RequireSomething"));
}

TEST_F(WebConfig, AClientCaNeedsAClientAuthPolicy) {
  for (const char* auth : {"", "  client_auth_type: NoClientCert\n"}) {
    SCOPED_TRACE(auth);
    EXPECT_TRUE(Fails(std::string("tls_server_config:\n  cert: C\n  key: K\n  client_ca: CA\n") + auth,
                      "tls_server_config.client_ca: client CA configured without a client auth policy "
                      "(client_auth_type)"));
  }
}

TEST_F(WebConfig, VerifyingWithoutAClientCaIsAcceptedAsExporterToolkitDoes) {
  const WebConfigFile config =
      Read("tls_server_config:\n  cert: C\n  key: K\n  client_auth_type: VerifyClientCertIfGiven\n");
  ASSERT_TRUE(config.tls);
  EXPECT_TRUE(config.tls->client_ca_pem.empty());
}

TEST_F(WebConfig, AllowedSansNeedAClientCertificate) {
  EXPECT_TRUE(Fails("tls_server_config:\n  cert: C\n  key: K\n  client_allowed_sans: [a]\n",
                    "tls_server_config.client_allowed_sans: needs a client_auth_type that asks for a client "
                    "certificate; with NoClientCert none is checked"));
  const WebConfigFile config = Read(
      "tls_server_config:\n  cert: C\n  key: K\n  client_auth_type: RequireAnyClientCert\n"
      "  client_allowed_sans: [a]\n");
  ASSERT_TRUE(config.tls);
  EXPECT_EQ(config.tls->client_allowed_sans, std::vector<std::string>{"a"});
}

TEST_F(WebConfig, TlsVersions) {
  const std::pair<const char*, int> cases[] = {
      {"TLS10", TLS1_VERSION}, {"TLS11", TLS1_1_VERSION}, {"TLS12", TLS1_2_VERSION}, {"TLS13", TLS1_3_VERSION}};
  for (const auto& [name, version] : cases) {
    SCOPED_TRACE(name);
    const WebConfigFile config = Read(std::string("tls_server_config:\n  cert: C\n  key: K\n  min_version: ") + name +
                                      "\n  max_version: " + name + "\n");
    ASSERT_TRUE(config.tls);
    EXPECT_EQ(config.tls->min_version, version);
    EXPECT_EQ(config.tls->max_version, version);
  }
  EXPECT_TRUE(Fails("tls_server_config:\n  min_version: TLS1.2\n",
                    "tls_server_config.min_version: unknown TLS version TLS1.2 (TLS10, TLS11, TLS12 or TLS13)"));
  EXPECT_TRUE(Fails("tls_server_config:\n  cert: C\n  key: K\n  min_version: TLS13\n  max_version: TLS12\n",
                    "tls_server_config.max_version: lower than min_version"));
  EXPECT_TRUE(Fails("tls_server_config:\n  cert: C\n  key: K\n  max_version: TLS11\n",
                    "tls_server_config.max_version: lower than min_version"));
}

// Every name crypto/tls's CipherSuites() has for TLS 1.2 and older, each translated to a name OpenSSL takes.
TEST_F(WebConfig, EveryUsableCipherSuiteTranslatesToAnOpenSslOne) {
  const char* const names[] = {
      "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",        "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
      "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",          "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",     "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",       "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
  };
  std::string yaml = "tls_server_config:\n  cipher_suites:\n";
  for (const char* name : names) yaml += std::string("  - ") + name + "\n";
  const WebConfigFile config = Read(yaml + "  cert: C\n  key: K\n");
  ASSERT_TRUE(config.tls);
  ASSERT_EQ(config.tls->cipher_suites.size(), std::size(names));
  SSL_CTX* context = SSL_CTX_new(TLS_server_method());
  ASSERT_NE(context, nullptr);
  for (size_t i = 0; i < std::size(names); ++i) {
    const std::string& openssl = config.tls->cipher_suites[i];
    EXPECT_EQ(SSL_CTX_set_cipher_list(context, openssl.c_str()), 1) << names[i] << " → " << openssl;
    // OpenSSL lists its TLS 1.3 suites first, then the ones the cipher list chose: here the one.
    const STACK_OF(SSL_CIPHER)* ciphers = SSL_CTX_get_ciphers(context);
    const int count = sk_SSL_CIPHER_num(ciphers);
    ASSERT_GT(count, 0);
    EXPECT_EQ(SSL_CIPHER_standard_name(sk_SSL_CIPHER_value(ciphers, count - 1)), std::string(names[i]));
  }
  SSL_CTX_free(context);
}

TEST_F(WebConfig, Tls13CipherSuitesAreAcceptedAndLeftOutAsGoDoes) {
  const WebConfigFile config = Read(
      "tls_server_config:\n  cert: C\n  key: K\n  cipher_suites:\n  - TLS_AES_128_GCM_SHA256\n"
      "  - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\n  - TLS_CHACHA20_POLY1305_SHA256\n");
  ASSERT_TRUE(config.tls);
  EXPECT_EQ(config.tls->cipher_suites, std::vector<std::string>{"ECDHE-RSA-AES128-GCM-SHA256"});
}

TEST_F(WebConfig, InsecureAndUnknownCipherSuitesAreRefused) {
  EXPECT_TRUE(
      Fails("tls_server_config:\n  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, "
            "TLS_RSA_WITH_AES_128_GCM_SHA256]\n",
            "tls_server_config.cipher_suites[1]: TLS_RSA_WITH_AES_128_GCM_SHA256 is an insecure cipher "
            "suite, which exporter-toolkit does not accept"));
  EXPECT_TRUE(Fails("tls_server_config:\n  cipher_suites: [ECDHE-RSA-AES128-GCM-SHA256]\n",
                    "tls_server_config.cipher_suites[0]: unknown cipher suite ECDHE-RSA-AES128-GCM-SHA256"));
}

TEST_F(WebConfig, UnknownCurvesAreRefused) {
  EXPECT_TRUE(Fails("tls_server_config:\n  curve_preferences: [X25519, P-256]\n",
                    "tls_server_config.curve_preferences[1]: unknown curve P-256 (CurveP256, CurveP384, CurveP521 "
                    "or X25519)"));
}

TEST_F(WebConfig, WrongTypesNameTheirKey) {
  EXPECT_TRUE(Fails("tls_server_config:\n  cert_file: [a, b]\n",
                    "tls_server_config.cert_file: expected a string, got a list"));
  EXPECT_TRUE(Fails("tls_server_config:\n  cipher_suites: TLS_AES_128_GCM_SHA256\n",
                    "tls_server_config.cipher_suites: expected a list of strings, got a scalar"));
  EXPECT_TRUE(Fails("tls_server_config:\n  client_allowed_sans: [[a]]\n",
                    "tls_server_config.client_allowed_sans[0]: expected a string, got a list"));
  EXPECT_TRUE(Fails("tls_server_config: [a]\n", "tls_server_config: expected a mapping, got a list"));
  EXPECT_TRUE(Fails("http_server_config:\n  http2: maybe\n",
                    "http_server_config.http2: expected a bool (true or false), got maybe"));
  EXPECT_TRUE(Fails("http_server_config:\n  http2: 'false'\n",
                    "http_server_config.http2: expected a bool (true or false), got false"));
  EXPECT_TRUE(Fails("rate_limit:\n  burst: 1.5\n  interval: 1s\n", "rate_limit.burst: expected an integer, got 1.5"));
}

TEST_F(WebConfig, YamlBoolSpellings) {
  EXPECT_FALSE(Read("http_server_config:\n  http2: no\n").http2);
  EXPECT_FALSE(Read("http_server_config:\n  http2: False\n").http2);
  EXPECT_TRUE(Read("http_server_config:\n  http2: on\n").http2);
}

TEST_F(WebConfig, AllowedHeadersAreKeptInOrder) {
  const WebConfigFile config = Read(
      "http_server_config:\n"
      "  headers:\n"
      "    X-Frame-Options: sameorigin\n"
      "    Content-Security-Policy: default-src 'self'\n"
      "    X-Content-Type-Options: nosniff\n"
      "    Strict-Transport-Security: max-age=31536000\n"
      "    X-XSS-Protection: 1; mode=block\n");
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"X-Frame-Options", "sameorigin"},     {"Content-Security-Policy", "default-src 'self'"},
      {"X-Content-Type-Options", "nosniff"}, {"Strict-Transport-Security", "max-age=31536000"},
      {"X-XSS-Protection", "1; mode=block"},
  };
  EXPECT_EQ(config.headers, expected);
}

TEST_F(WebConfig, OtherHeadersAndValuesAreRefused) {
  EXPECT_TRUE(Fails("http_server_config:\n  headers:\n    Server: hw\n",
                    "http_server_config.headers.Server: HTTP header Server cannot be configured"));
  // Names and values are compared as written, as exporter-toolkit compares them.
  EXPECT_TRUE(Fails("http_server_config:\n  headers:\n    x-frame-options: deny\n",
                    "http_server_config.headers.x-frame-options: HTTP header x-frame-options cannot be configured"));
  EXPECT_TRUE(Fails("http_server_config:\n  headers:\n    X-Frame-Options: DENY\n",
                    "http_server_config.headers.X-Frame-Options: invalid value DENY; expected deny or sameorigin"));
  EXPECT_TRUE(Fails("http_server_config:\n  headers:\n    X-Content-Type-Options: sniff\n",
                    "http_server_config.headers.X-Content-Type-Options: invalid value sniff; expected nosniff"));
}

TEST_F(WebConfig, HeaderValuesCannotBreakTheLine) {
  EXPECT_TRUE(Fails("http_server_config:\n  headers:\n    Content-Security-Policy: \"a\\r\\nSet-Cookie: x\"\n",
                    "http_server_config.headers.Content-Security-Policy: a header value cannot contain a line break "
                    "or NUL"));
}

TEST_F(WebConfig, UsersAreKeptInFileOrder) {
  const WebConfigFile config = Read("basic_auth_users:\n  zoe: $2y$10$z\n  alice: $2y$10$a\n  'bob smith': h\n");
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"zoe", "$2y$10$z"}, {"alice", "$2y$10$a"}, {"bob smith", "h"}};
  EXPECT_EQ(config.basic_auth_users, expected);
}

TEST_F(WebConfig, UsersNeedANameAndAHash) {
  EXPECT_TRUE(Fails("basic_auth_users:\n  '': $2y$10$z\n", "basic_auth_users: a user name is empty"));
  EXPECT_TRUE(Fails("basic_auth_users:\n  ~: $2y$10$z\n", "basic_auth_users: a user name is empty"));
  EXPECT_TRUE(Fails("basic_auth_users:\n  alice:\n", "basic_auth_users.alice: the password hash is empty"));
  EXPECT_TRUE(Fails("basic_auth_users:\n  alice: [a]\n", "basic_auth_users.alice: expected a string, got a list"));
  EXPECT_TRUE(Fails("basic_auth_users: [alice]\n", "basic_auth_users: expected a mapping, got a list"));
}

TEST_F(WebConfig, RateLimit) {
  const WebConfigFile config = Read("rate_limit:\n  interval: 100ms\n  burst: 10\n");
  ASSERT_TRUE(config.rate_limit);
  EXPECT_EQ(config.rate_limit->interval, 100ms);
  EXPECT_EQ(config.rate_limit->burst, 10);
  // yaml.v2 reads an integer as nanoseconds.
  const WebConfigFile nanoseconds = Read("rate_limit:\n  interval: 2000000000\n  burst: 1\n");
  ASSERT_TRUE(nanoseconds.rate_limit);
  EXPECT_EQ(nanoseconds.rate_limit->interval, 2s);
}

TEST_F(WebConfig, AZeroIntervalMeansNoRateLimit) {
  EXPECT_FALSE(Read("rate_limit:\n  interval: 0\n  burst: 0\n").rate_limit);
  EXPECT_FALSE(Read("rate_limit:\n  interval: 0s\n").rate_limit);
}

TEST_F(WebConfig, RateLimitsThatCannotWorkAreRefused) {
  EXPECT_TRUE(Fails("rate_limit:\n  burst: 5\n",
                    "rate_limit.burst: set without an interval, so nothing would be limited"));
  EXPECT_TRUE(Fails("rate_limit:\n  interval: 1s\n",
                    "rate_limit.burst: must be at least 1 when an interval is set; 0 refuses every request"));
  EXPECT_TRUE(Fails("rate_limit:\n  interval: 1s\n  burst: -1\n", "rate_limit.burst: out of range (1 to 2147483647)"));
  EXPECT_TRUE(Fails("rate_limit:\n  interval: 1 second\n  burst: 1\n",
                    "rate_limit.interval: expected a duration such as 1s or 100ms, got 1 second"));
  EXPECT_TRUE(Fails("rate_limit:\n  interval: 1500\n  burst: 1\n",
                    "rate_limit.interval: an integer is nanoseconds, and this is not whole milliseconds"));
  EXPECT_TRUE(Fails("rate_limit:\n  interval: -1000000\n  burst: 1\n", "rate_limit.interval: negative"));
  EXPECT_TRUE(Fails("rate_limit:\n  interval: 366d\n  burst: 1\n", "rate_limit.interval: longer than 1y"));
}

}  // namespace
}  // namespace hw_exporter

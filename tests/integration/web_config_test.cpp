// The web-config file end to end: the daemon behind TLS, client certificates and basic auth, talked to by curl and
// openssl s_client over loopback, with certificates the tests make; reloads without a restart; and the same file
// given to node_exporter, which must answer the same clients the same way.
#include <crypt.h>
#include <gtest/gtest.h>
#include <openssl/ssl.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <thread>

#include "support/daemon.h"
#include "support/exposition_parser.h"
#include "support/prometheus_server.h"
#include "support/raw_connections.h"
#include "support/run_command.h"
#include "support/test_pki.h"

namespace hw_exporter::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kCurl = "/usr/bin/curl";
constexpr const char* kOpenssl = "/usr/bin/openssl";
constexpr const char* kNodeExporter = "/usr/bin/prometheus-node-exporter";

std::string Bcrypt(const std::string& password) {
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  if (!crypt_gensalt_rn("$2b$", 4, nullptr, 0, salt, sizeof salt)) throw std::runtime_error("crypt_gensalt_rn");
  crypt_data data{};
  const char* hash = crypt_rn(password.c_str(), salt, &data, sizeof data);
  if (!hash) throw std::runtime_error("crypt_rn");
  return hash;
}

struct CurlAnswer {
  int exit_code = -1;  // curl's: 0 when an HTTP answer came, another number when TLS or the connection failed
  int status = 0;      // from HTTP/1.1 or, with node_exporter, HTTP/2
  std::string output;  // the response headers, then the body (then curl's own messages with -v)

  // What a client sees: "TLS refused" or the HTTP status.
  std::string Outcome() const { return exit_code == 0 ? std::to_string(status) : "refused"; }
};

// GET over HTTPS, trusting the test CA. `options`: curl's, such as -u user:password or --cert/--key.
CurlAnswer Curl(const TestPki& pki, int port, const std::string& path, std::vector<std::string> options = {}) {
  std::vector<std::string> argv{kCurl, "-s", "-D", "-", "--max-time", "10", "--cacert", pki.ca()};
  argv.insert(argv.end(), options.begin(), options.end());
  argv.push_back("https://127.0.0.1:" + std::to_string(port) + path);
  CommandResult result = RunCommand(argv);
  CurlAnswer answer{result.exit_code, 0, result.output};
  std::smatch status;
  if (std::regex_search(answer.output, status, std::regex("^HTTP/[0-9.]+ (\\d{3})")))
    answer.status = std::stoi(status[1]);
  return answer;
}

std::vector<std::string> ClientCertificate(const std::string& base) {
  return {"--cert", base + ".crt", "--key", base + ".key"};
}

// openssl s_client's handshake at one TLS version: the protocol it agreed, or "" when it was refused.
std::string Handshake(int port, const std::string& version_flag) {
  CommandResult result = RunCommand({kOpenssl, "s_client", "-connect", "127.0.0.1:" + std::to_string(port),
                                     version_flag, "-cipher", "DEFAULT@SECLEVEL=0", "-brief"});
  std::smatch protocol;
  if (result.exit_code == 0 && std::regex_search(result.output, protocol, std::regex("Protocol version: (\\S+)")))
    return protocol[1];
  return "";
}

// Whether the server at the port answers HTTP over TLS at all, to a client that shows `client`'s certificate.
bool AnswersOverTls(int port, const std::string& client) {
  return RunCommand({kCurl, "-sk", "-o", "/dev/null", "--max-time", "2", "--cert", client + ".crt", "--key",
                     client + ".key", "https://127.0.0.1:" + std::to_string(port) + "/-/healthy"})
             .exit_code == 0;
}

// The daemon looks for changes of the web-config file every second.
constexpr auto kReloadWait = 15s;

class WebConfigTest : public ::testing::Test {
 protected:
  WebConfigTest() {
    server_ = pki_.Issue("server", "server-1", "IP:127.0.0.1,DNS:localhost");
    scraper_ = pki_.Issue("scraper", "scraper", "DNS:scraper.example");
    stranger_ = pki_.SelfSigned("stranger");
  }

  // Writes the web-config file: the server's certificate and key, then `rest`.
  std::string WriteConfig(const std::string& rest) {
    return directory_.Write("web.yml", "tls_server_config:\n  cert_file: " + server_ + ".crt\n  key_file: " + server_ +
                                           ".key\n" + rest);
  }

  Daemon Start(const std::string& config, std::vector<std::string> extra = {}) {
    std::vector<std::string> arguments = FixtureArguments("host_a", {"loadavg"});
    arguments.push_back("--web.config.file=" + config);
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    return Daemon(arguments, [this](int port) { return AnswersOverTls(port, scraper_); });
  }

  // The value of one of the exporter's own series. A cached response may be up to --cache.ttl old.
  std::optional<double> SelfMetric(int port, const std::string& name, const SeriesLabels& labels,
                                   const std::vector<std::string>& options) {
    CurlAnswer answer = Curl(pki_, port, "/metrics", options);
    for (const auto& sample : ParseExposition(answer.output.substr(answer.output.find("\r\n\r\n") + 4)).samples)
      if (sample.name == name && sample.labels == labels) return sample.value;
    return std::nullopt;
  }

  TestPki pki_;
  TempDir directory_;
  std::string server_, scraper_, stranger_;
};

TEST_F(WebConfigTest, BasicAuthOverTls) {
  // Uncached, so that each read of the refusal counter is current.
  Daemon daemon = Start(WriteConfig("basic_auth_users:\n  alice: " + Bcrypt("wonderland") + "\n"),
                        {"--no-cache.enabled"});
  auto refused = [&] {
    return SelfMetric(daemon.port(), "hw_exporter_http_requests_rejected_total", {{"reason", "unauthorized"}},
                      {"-u", "alice:wonderland"});
  };
  std::optional<double> refused_before = refused();
  ASSERT_TRUE(refused_before);
  CurlAnswer anonymous = Curl(pki_, daemon.port(), "/metrics");
  EXPECT_EQ(anonymous.status, 401) << anonymous.output;
  EXPECT_NE(anonymous.output.find("WWW-Authenticate: Basic"), std::string::npos);
  EXPECT_EQ(Curl(pki_, daemon.port(), "/metrics", {"-u", "alice:looking-glass"}).status, 401);
  EXPECT_EQ(Curl(pki_, daemon.port(), "/metrics", {"-u", "bob:wonderland"}).status, 401);
  EXPECT_EQ(Curl(pki_, daemon.port(), "/-/healthy").status, 401) << "every path is behind the credentials";
  CurlAnswer alice = Curl(pki_, daemon.port(), "/metrics", {"-u", "alice:wonderland"});
  EXPECT_EQ(alice.status, 200);
  EXPECT_NE(alice.output.find("node_load1 "), std::string::npos);
  EXPECT_EQ(refused(), *refused_before + 4);

  CommandResult plain = RunCommand({kCurl, "-s", "--max-time", "5",
                                    "http://127.0.0.1:" + std::to_string(daemon.port()) + "/metrics"});
  EXPECT_NE(plain.exit_code, 0) << "plain HTTP is not answered on a TLS port";
}

TEST_F(WebConfigTest, HealthyWithoutAuthOnlyOpensHealthy) {
  Daemon daemon = Start(WriteConfig("basic_auth_users:\n  alice: " + Bcrypt("wonderland") + "\n"),
                        {"--web.healthy-without-auth"});
  EXPECT_EQ(Curl(pki_, daemon.port(), "/-/healthy").status, 200);
  EXPECT_EQ(Curl(pki_, daemon.port(), "/metrics").status, 401);
  EXPECT_EQ(Curl(pki_, daemon.port(), "/cache/stats").status, 401);
}

TEST_F(WebConfigTest, RequireAndVerifyClientCert) {
  Daemon daemon =
      Start(WriteConfig("  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: " + pki_.ca() + "\n"));
  EXPECT_EQ(Curl(pki_, daemon.port(), "/metrics").Outcome(), "refused") << "no client certificate";
  EXPECT_EQ(Curl(pki_, daemon.port(), "/metrics", ClientCertificate(stranger_)).Outcome(), "refused")
      << "a certificate from another CA";
  EXPECT_EQ(Curl(pki_, daemon.port(), "/metrics", ClientCertificate(scraper_)).Outcome(), "200");
}

TEST_F(WebConfigTest, ClientAllowedSans) {
  std::string other = pki_.Issue("other", "other", "DNS:other.example,IP:192.0.2.7");
  Daemon daemon = Start(WriteConfig("  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: " + pki_.ca() +
                                    "\n  client_allowed_sans: [scraper.example, 192.0.2.8]\n"));
  EXPECT_EQ(Curl(pki_, daemon.port(), "/metrics", ClientCertificate(scraper_)).Outcome(), "200");
  EXPECT_EQ(Curl(pki_, daemon.port(), "/metrics", ClientCertificate(other)).Outcome(), "refused");
}

TEST_F(WebConfigTest, RequireAnyClientCertTakesAnUnverifiedOne) {
  Daemon daemon = Start(WriteConfig("  client_auth_type: RequireAnyClientCert\n"));
  EXPECT_EQ(Curl(pki_, daemon.port(), "/metrics").Outcome(), "refused");
  EXPECT_EQ(Curl(pki_, daemon.port(), "/metrics", ClientCertificate(stranger_)).Outcome(), "200");
}

TEST_F(WebConfigTest, ProtocolVersions) {
  Daemon defaults = Start(WriteConfig(""));
  EXPECT_EQ(Handshake(defaults.port(), "-tls1_1"), "") << "TLS 1.1 is below the default min_version, TLS12";
  EXPECT_EQ(Handshake(defaults.port(), "-tls1_2"), "TLSv1.2");
  EXPECT_EQ(Handshake(defaults.port(), "-tls1_3"), "TLSv1.3");

  Daemon bounded = Start(WriteConfig("  min_version: TLS11\n  max_version: TLS12\n"));
  EXPECT_EQ(Handshake(bounded.port(), "-tls1_1"), "TLSv1.1");
  EXPECT_EQ(Handshake(bounded.port(), "-tls1_3"), "");
}

// civetweb reports nothing of a connection whose handshake failed: the gate finds out, and the client's
// connections are not counted against it past their end.
TEST_F(WebConfigTest, FailedHandshakesDoNotCountAgainstTheClient) {
  Daemon daemon = Start(WriteConfig(""), {"--web.max-connections-per-client=2"});
  for (int attempt = 0; attempt < 6; ++attempt) EXPECT_EQ(Handshake(daemon.port(), "-tls1_1"), "");
  EXPECT_EQ(Curl(pki_, daemon.port(), "/metrics").status, 200);
}

TEST_F(WebConfigTest, CipherSuitesAndCurvesAreHonoured) {
  Daemon daemon =
      Start(WriteConfig("  max_version: TLS12\n  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]\n"
                        "  curve_preferences: [CurveP384]\n"));
  CommandResult result = RunCommand({kOpenssl, "s_client", "-connect", "127.0.0.1:" + std::to_string(daemon.port()),
                                     "-brief"});
  EXPECT_NE(result.output.find("Ciphersuite: ECDHE-ECDSA-AES128-GCM-SHA256"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("Server Temp Key: ECDH, secp384r1"), std::string::npos) << result.output;
}

TEST_F(WebConfigTest, InlineCertificateAndKey) {
  auto indented = [](const std::string& path) {
    std::ifstream file(path);
    std::string text, line;
    while (std::getline(file, line)) text += "    " + line + "\n";
    return text;
  };
  std::string config = directory_.Write("inline.yml", "tls_server_config:\n  cert: |\n" + indented(server_ + ".crt") +
                                                          "  key: |\n" + indented(server_ + ".key"));
  Daemon daemon = Start(config);
  EXPECT_EQ(Curl(pki_, daemon.port(), "/metrics").status, 200);
}

TEST_F(WebConfigTest, HeadersAndRateLimit) {
  Daemon daemon =
      Start(WriteConfig("http_server_config:\n  headers:\n    X-Frame-Options: deny\n"
                        "rate_limit:\n  interval: 1h\n  burst: 2\n"));
  // The check that the daemon is up took a token already: the bucket runs dry at the second request or the third.
  CurlAnswer first = Curl(pki_, daemon.port(), "/metrics");
  EXPECT_EQ(first.status, 200);
  EXPECT_NE(first.output.find("X-Frame-Options: deny\r\n"), std::string::npos) << first.output;
  EXPECT_NE(first.output.find("\nhw_exporter_build_info{"), std::string::npos) << "the body follows that head whole";
  CurlAnswer refused;
  for (int request = 0; request < 2 && refused.status != 429; ++request)
    refused = Curl(pki_, daemon.port(), "/metrics");
  EXPECT_EQ(refused.status, 429);
  EXPECT_NE(refused.output.find("X-Frame-Options: deny\r\n"), std::string::npos) << "refusals carry the headers too";
  EXPECT_EQ(Curl(pki_, daemon.port(), "/metrics").status, 429) << "an hour must pass for the next token";
}

TEST_F(WebConfigTest, ARotatedCertificateIsServedToTheNextConnection) {
  Daemon daemon = Start(WriteConfig(""));
  auto subject = [&] { return Curl(pki_, daemon.port(), "/-/healthy", {"-v"}).output; };
  ASSERT_NE(subject().find("CN=server-1"), std::string::npos);
  pki_.Issue("server", "server-2", "IP:127.0.0.1");
  EXPECT_TRUE(Eventually([&] { return subject().find("CN=server-2") != std::string::npos; }, kReloadWait));
  EXPECT_FALSE(daemon.process().Exited());
}

TEST_F(WebConfigTest, UsersChangeWithoutRestartAndABadFileKeepsTheLastGood) {
  std::string config = WriteConfig("basic_auth_users:\n  alice: " + Bcrypt("wonderland") + "\n");
  Daemon daemon = Start(config);
  const std::vector<std::string> alice{"-u", "alice:wonderland"}, bob{"-u", "bob:builder"};
  ASSERT_EQ(Curl(pki_, daemon.port(), "/metrics", alice).status, 200);

  WriteConfig("basic_auth_users:\n  bob: " + Bcrypt("builder") + "\n");
  EXPECT_TRUE(Eventually([&] { return Curl(pki_, daemon.port(), "/metrics", bob).status == 200; }, kReloadWait));
  EXPECT_EQ(Curl(pki_, daemon.port(), "/metrics", alice).status, 401);

  WriteConfig("basic_auth_users:\n  carol: not-a-bcrypt-hash\n");
  EXPECT_TRUE(Eventually(
      [&] { return SelfMetric(daemon.port(), "hw_exporter_web_config_last_reload_successful", {}, bob) == 0; },
      kReloadWait));
  EXPECT_EQ(Curl(pki_, daemon.port(), "/metrics", bob).status, 200) << "the last good version stays in force";
  EXPECT_NE(daemon.process().Output().find("basic_auth_users.carol"), std::string::npos) << daemon.process().Output();

  WriteConfig("basic_auth_users:\n  bob: " + Bcrypt("builder") + "\n");
  EXPECT_TRUE(Eventually(
      [&] { return SelfMetric(daemon.port(), "hw_exporter_web_config_last_reload_successful", {}, bob) == 1; },
      kReloadWait));
}

// The real Prometheus over HTTPS, with a client certificate and basic auth: one job with the right password, one
// with a wrong one.
TEST_F(WebConfigTest, PrometheusScrapesWithAClientCertificateAndBasicAuth) {
  if (::access(kPrometheus, X_OK) != 0) GTEST_SKIP() << kPrometheus << " is not installed";
  Daemon daemon = Start(WriteConfig("  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: " + pki_.ca() +
                                    "\nbasic_auth_users:\n  prometheus: " + Bcrypt("scrape-me") + "\n"));
  auto job = [&](const std::string& name, const std::string& password) {
    return "  - job_name: " + name + "\n    scheme: https\n    tls_config:\n      ca_file: " + pki_.ca() +
           "\n      cert_file: " + scraper_ + ".crt\n      key_file: " + scraper_ +
           ".key\n    basic_auth:\n      username: prometheus\n      password: " + password +
           "\n    static_configs:\n      - targets: ['127.0.0.1:" + std::to_string(daemon.port()) + "']\n";
  };
  PrometheusServer prometheus(job("right", "scrape-me") + job("wrong", "guess"));
  nlohmann::json right = prometheus.AwaitQuery("up{job=\"right\"} == 1");
  ASSERT_FALSE(right.empty()) << prometheus.process().Output();
  EXPECT_FALSE(prometheus.AwaitQuery("node_load1{job=\"right\"}").empty());
  nlohmann::json wrong = prometheus.AwaitQuery("up{job=\"wrong\"}");
  ASSERT_FALSE(wrong.empty());
  EXPECT_EQ(wrong[0]["value"][1], "0");
}

// A TLS client's first flight, as OpenSSL writes it: the record that holds its hello.
std::string ClientHello() {
  SSL_CTX* context = SSL_CTX_new(TLS_client_method());
  SSL* ssl = SSL_new(context);
  BIO* output = BIO_new(BIO_s_mem());
  SSL_set_bio(ssl, BIO_new(BIO_s_mem()), output);
  SSL_connect(ssl);  // wants to read the server's answer; the hello is written
  char* data = nullptr;
  long length = BIO_get_mem_data(output, &data);
  std::string hello(data, static_cast<std::size_t>(length));
  SSL_free(ssl);
  SSL_CTX_free(context);
  return hello;
}

// Connections that stop before or after their hello hold nothing a scrape needs: those before wait at the gate,
// those after (handed to a worker, stalled in the handshake) are closed when a new connection needs the worker.
TEST_F(WebConfigTest, StalledHandshakesDoNotDelayScrapes) {
  RaiseOpenFilesLimit();
  Daemon daemon = Start(WriteConfig(""), {"--web.threads=4", "--web.request-timeout=1h", "--web.keep-alive-timeout=1h",
                                          "--web.max-connections-per-client=1000"});
  const std::vector<std::string> clients{"127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"};
  OpenConnections idle, partial_hello, whole_hello;
  idle.Open(100, clients, daemon.port(), "");
  partial_hello.Open(100, clients, daemon.port(), ClientHello().substr(0, 40));
  whole_hello.Open(20, clients, daemon.port(), ClientHello());
  for (int scrape = 0; scrape < 5; ++scrape)
    EXPECT_EQ(Curl(pki_, daemon.port(), "/metrics", ClientCertificate(scraper_)).status, 200) << "scrape " << scrape;
  std::optional<double> evicted = SelfMetric(daemon.port(), "hw_exporter_http_connections_evicted_total", {},
                                             ClientCertificate(scraper_));
  ASSERT_TRUE(evicted);
  EXPECT_GE(*evicted, 16) << "the stalled handshakes gave their workers up";
}

// Each invalid file stops the start with exit status 2 and a message that names the key at fault.
TEST_F(WebConfigTest, AnInvalidFileStopsTheStartNamingTheKey) {
  struct Case {
    std::string yaml;
    std::string named;
  };
  std::string tls = "tls_server_config:\n  cert_file: " + server_ + ".crt\n  key_file: " + server_ + ".key\n";
  for (const Case& bad : std::vector<Case>{
           {"tls_server_config: [\n", "line"},
           {"tls_server_config:\n  cert_flie: x\n", "cert_flie"},
           {"tls_server_config:\n  cert_file: " + server_ + ".crt\n  key_file: nosuch.key\n", "key_file"},
           {tls + "  client_ca_file: " + pki_.ca() + "\n", "client_ca"},
           {"basic_auth_users:\n  alice: plain-text\n", "basic_auth_users.alice"},
           {tls + "  cipher_suites: [TLS_NOT_A_SUITE]\n", "cipher_suites"},
       }) {
    std::string config = directory_.Write("bad.yml", bad.yaml);
    CommandResult result = RunCommand({HW_EXPORTER_BINARY, "--web.listen-address=127.0.0.1:0",
                                       "--web.config.file=" + config});
    EXPECT_EQ(result.exit_code, 2) << bad.yaml << result.output;
    EXPECT_NE(result.output.find("--web.config.file"), std::string::npos) << result.output;
    EXPECT_NE(result.output.find(bad.named), std::string::npos) << bad.yaml << result.output;
  }
}

// node_exporter 1.5 reads the same file through exporter-toolkit: both must tell the same clients the same thing.
TEST_F(WebConfigTest, AnswersLikeNodeExporterWithTheSameFile) {
  if (::access(kNodeExporter, X_OK) != 0) GTEST_SKIP() << kNodeExporter << " is not installed";
  std::string config = WriteConfig("  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: " + pki_.ca() +
                                   "\nbasic_auth_users:\n  alice: " + Bcrypt("wonderland") + "\n");
  Daemon ours = Start(config);
  int port = FreeLoopbackPort();
  ChildProcess node_exporter({kNodeExporter, "--web.listen-address=127.0.0.1:" + std::to_string(port),
                              "--web.config.file=" + config, "--collector.disable-defaults", "--collector.loadavg"},
                             directory_.path() + "/node_exporter.log");
  ASSERT_TRUE(Eventually([&] { return AnswersOverTls(port, scraper_); }, kReloadWait)) << node_exporter.Output();

  const std::vector<std::vector<std::string>> clients{
      {},
      {"-u", "alice:wonderland"},
      {"-u", "alice:wrong"},
      {"--cert", scraper_ + ".crt", "--key", scraper_ + ".key", "-u", "alice:wonderland"},
      {"--cert", stranger_ + ".crt", "--key", stranger_ + ".key", "-u", "alice:wonderland"},
  };
  for (const auto& client : clients) {
    std::string theirs = Curl(pki_, port, "/metrics", client).Outcome();
    EXPECT_EQ(Curl(pki_, ours.port(), "/metrics", client).Outcome(), theirs) << ::testing::PrintToString(client);
  }
  for (const char* version : {"-tls1_1", "-tls1_2", "-tls1_3"})
    EXPECT_EQ(Handshake(ours.port(), version), Handshake(port, version)) << version;
}

}  // namespace
}  // namespace hw_exporter::testing

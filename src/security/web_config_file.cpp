#include "hw_exporter/security/web_config_file.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <climits>
#include <filesystem>
#include <string_view>

#include "hw_exporter/core/fs.h"
#include "tls_section.h"
#include "yaml_values.h"

namespace hw_exporter {

using namespace security_internal;

namespace {

// The file is a few lines; the bound keeps a wrong path from costing more than this.
constexpr size_t kMaxConfigBytes = size_t{1} << 20;

// The headers exporter-toolkit lets a file add, and for some the only values they may have. Names and values are
// compared as written, as exporter-toolkit does ("DENY" is refused).
struct AllowedHeader {
  std::string_view name;
  std::array<std::string_view, 2> values;  // empty entries unused; all empty: any value
};

// clang-format off
constexpr std::array<AllowedHeader, 5> kAllowedHeaders{{
    {"Strict-Transport-Security", {}},
    {"X-Content-Type-Options",    {"nosniff", ""}},
    {"X-Frame-Options",           {"deny", "sameorigin"}},
    {"X-XSS-Protection",          {}},
    {"Content-Security-Policy",   {}},
}};
// clang-format on

std::string ReadConfigText(const std::string& path) {
  int error = 0;
  std::optional<std::string> text = TryReadRegularFile(path, &error, kMaxConfigBytes);
  if (!text) throw WebConfigError(FsError(path, error, kMaxConfigBytes).what());
  return *std::move(text);
}

YAML::Node Parse(const std::string& path, const std::string& text) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& error) {
    if (error.mark.is_null()) throw WebConfigError(path + ": " + error.msg);
    throw WebConfigError(path + ": line " + std::to_string(error.mark.line + 1) + ": " + error.msg);
  }
}

void CheckHeader(const std::string& name, const std::string& value, const std::string& path) {
  // A line break would end the header and start another one of the file's choosing.
  if (value.find_first_of("\r\n") != std::string::npos || value.find('\0') != std::string::npos) {
    throw KeyError(path, "a header value cannot contain a line break or NUL");
  }
  const auto allowed = std::find_if(kAllowedHeaders.begin(), kAllowedHeaders.end(),
                                    [&](const AllowedHeader& header) { return header.name == name; });
  if (allowed == kAllowedHeaders.end()) throw KeyError(path, "HTTP header " + name + " cannot be configured");
  if (allowed->values[0].empty()) return;
  if (std::find(allowed->values.begin(), allowed->values.end(), value) != allowed->values.end()) return;
  std::string expected(allowed->values[0]);
  if (!allowed->values[1].empty()) expected += " or " + std::string(allowed->values[1]);
  throw KeyError(path, "invalid value " + value + "; expected " + expected);
}

void ReadHttpSection(const YAML::Node& node, WebConfigFile& config) {
  const Mapping http(node, "http_server_config", {"http2", "headers"});
  config.http2 = ReadBool(http.Get("http2"), http.PathOf("http2")).value_or(true);
  const Mapping headers(http.Get("headers"), http.PathOf("headers"));
  for (const auto& [name, value_node] : headers.entries()) {
    const std::string path = headers.PathOf(name);
    std::string value = ReadString(value_node, path);
    CheckHeader(name, value, path);
    config.headers.emplace_back(name, std::move(value));
  }
}

// The hashes are checked by the basic auth class, which has the bcrypt code; here only the names and types.
void ReadUsers(const YAML::Node& node, WebConfigFile& config) {
  const Mapping users(node, "basic_auth_users");
  for (const auto& [name, hash_node] : users.entries()) {
    if (name.empty()) throw KeyError("basic_auth_users", "a user name is empty");
    const std::string path = users.PathOf(name);
    std::string hash = ReadString(hash_node, path);
    if (hash.empty()) throw KeyError(path, "the password hash is empty");
    config.basic_auth_users.emplace_back(name, std::move(hash));
  }
}

// yaml.v2 reads a time.Duration from a string with Go's duration syntax, or from an integer as nanoseconds
// (`interval: 0` in exporter-toolkit's own examples). The string is read with the syntax of the other settings
// here, which has Go's common units (h, m, s, ms) but no fractions and nothing below a millisecond.
Duration ParseInterval(const YAML::Node& node, const std::string& path) {
  const std::string text = ReadString(node, path);
  if (text.empty()) return Duration::zero();
  if (node.Tag() != "!" && text.find_first_not_of("-0123456789") == std::string::npos) {
    const long long nanoseconds = *ReadInteger(node, path);
    if (nanoseconds < 0) throw KeyError(path, "negative");
    if (nanoseconds % 1000000 != 0) {
      throw KeyError(path, "an integer is nanoseconds, and this is not whole milliseconds");
    }
    return std::chrono::duration_cast<Duration>(std::chrono::nanoseconds(nanoseconds));
  }
  const std::optional<Duration> interval = ParseDuration(text);
  if (!interval) throw KeyError(path, "expected a duration such as 1s or 100ms, got " + text);
  return *interval;
}

Duration ReadInterval(const YAML::Node& node, const std::string& path) {
  const Duration interval = ParseInterval(node, path);
  if (interval > kLongestDuration) throw KeyError(path, "longer than " + FormatDuration(kLongestDuration));
  return interval;
}

// exporter-toolkit limits requests only when the interval is not 0, and then with the burst as given, even 0 (a
// limiter that refuses everything). Both a burst without an interval and a burst of 0 are refused here instead of
// doing nothing or locking everyone out.
void ReadRateLimit(const YAML::Node& node, WebConfigFile& config) {
  const Mapping rate_limit(node, "rate_limit", {"interval", "burst"});
  const Duration interval = ReadInterval(rate_limit.Get("interval"), rate_limit.PathOf("interval"));
  const long long burst = ReadInteger(rate_limit.Get("burst"), rate_limit.PathOf("burst")).value_or(0);
  const std::string burst_path = rate_limit.PathOf("burst");
  if (burst < 0 || burst > INT_MAX) throw KeyError(burst_path, "out of range (1 to " + std::to_string(INT_MAX) + ")");
  if (interval == Duration::zero()) {
    if (burst != 0) throw KeyError(burst_path, "set without an interval, so nothing would be limited");
    return;
  }
  if (burst == 0) throw KeyError(burst_path, "must be at least 1 when an interval is set; 0 refuses every request");
  config.rate_limit = RateLimitConfig{interval, static_cast<int>(burst)};
}

void ReadSections(const YAML::Node& root, const std::string& directory, WebConfigFile& config) {
  const Mapping top(root, "", {"tls_server_config", "http_server_config", "basic_auth_users", "rate_limit"});
  config.tls = ReadTlsSection(top.Get("tls_server_config"), directory, config.sources);
  ReadHttpSection(top.Get("http_server_config"), config);
  ReadUsers(top.Get("basic_auth_users"), config);
  ReadRateLimit(top.Get("rate_limit"), config);
}

}  // namespace

WebConfigFile ReadWebConfigFile(const std::string& path) { return ParseWebConfig(ReadConfigText(path), path); }

WebConfigFile ParseWebConfig(const std::string& text, const std::string& path) {
  const YAML::Node root = Parse(path, text);
  WebConfigFile config;
  config.sources.push_back(path);
  try {
    ReadSections(root, std::filesystem::path(path).parent_path().string(), config);
  } catch (const KeyError& error) {
    throw WebConfigError(path + ": " + (error.key().empty() ? "" : error.key() + ": ") + error.what());
  }
  return config;
}

}  // namespace hw_exporter

#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "hw_exporter/core/duration.h"
#include "hw_exporter/core/paths.h"

namespace hw_exporter {

// One collector's settings after defaults, the config file and flags have been applied (in that order).
struct CollectorConfig {
  bool enabled = false;
  Duration ttl{};
  Duration timeout{};
  Duration max_staleness{};                    // default: 4 × ttl
  std::map<std::string, std::string> options;  // every option the table declares, defaulted
};

struct ResponseCacheConfig {
  bool enabled = true;
  Duration ttl = std::chrono::seconds(5);
  std::size_t max_entries = 256;
  std::size_t max_bytes = 32u << 20;
};

struct WebConfig {
  std::vector<std::string> listen_addresses{":9877"};  // host:port, [v6]:port or :port (all v4 and v6)
  std::string telemetry_path = "/metrics";
  bool systemd_socket = false;          // serve on the sockets systemd passes instead of listen_addresses
  bool enable_lifecycle = false;        // POST /-/reload reloads the configuration
  bool enable_pprof = false;            // serve /debug/pprof/
  bool disable_openmetrics = false;     // serve only the text format, whatever the client asks for
  std::string config_file;              // exporter-toolkit's web-config file; empty: plain HTTP, no auth
  bool healthy_without_auth = false;    // /-/healthy answers without credentials
  int threads = 16;                     // civetweb workers, each busy only while a request is answered
  int max_connections_per_client = 32;  // per IPv4 address or IPv6 /64
  Duration keep_alive_timeout = std::chrono::seconds(30);
  Duration request_timeout = std::chrono::seconds(10);
  // How long a scrape may wait for collectors that have no data yet, when Prometheus sends no
  // X-Prometheus-Scrape-Timeout-Seconds header (with the header: its value minus timeout_offset).
  Duration scrape_timeout = std::chrono::seconds(10);
  Duration timeout_offset = std::chrono::milliseconds(500);
};

struct LogConfig {
  std::string level = "info";     // debug, info, warn, error
  std::string format = "logfmt";  // logfmt or json
};

struct DiagnosticsConfig {
  std::string dir;  // where profiles are written; empty: $RUNTIME_DIRECTORY, else the temporary directory
  // Profiles are captured when the exporter's own CPU use (in cores) or resident memory stays above one of these
  // for `sustained`, then not again for `cooldown`. 0: never.
  double cpu_threshold = 0;
  std::size_t memory_threshold = 0;
  Duration sustained = std::chrono::minutes(1);
  Duration cooldown = std::chrono::hours(1);
};

struct Config {
  WebConfig web;
  LogConfig log;
  DiagnosticsConfig diagnostics;
  Paths paths;
  ResponseCacheConfig response_cache;
  int probe_max_processes = 2;
  std::map<std::string, CollectorConfig> collectors;  // one entry per row of the collector table
};

// What the command line asked for besides running.
enum class Action { kRun, kHelp, kVersion };

struct LoadedConfig {
  Action action = Action::kRun;
  Config config;
  std::string config_file;  // empty when none was given
  // Where each value that is not a default came from, by JSON pointer ("/collectors/cpu/ttl"): the flag
  // ("--collector.cpu.ttl") or, when the config file set it, the pointer itself. Lets a later check (a
  // collector's option, a listen address that cannot be bound) name what the operator has to fix.
  std::map<std::string, std::string> sources;

  // sources[pointer], or the flag that would set it (flag) when the value is a default.
  std::string Where(const std::string& pointer, const std::string& flag) const;
};

// A config or flag error. where() is a JSON pointer into the config file ("/collectors/cpu/ttl") or a flag
// ("--collector.cpu.ttl"); what() is the reason.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string where, const std::string& reason) : std::runtime_error(reason), where_(std::move(where)) {}
  const std::string& where() const { return where_; }

 private:
  std::string where_;
};

// Embedded defaults, then the --config.file (JSON), then flags. Throws ConfigError.
LoadedConfig LoadConfig(const std::vector<std::string>& arguments);

// The --help text: every flag with its default, and every collector with its options.
std::string HelpText();

}  // namespace hw_exporter

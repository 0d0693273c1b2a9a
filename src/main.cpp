// hw_exporter: flags and config, process setup (signals, allocator), wiring of the pipeline — nothing else.
#include <malloc.h>
#include <string.h>
#include <sys/resource.h>

#include <algorithm>
#include <iostream>
#include <optional>

#include "hw_exporter/cache/family_cache.h"
#include "hw_exporter/config/config.h"
#include "hw_exporter/core/log.h"
#include "hw_exporter/core/shutdown_signals.h"
#include "hw_exporter/core/version.h"
#include "hw_exporter/daemon/slots.h"
#include "hw_exporter/http/http_server.h"
#include "hw_exporter/http/metrics_endpoint.h"
#include "hw_exporter/http/response_cache.h"
#include "hw_exporter/http/status_pages.h"
#include "hw_exporter/probe/process_runner.h"
#include "hw_exporter/security/front_door.h"
#include "hw_exporter/security/web_config_file.h"

namespace hw_exporter {
namespace {

constexpr int kExitConfigError = 2;

// The endpoints besides the metrics, whose paths --web.telemetry-path must leave alone.
constexpr std::string_view kCacheStatsPath = "/cache/stats";
constexpr std::string_view kHealthyPath = "/-/healthy";

void CheckTelemetryPath(const LoadedConfig& loaded) {
  const std::string& path = loaded.config.web.telemetry_path;
  if (path == kCacheStatsPath || path == kHealthyPath)
    throw ConfigError(loaded.Where("/web/telemetry_path", "--web.telemetry-path"),
                      "\"" + path + "\" is the path of another endpoint");
}

// The web-config file, read before anything starts: a file that cannot be used stops the start (exit status 2).
std::unique_ptr<FrontDoor> OpenFrontDoor(const LoadedConfig& loaded) {
  if (loaded.config.web.config_file.empty()) return nullptr;
  try {
    return std::make_unique<FrontDoor>(loaded.config.web.config_file);
  } catch (const WebConfigError& error) {
    throw ConfigError(loaded.Where("/web/config_file", "--web.config.file"), error.what());
  }
}

// How often the web-config file and the files it names are checked for changes.
constexpr Duration kWebConfigCheckPeriod = std::chrono::seconds(1);

// Raises the open files limit to its hard limit, as Go programs do at start: every connection waiting for its
// request holds a descriptor. Returns how many connections may wait, leaving room for the rest of the exporter.
int RaiseOpenFilesLimit() {
  constexpr rlim_t kReserved = 256;  // collectors' files, probes' pipes, civetweb's workers
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 512;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) getrlimit(RLIMIT_NOFILE, &limit);
  }
  rlim_t usable = limit.rlim_cur > 2 * kReserved ? limit.rlim_cur - kReserved : limit.rlim_cur / 2;
  return static_cast<int>(std::min<rlim_t>(usable, 1'000'000));
}

// glibc gives threads up to eight malloc arenas per core, each keeping what was freed into it, and the exporter
// has a thread per HTTP worker and per family-cache slot: two arenas keep the resident size small and flat, at no
// cost in throughput (bench/README.md). Set before any thread exists.
void LimitMallocArenas() { mallopt(M_ARENA_MAX, 2); }

int Serve(const LoadedConfig& loaded) {
  const Config& config = loaded.config;
  CheckTelemetryPath(loaded);
  LimitMallocArenas();
  const int waiting_connections = RaiseOpenFilesLimit();
  sigset_t shutdown_signals = BlockShutdownSignals();
  std::unique_ptr<FrontDoor> front_door = OpenFrontDoor(loaded);

  ProcessRunner process_runner(config.probe_max_processes);
  std::vector<SlotSettings> slots = BuildSlots(loaded, process_runner);
  std::vector<std::string> enabled = CollectorNames(slots);
  FamilyCache families(std::move(slots));
  families.Start();

  std::optional<ResponseCache> response_cache;
  if (config.response_cache.enabled)
    response_cache.emplace(ResponseCacheOptions{config.response_cache.ttl, config.response_cache.max_entries,
                                                config.response_cache.max_bytes});
  ResponseCache* cache = response_cache ? &*response_cache : nullptr;
  MetricsEndpointOptions metrics_options{config.web.telemetry_path, enabled, config.web.scrape_timeout,
                                         config.web.timeout_offset, nullptr};
  std::optional<HttpServer> server;
  // Set once before the server starts; the server's workers, which read it, are joined before it goes.
  const HttpServer* serving = nullptr;
  metrics_options.add_own_families = [&](FamilySet& own) {
    if (serving) serving->AddMetrics(own);
    if (front_door) front_door->AddMetrics(own);
  };
  MetricsEndpoint metrics(std::move(metrics_options), families, cache);

  std::map<std::string, Handler> routes{
      {config.web.telemetry_path, [&](const Request& request) { return metrics.Handle(request); }},
      {std::string(kCacheStatsPath), [&](const Request&) { return CacheStatsResponse(families, cache); }},
      {std::string(kHealthyPath), [](const Request&) { return HealthyResponse(); }},
  };
  if (config.web.telemetry_path != "/")
    routes.emplace("/", [&](const Request&) { return LandingPageResponse(config.web.telemetry_path); });

  try {
    HttpServerOptions options;
    options.listen_addresses = config.web.listen_addresses;
    options.threads = config.web.threads;
    options.keep_alive_timeout = config.web.keep_alive_timeout;
    options.request_timeout = config.web.request_timeout;
    options.max_connections_per_client = config.web.max_connections_per_client;
    options.max_waiting_connections = waiting_connections;
    options.front_door = front_door.get();
    if (config.web.healthy_without_auth) options.paths_without_auth.emplace(kHealthyPath);
    server.emplace(std::move(options), std::move(routes));
  } catch (const HttpStartError& error) {
    log::Error("cannot start the HTTP server", {{"err", error.what()}});
    return 1;
  }
  serving = &*server;
  server->Start();
  if (front_door) front_door->StartWatching(kWebConfigCheckPeriod);
  std::string ports;
  for (int port : server->bound_ports()) ports += (ports.empty() ? "" : ",") + std::to_string(port);
  log::Info("hw_exporter started",
            {{"version", std::string(Version())}, {"collectors", std::to_string(enabled.size())}, {"ports", ports}});

  int signal_number = WaitForShutdownSignal(shutdown_signals);
  log::Info("shutting down", {{"signal", std::string(strsignal(signal_number))}});
  server.reset();
  process_runner.KillAll();  // a probe under way returns now, and no probe outlives the exporter
  families.Stop();
  return 0;
}

int Main(const std::vector<std::string>& arguments) {
  LoadedConfig loaded;
  try {
    loaded = LoadConfig(arguments);
    if (loaded.action == Action::kHelp) {
      std::cout << HelpText();
      return 0;
    }
    if (loaded.action == Action::kVersion) {
      std::cout << "hw_exporter version " << Version() << " (revision " << Revision() << ", " << Compiler() << ")\n";
      return 0;
    }
    auto level = log::ParseLevel(loaded.config.log.level);
    auto format = log::ParseFormat(loaded.config.log.format);
    log::ConfigureLogging(level.value_or(log::Level::kInfo), format.value_or(log::Format::kLogfmt));
    return Serve(loaded);
  } catch (const ConfigError& error) {
    std::cerr << "hw_exporter: " << error.where() << ": " << error.what() << "\n";
    return kExitConfigError;
  }
}

}  // namespace
}  // namespace hw_exporter

int main(int argc, char** argv) { return hw_exporter::Main(std::vector<std::string>(argv + 1, argv + argc)); }

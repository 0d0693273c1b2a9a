#include "hw_exporter/daemon/exporter.h"

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>

#include "debug_pages.h"
#include "hw_exporter/cache/family_cache.h"
#include "hw_exporter/core/kept_files.h"
#include "hw_exporter/core/log.h"
#include "hw_exporter/daemon/slots.h"
#include "hw_exporter/daemon/systemd.h"
#include "hw_exporter/diagnostics/profiling.h"
#include "hw_exporter/diagnostics/self_watch.h"
#include "hw_exporter/http/hardware_page.h"
#include "hw_exporter/http/http_server.h"
#include "hw_exporter/http/metrics_endpoint.h"
#include "hw_exporter/http/response_cache.h"
#include "hw_exporter/http/status_pages.h"
#include "hw_exporter/probe/process_runner.h"
#include "hw_exporter/security/front_door.h"
#include "hw_exporter/security/web_config_file.h"

namespace hw_exporter {

namespace {

// The endpoints besides the metrics, whose paths --web.telemetry-path must leave alone.
constexpr std::string_view kCacheStatsPath = "/cache/stats";
constexpr std::string_view kHealthyPath = "/-/healthy";
constexpr std::string_view kReloadPath = "/-/reload";

// How often the web-config file and the files it names are checked for changes.
constexpr Duration kWebConfigCheckPeriod = std::chrono::seconds(1);

std::atomic<std::uint64_t> next_parts_id{1};

void CheckTelemetryPath(const LoadedConfig& loaded) {
  const std::string& path = loaded.config.web.telemetry_path;
  if (path == kCacheStatsPath || path == kHealthyPath || path == kReloadPath || path == kHardwarePath)
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

// Raises the open files limit to its hard limit, as Go programs do at start: every connection waiting for its
// request holds a descriptor. Returns how many connections may wait, leaving room for the rest of the exporter:
// the kernel attributes kept open (sized by the raised limit), and 256 for collectors' other files, probes' pipes
// and civetweb's workers.
int RaiseOpenFilesLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 512;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) getrlimit(RLIMIT_NOFILE, &limit);
  }
  const rlim_t reserved = 256 + KeptFiles::Process().Capacity();
  rlim_t usable = limit.rlim_cur > 2 * reserved ? limit.rlim_cur - reserved : limit.rlim_cur / 2;
  return static_cast<int>(std::min<rlim_t>(usable, 1'000'000));
}

// Settings that only a restart can change, because the listeners, the workers or the probe limit were built with
// them: each one `next` changes is set back to its running value, and its flag returned.
std::vector<std::string> KeepRestartOnlySettings(const Config& running, Config& next) {
  std::vector<std::string> kept;
  auto keep = [&kept](auto& value, const auto& running_value, const char* flag) {
    if (value == running_value) return;
    value = running_value;
    kept.emplace_back(flag);
  };
  keep(next.web.listen_addresses, running.web.listen_addresses, "--web.listen-address");
  keep(next.web.systemd_socket, running.web.systemd_socket, "--web.systemd-socket");
  keep(next.web.telemetry_path, running.web.telemetry_path, "--web.telemetry-path");
  keep(next.web.config_file, running.web.config_file, "--web.config.file");
  keep(next.web.healthy_without_auth, running.web.healthy_without_auth, "--web.healthy-without-auth");
  keep(next.web.threads, running.web.threads, "--web.threads");
  keep(next.web.max_connections_per_client, running.web.max_connections_per_client, "--web.max-connections-per-client");
  keep(next.web.keep_alive_timeout, running.web.keep_alive_timeout, "--web.keep-alive-timeout");
  keep(next.web.request_timeout, running.web.request_timeout, "--web.request-timeout");
  keep(next.probe_max_processes, running.probe_max_processes, "--probe.max-processes");
  keep(next.web.enable_pprof, running.web.enable_pprof, "--web.enable-pprof");
  keep(next.diagnostics.dir, running.diagnostics.dir, "--diagnostics.dir");
  keep(next.diagnostics.cpu_threshold, running.diagnostics.cpu_threshold, "--diagnostics.cpu-threshold");
  keep(next.diagnostics.memory_threshold, running.diagnostics.memory_threshold, "--diagnostics.memory-threshold");
  keep(next.diagnostics.sustained, running.diagnostics.sustained, "--diagnostics.for");
  keep(next.diagnostics.cooldown, running.diagnostics.cooldown, "--diagnostics.cooldown");
  return kept;
}

void ApplyLogging(const LogConfig& config) {
  // Both were checked against their choices when the configuration was read.
  log::Reconfigure(log::ParseLevel(config.level).value_or(log::Level::kInfo),
                   log::ParseFormat(config.format).value_or(log::Format::kLogfmt));
}

double WallSeconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

struct Exporter::Parts {
  // What answers scrapes under one configuration, replaced whole by a reload while requests finish with the last.
  struct Scraping {
    MetricsEndpoint endpoint;
    ResponseCache* cache;  // null while the response cache is off
    std::size_t collectors;
  };

  Parts(std::vector<std::string> args, const LoadedConfig& loaded, SystemdNotifier& systemd)
      : arguments(std::move(args)),
        notifier(systemd),
        running(loaded.config),
        process_runner(running.probe_max_processes),
        families(std::vector<SlotSettings>{}),
        response_cache(ResponseCacheOptionsOf(running)),
        front_door(OpenFrontDoor(loaded)),
        profiling(CaptureDirectory(running.diagnostics.dir.empty() ? DefaultCaptureDirectory()
                                                                   : running.diagnostics.dir)) {
    Install(loaded.config, BuildSlots(loaded, process_runner));
  }

  static ResponseCacheOptions ResponseCacheOptionsOf(const Config& config) {
    return {config.response_cache.ttl, config.response_cache.max_entries, config.response_cache.max_bytes};
  }

  // Puts `config` in force, with the family cache's slots for it. Nothing here fails.
  void Install(const Config& config, std::vector<SlotSettings> slots) {
    running = config;
    ApplyLogging(running.log);
    std::vector<std::string> collectors = CollectorNames(slots);
    families.Replace(std::move(slots));
    ResponseCache* cache = running.response_cache.enabled ? &response_cache : nullptr;
    const std::size_t count = collectors.size();
    MetricsEndpointOptions options{running.web.telemetry_path,       std::move(collectors),
                                   running.web.scrape_timeout,       running.web.timeout_offset,
                                   !running.web.disable_openmetrics, [this](FamilySet& own) { AddOwnFamilies(own); }};
    auto next = std::make_shared<const Scraping>(Scraping{MetricsEndpoint(std::move(options), families, cache), cache,
                                                          count});
    std::lock_guard lock(scraping_mutex);
    scraping = std::move(next);
    installs.fetch_add(1, std::memory_order_release);
    lifecycle = running.web.enable_lifecycle;
  }

  // Reads the configuration from the arguments again and installs it. Throws ConfigError or WebConfigError,
  // having changed nothing.
  void Apply(const LoadedConfig& next_loaded) {
    Config next = next_loaded.config;
    std::vector<std::string> kept = KeepRestartOnlySettings(running, next);
    std::vector<SlotSettings> slots = BuildSlots(next_loaded, process_runner);
    if (front_door) front_door->Reload();
    for (const std::string& flag : kept)
      log::Warn("setting changed; it takes a restart, and the running value stays", {{"setting", flag}});
    Install(next, std::move(slots));
  }

  std::string Reload() {
    std::lock_guard lock(reload_mutex);
    notifier.Reloading();
    std::string error;
    try {
      Apply(LoadConfig(arguments));
    } catch (const ConfigError& failure) {
      error = failure.where() + ": " + failure.what();
    } catch (const WebConfigError& failure) {
      error = failure.what();
    }
    last_reload_ok = error.empty();
    // Either way the responses cached so far are out of date: they show the collectors or the reload status of
    // before.
    response_cache.Reset(ResponseCacheOptionsOf(running));
    if (error.empty()) {
      last_reload_success_seconds = WallSeconds();
      log::Info("configuration reloaded", {{"collectors", std::to_string(Current().collectors)}});
    } else {
      log::Error("configuration not reloaded; the running one stays in force", {{"err", error}});
    }
    notifier.Ready(Status());
    return error;
  }

  // The configuration in force, as this thread last saw it; valid until the thread's next call. Every request asks
  // for it, and a shared lock and a shared_ptr copy per request cost each HTTP worker a cache line the others last
  // wrote: each thread keeps its copy, and takes the lock again only once an Install() has counted.
  const Scraping& Current() const {
    thread_local struct {
      std::uint64_t parts = 0;
      std::uint64_t installs = 0;
      std::shared_ptr<const Scraping> scraping;
    } seen;
    if (seen.parts != id || seen.installs != installs.load(std::memory_order_acquire)) {
      std::lock_guard lock(scraping_mutex);
      seen.parts = id;
      seen.installs = installs.load(std::memory_order_relaxed);
      seen.scraping = scraping;
    }
    return *seen.scraping;
  }

  std::string Status() const {
    std::string ports;
    const std::vector<int> bound = serving ? serving->bound_ports() : std::vector<int>{};
    for (int port : bound) ports += (ports.empty() ? "" : ",") + std::to_string(port);
    return "serving " + std::to_string(Current().collectors) + " collectors at " + running.web.telemetry_path +
           (bound.size() == 1 ? " on port " : " on ports ") + ports;
  }

  // What would grow if the exporter leaked probes or refreshes; threads and descriptors are process_threads and
  // process_open_fds.
  void AddLeakWatch(FamilySet& own) const {
    own.Gauge("hw_exporter_probe_processes", "Probe processes (smartctl, ipmitool) alive now.",
              process_runner.running());
    own.Gauge("hw_exporter_refreshes_in_flight", "Collector refreshes under way now, hung ones included.",
              families.refreshes_in_flight());
  }

  void AddOwnFamilies(FamilySet& own) const {
    AddLeakWatch(own);
    if (self_watch) self_watch->AddMetrics(own);
    if (serving) serving->AddMetrics(own);
    if (front_door) front_door->AddMetrics(own);
    own.Gauge("hw_exporter_config_last_reload_successful",
              "Whether the last reload of the configuration succeeded (1) or failed, leaving the running one in "
              "force (0).",
              last_reload_ok ? 1 : 0);
    own.Gauge("hw_exporter_config_last_reload_success_timestamp_seconds",
              "Unix time of the last successful load of the configuration, at start or by a reload.",
              last_reload_success_seconds);
  }

  std::map<std::string, Route> Routes() {
    auto metrics = [this](const Request& request) { return Current().endpoint.Handle(request); };
    auto cache_stats = [this](const Request&) { return CacheStatsResponse(families, Current().cache); };
    auto hardware = [this](const Request& request) { return HardwarePageResponse(request, families, Current().cache); };
    std::map<std::string, Route> routes{
        {running.web.telemetry_path, {metrics}},
        {std::string(kCacheStatsPath), {cache_stats}},
        {std::string(kHardwarePath), {hardware}},
        {std::string(kHealthyPath), {[](const Request&) { return HealthyResponse(); }}},
        {std::string(kReloadPath), {[this](const Request&) { return ReloadResponse(); }, /*is_action=*/true}},
    };
    if (running.web.enable_pprof) AddDebugRoutes(routes, profiling);
    if (const std::string path = running.web.telemetry_path; path != "/")
      routes.emplace("/", Route{[path](const Request&) { return LandingPageResponse(path); }});
    return routes;
  }

  std::shared_ptr<const Response> ReloadResponse() {
    // Prometheus' answers, so that tools written for its lifecycle endpoint work here.
    if (!lifecycle) return MakeTextResponse(403, "Lifecycle API is not enabled.");
    std::string error = Reload();
    return error.empty() ? MakeTextResponse(200, "") : MakeTextResponse(500, "failed to reload config: " + error);
  }

  const std::vector<std::string> arguments;
  SystemdNotifier& notifier;
  Config running;  // the configuration in force
  ProcessRunner process_runner;
  FamilyCache families;
  ResponseCache response_cache;  // kept while off, so that a reload can turn it on
  // A mutex rather than std::atomic<std::shared_ptr>, whose lock ThreadSanitizer cannot see: held for a copy.
  mutable std::mutex scraping_mutex;
  std::shared_ptr<const Scraping> scraping;
  std::atomic<std::uint64_t> installs{0};  // moved under scraping_mutex with each new `scraping`
  // Tells this exporter's Scraping from another's in a thread's copy (Current()); an address could be reused.
  const std::uint64_t id = next_parts_id++;
  std::atomic<bool> lifecycle{false};
  std::unique_ptr<FrontDoor> front_door;
  std::mutex reload_mutex;  // one reload at a time
  std::atomic<bool> last_reload_ok{true};
  std::atomic<double> last_reload_success_seconds{WallSeconds()};
  Profiling profiling;
  std::unique_ptr<SelfWatch> self_watch;  // set before the server starts, reset after it stops
  std::unique_ptr<HttpServer> server;
  // Set once before the server starts; the server's workers, which read it, are joined before the server goes.
  const HttpServer* serving = nullptr;
  bool stopped = false;
};

Exporter::Exporter(std::vector<std::string> arguments, LoadedConfig loaded, SystemdNotifier& notifier) {
  CheckTelemetryPath(loaded);
  const int waiting_connections = RaiseOpenFilesLimit();
  parts_ = std::make_unique<Parts>(std::move(arguments), loaded, notifier);
  const WebConfig& web = loaded.config.web;
  HttpServerOptions options;
  if (web.systemd_socket) {
    options.listen_sockets = SystemdListenSockets(loaded.Where("/web/systemd_socket", "--web.systemd-socket"));
  } else {
    options.listen_addresses = web.listen_addresses;
  }
  options.threads = web.threads;
  options.keep_alive_timeout = web.keep_alive_timeout;
  options.request_timeout = web.request_timeout;
  options.max_connections_per_client = web.max_connections_per_client;
  options.max_waiting_connections = waiting_connections;
  options.front_door = parts_->front_door.get();
  if (web.healthy_without_auth) options.paths_without_auth.emplace(kHealthyPath);
  parts_->server = std::make_unique<HttpServer>(std::move(options), parts_->Routes());
  parts_->serving = parts_->server.get();
}

Exporter::~Exporter() { Stop(); }

void Exporter::Start() {
  parts_->families.Start();
  const DiagnosticsConfig& diagnostics = parts_->running.diagnostics;
  parts_->self_watch = std::make_unique<SelfWatch>(SelfWatchOptions{diagnostics.cpu_threshold,
                                                                    diagnostics.memory_threshold, diagnostics.sustained,
                                                                    diagnostics.cooldown},
                                                   parts_->profiling);
  parts_->server->Start();
  if (parts_->front_door) parts_->front_door->StartWatching(kWebConfigCheckPeriod);
  // The responses the next scrapes will ask for are rendered on the refresher as soon as the refreshes planned for
  // those scrapes end, so that a scrape finds its response ready. Set last: a render reads every part's metrics.
  parts_->families.AfterRefreshes([parts = parts_.get()] { parts->Current().endpoint.RenderAhead(); });
}

std::string Exporter::Reload() { return parts_->Reload(); }

void Exporter::ToggleProfiling() { parts_->profiling.Toggle(); }

bool Exporter::Healthy(Duration max_wait) const {
  return parts_->families.SchedulerResponds(max_wait) && parts_->serving->AnswersRequest(max_wait);
}

std::string Exporter::Status() const {
  std::lock_guard lock(parts_->reload_mutex);  // `running` changes under it
  return parts_->Status();
}

void Exporter::Stop() {
  if (parts_->stopped) return;
  parts_->stopped = true;
  parts_->families.AfterRefreshes(nullptr);  // a render reads the server's and the self-watch's metrics
  parts_->profiling.Stop();  // a profile a worker takes ends now, so that the server need not wait for it
  // A probe under way returns now, and no probe outlives the exporter; before the server stops, since a scrape
  // waiting for a probe's first data (as long as its timeout header allows) holds a worker the server waits for.
  parts_->process_runner.KillAll();
  parts_->server.reset();
  parts_->self_watch.reset();
  parts_->families.Stop();
}

}  // namespace hw_exporter

#include "settings.h"

#include <climits>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>
#include <type_traits>

#include "hw_exporter/core/log.h"
#include "hw_exporter/core/strings.h"
#include "values.h"

namespace hw_exporter::config_internal {

namespace {

// A kind turns a flag's text or a JSON value into a value of one C++ type, and back into text for --help.

struct DurationKind {
  bool zero_allowed = false;
  Duration FromText(std::string_view text) const { return ParseDurationText(text, zero_allowed); }
  Duration FromJson(const nlohmann::json& value) const { return FromText(JsonString(value)); }
  std::string Show(Duration value) const { return FormatDuration(value); }
};

struct BoolKind {
  bool FromText(std::string_view text) const { return ParseBoolText(text); }
  bool FromJson(const nlohmann::json& value) const { return JsonBool(value); }
  std::string Show(bool value) const { return value ? "true" : "false"; }
};

template <typename Integer>
struct CountKind {
  Integer minimum;
  Integer maximum = std::numeric_limits<Integer>::max();
  Integer FromText(std::string_view text) const {
    return static_cast<Integer>(ParseCountText(text, Bound(minimum), Bound(maximum)));
  }
  Integer FromJson(const nlohmann::json& value) const {
    return static_cast<Integer>(JsonCount(value, Bound(minimum), Bound(maximum)));
  }
  std::string Show(Integer value) const { return std::to_string(value); }
  static std::uint64_t Bound(Integer value) { return static_cast<std::uint64_t>(value); }
};

struct ByteSizeKind {
  std::uint64_t minimum = 1;
  std::size_t FromText(std::string_view text) const { return ParseByteSizeText(text, minimum); }
  std::size_t FromJson(const nlohmann::json& value) const { return JsonByteSize(value, minimum); }
  std::string Show(std::size_t value) const { return FormatByteSize(value); }
};

struct FractionKind {
  double FromText(std::string_view text) const { return ParseFractionText(text); }
  double FromJson(const nlohmann::json& value) const { return JsonFraction(value); }
  std::string Show(double value) const {
    char text[32];
    std::snprintf(text, sizeof text, "%g", value);
    return text;
  }
};

// A string, checked by one of the Parse*Text functions.
struct TextKind {
  std::string (*check)(std::string_view) = ParseNonEmptyText;
  std::string FromText(std::string_view text) const { return check(text); }
  std::string FromJson(const nlohmann::json& value) const { return check(JsonString(value)); }
  std::string Show(const std::string& value) const { return Quote(value); }
};

struct ChoiceKind {
  std::span<const std::string_view> choices;
  std::string FromText(std::string_view text) const { return ParseChoiceText(text, choices); }
  std::string FromJson(const nlohmann::json& value) const { return FromText(JsonString(value)); }
  std::string Show(const std::string& value) const { return value; }
};

// A collector option: any text; the collector's factory validates it.
struct OptionKind {
  std::string FromText(std::string_view text) const { return std::string(text); }
  std::string FromJson(const nlohmann::json& value) const { return JsonOptionText(value); }
  std::string Show(const std::string& value) const { return Quote(value); }
};

// A repeatable collector option: its values one per line, as the collector reads them.
struct OptionListKind {
  std::string FromTexts(const std::vector<std::string>& texts) const {
    std::string joined;
    for (const std::string& text : texts) {
      if (text.find('\n') != std::string::npos) throw InvalidValue("a value may not contain a newline");
      joined += (joined.empty() ? "" : "\n") + text;
    }
    return joined;
  }
  std::string FromJson(const nlohmann::json& value) const {
    if (!value.is_array()) throw InvalidValue("expected an array of strings");
    std::vector<std::string> texts;
    for (const nlohmann::json& element : value) texts.push_back(JsonString(element));
    return FromTexts(texts);
  }
  std::string Show(const std::string& value) const {
    std::string shown;
    for (std::string_view line : Split(value, '\n'))
      if (!line.empty()) shown += (shown.empty() ? "" : " ") + Quote(line);
    return shown;
  }
};

struct ListenAddressesKind {
  std::vector<std::string> FromTexts(const std::vector<std::string>& texts) const {
    std::vector<std::string> addresses;
    for (const std::string& text : texts) addresses.push_back(ParseListenAddressText(text));
    return addresses;
  }
  std::vector<std::string> FromJson(const nlohmann::json& value) const {
    if (!value.is_array() || value.empty()) throw InvalidValue("expected a non-empty array of addresses");
    std::vector<std::string> texts;
    for (const nlohmann::json& element : value) texts.push_back(JsonString(element));
    return FromTexts(texts);
  }
  std::string Show(const std::vector<std::string>& value) const {
    std::string shown;
    for (const std::string& address : value) shown += (shown.empty() ? "" : " ") + address;
    return shown;
  }
};

struct Names {
  std::string flag;
  std::string pointer;
  std::string group;
  std::string help;
};

// A setting that stores into field(draft), a generic lambda returning a reference, so that it serves both
// the mutable draft (parsing) and the const one (--help).
template <typename Kind, typename Field>
Setting Bind(Names names, Kind kind, Field field) {
  Setting setting;
  setting.flag = std::move(names.flag);
  setting.pointer = std::move(names.pointer);
  setting.group = std::move(names.group);
  setting.help = std::move(names.help);
  setting.is_bool = std::is_same_v<Kind, BoolKind>;
  setting.repeatable = std::is_same_v<Kind, ListenAddressesKind> || std::is_same_v<Kind, OptionListKind>;
  setting.from_flags = [kind, field](Draft& draft, const std::vector<std::string>& values) {
    if constexpr (std::is_same_v<Kind, ListenAddressesKind> || std::is_same_v<Kind, OptionListKind>) {
      field(draft) = kind.FromTexts(values);
    } else {
      field(draft) = kind.FromText(values.back());
    }
  };
  setting.from_json = [kind, field](Draft& draft, const nlohmann::json& value) { field(draft) = kind.FromJson(value); };
  setting.show = [kind, field](const Draft& draft) { return kind.Show(field(draft)); };
  return setting;
}

// civetweb refuses more threads than it can start with a message of its own: ours names the flag.
constexpr int kMaxWebThreads = 1024;

std::vector<Setting> GlobalSettings() {
  std::vector<Setting> settings;
  // One setting per statement, as written.
  // clang-format off
  settings.push_back(Bind({"config.file", "", "General", "Path of the JSON config file; flags override what it sets."},
                          TextKind{}, [](auto& d) -> auto& { return d.loaded.config_file; }));

  settings.push_back(Bind({"web.listen-address", "/web/listen_addresses", "Web",
                           "Address to listen on: host:port, [ipv6]:port or :port (every interface); repeatable."},
                          ListenAddressesKind{}, [](auto& d) -> auto& { return d.loaded.config.web.listen_addresses; }));
  settings.push_back(Bind({"web.systemd-socket", "/web/systemd_socket", "Web",
                           "Serve on the sockets systemd passes (socket activation, hw_exporter.socket) instead of "
                           "the listen addresses."},
                          BoolKind{}, [](auto& d) -> auto& { return d.loaded.config.web.systemd_socket; }));
  settings.push_back(Bind({"web.enable-lifecycle", "/web/enable_lifecycle", "Web",
                           "Reload the configuration on POST or PUT to /-/reload (otherwise 403), as SIGHUP does."},
                          BoolKind{}, [](auto& d) -> auto& { return d.loaded.config.web.enable_lifecycle; }));
  settings.push_back(Bind({"web.enable-pprof", "/web/enable_pprof", "Web",
                           "Serve /debug/pprof/: CPU profiles, glibc malloc's report and the threads."},
                          BoolKind{}, [](auto& d) -> auto& { return d.loaded.config.web.enable_pprof; }));
  settings.push_back(Bind({"web.disable-openmetrics", "/web/disable_openmetrics", "Web",
                           "Serve the text format 0.0.4 only, also to clients that ask for OpenMetrics."},
                          BoolKind{}, [](auto& d) -> auto& { return d.loaded.config.web.disable_openmetrics; }));
  settings.push_back(Bind({"web.telemetry-path", "/web/telemetry_path", "Web", "Path under which metrics are served."},
                          TextKind{ParseUrlPathText}, [](auto& d) -> auto& { return d.loaded.config.web.telemetry_path; }));
  settings.push_back(Bind({"web.config.file", "/web/config_file", "Web",
                           "Path of a web-config file as exporter-toolkit reads it (YAML: TLS, basic auth, headers, "
                           "rate limit); read again when it changes."},
                          TextKind{ParseAnyText}, [](auto& d) -> auto& { return d.loaded.config.web.config_file; }));
  settings.push_back(Bind({"web.healthy-without-auth", "/web/healthy_without_auth", "Web",
                           "Answer /-/healthy without the credentials the web-config file asks for, for probes "
                           "that cannot send them."},
                          BoolKind{}, [](auto& d) -> auto& { return d.loaded.config.web.healthy_without_auth; }));
  settings.push_back(Bind({"web.threads", "/web/threads", "Web",
                           "HTTP worker threads; a connection holds one from its first complete request on."},
                          CountKind<int>{1, kMaxWebThreads}, [](auto& d) -> auto& { return d.loaded.config.web.threads; }));
  settings.push_back(Bind({"web.max-connections-per-client", "/web/max_connections_per_client", "Web",
                           "Most open connections from one client (an IPv4 address or an IPv6 /64); more are "
                           "closed at once."},
                          CountKind<int>{1, 1'000'000}, [](auto& d) -> auto& { return d.loaded.config.web.max_connections_per_client; }));
  settings.push_back(Bind({"web.scrape-timeout", "/web/scrape_timeout", "Web",
                           "How long a scrape waits for collectors without data when Prometheus sends no "
                           "X-Prometheus-Scrape-Timeout-Seconds header."},
                          DurationKind{}, [](auto& d) -> auto& { return d.loaded.config.web.scrape_timeout; }));
  settings.push_back(Bind({"web.timeout-offset", "/web/timeout_offset", "Web",
                           "Subtracted from Prometheus' scrape timeout header, to leave time for the response."},
                          DurationKind{true}, [](auto& d) -> auto& { return d.loaded.config.web.timeout_offset; }));
  settings.push_back(Bind({"web.keep-alive-timeout", "/web/keep_alive_timeout", "Web",
                           "How long an idle keep-alive connection stays open."},
                          DurationKind{}, [](auto& d) -> auto& { return d.loaded.config.web.keep_alive_timeout; }));
  settings.push_back(Bind({"web.request-timeout", "/web/request_timeout", "Web",
                           "How long reading a request or writing a response may take."},
                          DurationKind{}, [](auto& d) -> auto& { return d.loaded.config.web.request_timeout; }));

  settings.push_back(Bind({"log.level", "/log/level", "Logging", "Only log events of this level or above: debug, info, warn, error."},
                          ChoiceKind{log::LevelNames()}, [](auto& d) -> auto& { return d.loaded.config.log.level; }));
  settings.push_back(Bind({"log.format", "/log/format", "Logging", "Log line format: logfmt or json."},
                          ChoiceKind{log::FormatNames()}, [](auto& d) -> auto& { return d.loaded.config.log.format; }));

  settings.push_back(Bind({"diagnostics.dir", "/diagnostics/dir", "Diagnostics",
                           "Directory of the profiles SIGUSR2 takes; empty: $RUNTIME_DIRECTORY, else the "
                           "temporary directory."},
                          TextKind{ParseAnyText}, [](auto& d) -> auto& { return d.loaded.config.diagnostics.dir; }));
  settings.push_back(Bind({"diagnostics.cpu-threshold", "/diagnostics/cpu_threshold", "Diagnostics",
                           "Capture profiles when the exporter's CPU use, in cores, stays above this for "
                           "--diagnostics.for; 0: never."},
                          FractionKind{}, [](auto& d) -> auto& { return d.loaded.config.diagnostics.cpu_threshold; }));
  settings.push_back(Bind({"diagnostics.memory-threshold", "/diagnostics/memory_threshold", "Diagnostics",
                           "Capture profiles when the exporter's resident memory stays above this for "
                           "--diagnostics.for: bytes, or with a KiB, MiB or GiB suffix; 0: never."},
                          ByteSizeKind{0}, [](auto& d) -> auto& { return d.loaded.config.diagnostics.memory_threshold; }));
  settings.push_back(Bind({"diagnostics.for", "/diagnostics/for", "Diagnostics",
                           "How long a threshold must be exceeded before profiles are captured."},
                          DurationKind{}, [](auto& d) -> auto& { return d.loaded.config.diagnostics.sustained; }));
  settings.push_back(Bind({"diagnostics.cooldown", "/diagnostics/cooldown", "Diagnostics",
                           "No capture for this long after one."},
                          DurationKind{}, [](auto& d) -> auto& { return d.loaded.config.diagnostics.cooldown; }));

  settings.push_back(Bind({"path.procfs", "/paths/procfs", "Paths", "procfs mountpoint."},
                          TextKind{}, [](auto& d) -> auto& { return d.loaded.config.paths.procfs; }));
  settings.push_back(Bind({"path.sysfs", "/paths/sysfs", "Paths", "sysfs mountpoint."},
                          TextKind{}, [](auto& d) -> auto& { return d.loaded.config.paths.sysfs; }));
  settings.push_back(Bind({"path.rootfs", "/paths/rootfs", "Paths", "rootfs mountpoint."},
                          TextKind{}, [](auto& d) -> auto& { return d.loaded.config.paths.rootfs; }));
  settings.push_back(Bind({"path.udev.data", "/paths/udev_data", "Paths", "udev data path."},
                          TextKind{}, [](auto& d) -> auto& { return d.loaded.config.paths.udev_data; }));

  settings.push_back(Bind({"cache.enabled", "/cache/enabled", "Response cache",
                           "Replay serialized /metrics responses until they expire or a collector's data changes."},
                          BoolKind{}, [](auto& d) -> auto& { return d.loaded.config.response_cache.enabled; }));
  settings.push_back(Bind({"cache.ttl", "/cache/ttl", "Response cache", "Longest time a cached response is replayed."},
                          DurationKind{}, [](auto& d) -> auto& { return d.loaded.config.response_cache.ttl; }));
  settings.push_back(Bind({"cache.max-entries", "/cache/max_entries", "Response cache",
                           "Most responses kept (one per path, format and encoding); least recently used go first."},
                          CountKind<std::size_t>{1}, [](auto& d) -> auto& { return d.loaded.config.response_cache.max_entries; }));
  settings.push_back(Bind({"cache.max-bytes", "/cache/max_bytes", "Response cache",
                           "Most bytes of responses kept: an integer, or with a KiB, MiB or GiB suffix."},
                          ByteSizeKind{}, [](auto& d) -> auto& { return d.loaded.config.response_cache.max_bytes; }));

  settings.push_back(Bind({"probe.max-processes", "/probe/max_processes", "Probes",
                           "Most probe programs (smartctl, ipmitool, FreeIPMI's tools) running at once, over every collector."},
                          CountKind<int>{1}, [](auto& d) -> auto& { return d.loaded.config.probe_max_processes; }));

  settings.push_back(Bind({"collector.disable-defaults", "/collectors/disable_defaults", "Collectors",
                           "Disable every collector not enabled explicitly (by flag or in the config file)."},
                          BoolKind{}, [](auto& d) -> auto& { return d.disable_defaults; }));
  // clang-format on
  return settings;
}

void AddCollectorSettings(const CollectorInfo& info, std::vector<Setting>& settings) {
  const std::string& name = info.name;
  const std::string group = "Collector " + name;
  auto collector = [name](auto& d) -> auto& { return d.loaded.config.collectors.at(name); };
  settings.push_back(Bind(
      {CollectorFlag(name, ""), CollectorPointer(name, "enabled"), group,
       "Enable the " + name + " collector: " + info.help},
      BoolKind{}, [collector](auto& d) -> auto& { return collector(d).enabled; }));
  settings.push_back(Bind(
      {CollectorFlag(name, "ttl"), CollectorPointer(name, "ttl"), group,
       info.runs_programs ? "How often " + name + " refreshes its data in the background, scraped or not."
                          : "How old " + name + "'s data may be before a scrape asks for a refresh."},
      DurationKind{}, [collector](auto& d) -> auto& { return collector(d).ttl; }));
  settings.push_back(Bind(
      {CollectorFlag(name, "timeout"), CollectorPointer(name, "timeout"), group,
       "How long one collection of " + name + " may take before it counts as failed."},
      DurationKind{}, [collector](auto& d) -> auto& { return collector(d).timeout; }));
  settings.push_back(Bind(
      {CollectorFlag(name, "max-staleness"), CollectorPointer(name, "max_staleness"), group,
       "How long " + name +
           "'s last good data is still served while collections fail "
           "(default: 4 × ttl)."},
      DurationKind{}, [collector](auto& d) -> auto& { return collector(d).max_staleness; }));
  for (const CollectorOption& option : info.options) {
    const std::string& key = option.name;
    auto field = [ collector, key ](auto& d) -> auto& { return collector(d).options.at(key); };
    const Names names{CollectorFlag(name, key), CollectorPointer(name, key), group,
                      option.help + (option.repeatable ? "; repeatable" : "")};
    settings.push_back(option.repeatable ? Bind(names, OptionListKind{}, field) : Bind(names, OptionKind{}, field));
  }
}

}  // namespace

std::string CollectorPointer(const std::string& collector, const std::string& key) {
  return "/collectors/" + collector + "/" + key;
}

std::string CollectorFlag(const std::string& collector, const std::string& key) {
  return "collector." + collector + (key.empty() ? "" : "." + key);
}

std::string ExplainUnknownCollectorFlag(const std::string& flag) {
  std::string_view rest = std::string_view(flag).substr(std::string_view("collector.").size());
  const std::string name(rest.substr(0, rest.find('.')));
  const CollectorInfo* info = FindCollector(name);
  if (!info) return "unknown collector " + Quote(name);
  const std::string_view option = rest.size() > name.size() ? rest.substr(name.size() + 1) : std::string_view();
  return "unknown option " + Quote(option) + " of collector " + Quote(name);
}

Settings::Settings() : all_(GlobalSettings()) {
  for (const CollectorInfo& info : CollectorTable()) AddCollectorSettings(info, all_);
  // First wins: a collector option named like one of the collector's own settings ("timeout") cannot
  // shadow it; the test of the table reports such a clash.
  for (const Setting& setting : all_) {
    by_flag_.emplace(setting.flag, &setting);
    if (setting.pointer.empty()) continue;
    by_pointer_.emplace(setting.pointer, &setting);
    for (size_t slash = setting.pointer.find('/', 1); slash != std::string::npos;
         slash = setting.pointer.find('/', slash + 1)) {
      sections_[setting.pointer.substr(0, slash)] = true;
    }
  }
}

const Setting* Settings::FindFlag(const std::string& flag) const {
  auto found = by_flag_.find(flag);
  return found == by_flag_.end() ? nullptr : found->second;
}

const Setting* Settings::FindPointer(const std::string& pointer) const {
  auto found = by_pointer_.find(pointer);
  return found == by_pointer_.end() ? nullptr : found->second;
}

bool Settings::IsSection(const std::string& pointer) const { return sections_.contains(pointer); }

Draft DefaultDraft() {
  Draft draft;
  for (const CollectorInfo& info : CollectorTable()) {
    CollectorConfig& collector = draft.loaded.config.collectors[info.name];
    collector.enabled = info.enabled_by_default;
    collector.ttl = info.default_ttl;
    collector.timeout = info.default_timeout;
    for (const CollectorOption& option : info.options) collector.options[option.name] = option.default_value;
  }
  return draft;
}

void Finish(Draft& draft) {
  const auto& sources = draft.loaded.sources;
  for (const CollectorInfo& info : CollectorTable()) {
    CollectorConfig& collector = draft.loaded.config.collectors.at(info.name);
    if (!sources.contains(CollectorPointer(info.name, "enabled")))
      collector.enabled = info.enabled_by_default && !draft.disable_defaults;
    if (!sources.contains(CollectorPointer(info.name, "max_staleness"))) collector.max_staleness = 4 * collector.ttl;
  }
}

}  // namespace hw_exporter::config_internal

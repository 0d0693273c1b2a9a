#include <gtest/gtest.h>

#include "config_test_helpers.h"
#include "hw_exporter/collectors/collector_table.h"
#include "hw_exporter/config/config.h"

namespace hw_exporter {
namespace {

using namespace std::chrono_literals;
using testing::FailsWith;

Config Load(const std::vector<std::string>& arguments) {
  LoadedConfig loaded = LoadConfig(arguments);
  EXPECT_EQ(loaded.action, Action::kRun);
  return loaded.config;
}

TEST(Flags, NoArgumentsGiveTheEmbeddedDefaults) {
  const LoadedConfig loaded = LoadConfig({});
  EXPECT_EQ(loaded.action, Action::kRun);
  EXPECT_EQ(loaded.config_file, "");
  EXPECT_TRUE(loaded.sources.empty());
  const Config& config = loaded.config;
  const Config defaults;
  EXPECT_EQ(config.web.listen_addresses, defaults.web.listen_addresses);
  EXPECT_EQ(config.web.telemetry_path, "/metrics");
  EXPECT_EQ(config.web.threads, defaults.web.threads);
  EXPECT_EQ(config.web.scrape_timeout, defaults.web.scrape_timeout);
  EXPECT_EQ(config.log.level, "info");
  EXPECT_EQ(config.log.format, "logfmt");
  EXPECT_EQ(config.paths.procfs, "/proc");
  EXPECT_EQ(config.paths.sysfs, "/sys");
  EXPECT_EQ(config.paths.rootfs, "/");
  EXPECT_EQ(config.paths.udev_data, "/run/udev/data");
  EXPECT_TRUE(config.response_cache.enabled);
  EXPECT_EQ(config.response_cache.max_bytes, defaults.response_cache.max_bytes);
  EXPECT_EQ(config.probe_max_processes, defaults.probe_max_processes);

  ASSERT_EQ(config.collectors.size(), CollectorTable().size());
  for (const CollectorInfo& info : CollectorTable()) {
    const CollectorConfig& collector = config.collectors.at(info.name);
    EXPECT_EQ(collector.enabled, info.enabled_by_default) << info.name;
    EXPECT_EQ(collector.ttl, info.default_ttl) << info.name;
    EXPECT_EQ(collector.timeout, info.default_timeout) << info.name;
    EXPECT_EQ(collector.max_staleness, 4 * info.default_ttl) << info.name;
    ASSERT_EQ(collector.options.size(), info.options.size()) << info.name;
    for (const CollectorOption& option : info.options) {
      EXPECT_EQ(collector.options.at(option.name), option.default_value) << info.name << "." << option.name;
    }
  }
}

TEST(Flags, EveryGlobalFlagWithEquals) {
  const LoadedConfig loaded =
      LoadConfig({"--web.listen-address=127.0.0.1:9100", "--web.telemetry-path=/hw", "--web.threads=4",
                  "--web.scrape-timeout=7s", "--web.timeout-offset=0", "--web.keep-alive-timeout=1m",
                  "--web.request-timeout=3s", "--log.level=debug", "--log.format=json", "--path.procfs=/host/proc",
                  "--path.sysfs=/host/sys", "--path.rootfs=/host", "--path.udev.data=/host/run/udev/data",
                  "--no-cache.enabled", "--cache.ttl=2s", "--cache.max-entries=9", "--cache.max-bytes=2MiB",
                  "--probe.max-processes=3"});
  const Config& config = loaded.config;
  EXPECT_EQ(config.web.listen_addresses, std::vector<std::string>{"127.0.0.1:9100"});
  EXPECT_EQ(config.web.telemetry_path, "/hw");
  EXPECT_EQ(config.web.threads, 4);
  EXPECT_EQ(config.web.scrape_timeout, 7s);
  EXPECT_EQ(config.web.timeout_offset, 0s);
  EXPECT_EQ(config.web.keep_alive_timeout, 1min);
  EXPECT_EQ(config.web.request_timeout, 3s);
  EXPECT_EQ(config.log.level, "debug");
  EXPECT_EQ(config.log.format, "json");
  EXPECT_EQ(config.paths.procfs, "/host/proc");
  EXPECT_EQ(config.paths.sysfs, "/host/sys");
  EXPECT_EQ(config.paths.rootfs, "/host");
  EXPECT_EQ(config.paths.udev_data, "/host/run/udev/data");
  EXPECT_FALSE(config.response_cache.enabled);
  EXPECT_EQ(config.response_cache.ttl, 2s);
  EXPECT_EQ(config.response_cache.max_entries, 9u);
  EXPECT_EQ(config.response_cache.max_bytes, 2u << 20);
  EXPECT_EQ(config.probe_max_processes, 3);
  EXPECT_EQ(loaded.sources.at("/web/threads"), "--web.threads");
  EXPECT_EQ(loaded.sources.at("/cache/enabled"), "--cache.enabled");
  EXPECT_EQ(loaded.Where("/web/threads", "--web.threads"), "--web.threads");
  EXPECT_EQ(loaded.Where("/log/nothing", "--fallback"), "--fallback");
}

TEST(Flags, ValueAsTheNextArgument) {
  const Config config = Load({"--web.telemetry-path", "/m", "--log.level", "warn", "--collector.cpu.ttl", "10s",
                              "--path.procfs", "--odd-but-a-value"});
  EXPECT_EQ(config.web.telemetry_path, "/m");
  EXPECT_EQ(config.log.level, "warn");
  EXPECT_EQ(config.collectors.at("cpu").ttl, 10s);
  EXPECT_EQ(config.paths.procfs, "--odd-but-a-value");
}

TEST(Flags, ListenAddressIsRepeatableAndReplacesTheDefault) {
  EXPECT_EQ(Load({"--web.listen-address=:9100"}).web.listen_addresses, std::vector<std::string>{":9100"});
  EXPECT_EQ(Load({"--web.listen-address=127.0.0.1:1", "--web.threads=2", "--web.listen-address", "[::1]:2"})
                .web.listen_addresses,
            (std::vector<std::string>{"127.0.0.1:1", "[::1]:2"}));
  EXPECT_EQ(Load({"--web.listen-address=[::]:0", "--web.listen-address=host.example:65535"}).web.listen_addresses,
            (std::vector<std::string>{"[::]:0", "host.example:65535"}));
}

// civetweb would read 256.0.0.0 as 0.0.0.0 (every interface) and 383.0.0.1 as 127.0.0.1.
TEST(Flags, WebThreadsAreBounded) {
  EXPECT_TRUE(FailsWith({"--web.threads=100000"}, "--web.threads", "must be at most 1024, got 100000"));
  EXPECT_EQ(Load({"--web.threads=1024"}).web.threads, 1024);
}

TEST(Flags, ListenAddressHostsMustBeAddressesWhenTheyLookLikeOne) {
  for (const char* bad : {"256.0.0.0:1", "383.0.0.1:1", "127.0.0:1", "1.2.3.4.5:1"})
    EXPECT_TRUE(FailsWith({std::string("--web.listen-address=") + bad}, "--web.listen-address",
                          "is not an IPv4 address"))
        << bad;
  EXPECT_TRUE(FailsWith({"--web.listen-address=[::g]:1"}, "--web.listen-address", "is not an IPv6 address"));
  EXPECT_EQ(Load({"--web.listen-address=255.255.255.255:1", "--web.listen-address=[::ffff:127.0.0.1]:2"})
                .web.listen_addresses,
            (std::vector<std::string>{"255.255.255.255:1", "[::ffff:127.0.0.1]:2"}));
}

TEST(Flags, ListenAddressMustHaveAPort) {
  for (const char* bad : {"9100", "localhost", ":", ":99999", ":port", "::1:9100", "[::1]", "[]:1", "a]:1"}) {
    EXPECT_TRUE(FailsWith({std::string("--web.listen-address=") + bad}, "--web.listen-address",
                          "is not host:port, [ipv6]:port or :port"))
        << bad;
  }
}

TEST(Flags, BooleanForms) {
  EXPECT_FALSE(Load({"--no-cache.enabled"}).response_cache.enabled);
  EXPECT_TRUE(Load({"--cache.enabled"}).response_cache.enabled);
  EXPECT_FALSE(Load({"--cache.enabled=false"}).response_cache.enabled);
  EXPECT_TRUE(Load({"--cache.enabled=true"}).response_cache.enabled);
  // A boolean never takes the next argument as its value.
  EXPECT_TRUE(FailsWith({"--cache.enabled", "false"}, "false", "unexpected argument"));
  EXPECT_TRUE(FailsWith({"--cache.enabled=yes"}, "--cache.enabled", "\"yes\" is not a boolean"));
  EXPECT_TRUE(FailsWith({"--no-cache.enabled=true"}, "--no-cache.enabled", "takes no value"));
  EXPECT_TRUE(FailsWith({"--no-web.threads"}, "--no-web.threads", "unknown flag"));
}

TEST(Flags, CollectorEnableAndDisable) {
  const Config config = Load({"--no-collector.cpu", "--collector.meminfo"});
  EXPECT_FALSE(config.collectors.at("cpu").enabled);
  EXPECT_TRUE(config.collectors.at("meminfo").enabled);
  EXPECT_EQ(config.collectors.at("loadavg").enabled, FindCollector("loadavg")->enabled_by_default);
  EXPECT_TRUE(Load({"--collector.cpu=true"}).collectors.at("cpu").enabled);
  EXPECT_FALSE(Load({"--collector.cpu=false"}).collectors.at("cpu").enabled);
}

TEST(Flags, DisableDefaultsKeepsOnlyExplicitlyEnabledCollectors) {
  const Config config = Load({"--collector.disable-defaults", "--collector.meminfo"});
  for (const CollectorInfo& info : CollectorTable()) {
    EXPECT_EQ(config.collectors.at(info.name).enabled, info.name == "meminfo") << info.name;
  }
  // The order of the flags does not matter.
  EXPECT_TRUE(Load({"--collector.loadavg", "--collector.disable-defaults"}).collectors.at("loadavg").enabled);
  EXPECT_TRUE(Load({"--no-collector.disable-defaults"}).collectors.at("cpu").enabled);
}

TEST(Flags, CollectorDurations) {
  Config config = Load({"--collector.cpu.ttl=1m", "--collector.cpu.timeout=3m", "--collector.loadavg.ttl=10s",
                        "--collector.loadavg.max-staleness=15s"});
  EXPECT_EQ(config.collectors.at("cpu").ttl, 1min);
  EXPECT_EQ(config.collectors.at("cpu").timeout, 3min);        // longer than the TTL: allowed
  EXPECT_EQ(config.collectors.at("cpu").max_staleness, 4min);  // follows the TTL that was set
  EXPECT_EQ(config.collectors.at("loadavg").ttl, 10s);
  EXPECT_EQ(config.collectors.at("loadavg").max_staleness, 15s);
}

// The names of a collector's own settings; an option named like one cannot be reached (see CollectorTableTest).
bool IsCollectorSetting(const std::string& key) {
  for (const char* reserved : {"enabled", "ttl", "timeout", "max-staleness", "max_staleness"}) {
    if (key == reserved) return true;
  }
  return false;
}

TEST(Flags, EveryDeclaredCollectorOption) {
  std::vector<std::string> arguments;
  for (const CollectorInfo& info : CollectorTable()) {
    for (const CollectorOption& option : info.options) {
      if (IsCollectorSetting(option.name)) continue;
      arguments.push_back("--collector." + info.name + "." + option.name + "=set " + info.name + " " + option.name);
    }
  }
  const LoadedConfig loaded = LoadConfig(arguments);
  for (const CollectorInfo& info : CollectorTable()) {
    for (const CollectorOption& option : info.options) {
      if (IsCollectorSetting(option.name)) continue;
      const std::string key = info.name + "." + option.name;
      EXPECT_EQ(loaded.config.collectors.at(info.name).options.at(option.name), "set " + info.name + " " + option.name)
          << key;
      EXPECT_EQ(loaded.sources.at("/collectors/" + info.name + "/" + option.name), "--collector." + key);
    }
  }
}

TEST(Flags, ARepeatableCollectorOptionCollectsEveryValue) {
  EXPECT_EQ(Load({}).collectors.at("textfile").options.at("directory"), "");
  EXPECT_EQ(Load({"--collector.textfile.directory=/var/lib/prometheus/node-exporter", "--collector.textfile.directory",
                  "/srv/*/metrics"})
                .collectors.at("textfile")
                .options.at("directory"),
            "/var/lib/prometheus/node-exporter\n/srv/*/metrics");
  EXPECT_TRUE(FailsWith({"--collector.cpu.info=true", "--collector.cpu.info=false"}, "--collector.cpu.info",
                        "cannot be repeated"));
  EXPECT_TRUE(FailsWith({"--collector.textfile.directory=a\nb"}, "--collector.textfile.directory",
                        "a value may not contain a newline"));
}

TEST(Flags, DurationErrors) {
  EXPECT_TRUE(FailsWith({"--collector.cpu.ttl=5x"}, "--collector.cpu.ttl",
                        "\"5x\" is not a duration (examples: 500ms, 30s, 6h)"));
  EXPECT_TRUE(FailsWith({"--collector.cpu.ttl=0"}, "--collector.cpu.ttl", "must be greater than 0"));
  EXPECT_TRUE(FailsWith({"--collector.cpu.ttl=0s"}, "--collector.cpu.ttl", "must be greater than 0"));
  EXPECT_TRUE(FailsWith({"--collector.cpu.ttl=-5s"}, "--collector.cpu.ttl", "is not a duration"));
  // A time point that far ahead overflows the clock: 300y made the cpu collector refresh in a busy loop.
  EXPECT_TRUE(FailsWith({"--collector.cpu.ttl=300y"}, "--collector.cpu.ttl", "must be at most 1y, got \"300y\""));
  EXPECT_TRUE(FailsWith({"--collector.cpu.timeout=1y1d"}, "--collector.cpu.timeout", "must be at most 1y"));
  EXPECT_EQ(Load({"--collector.dmi.ttl=1y"}).collectors.at("dmi").ttl, kLongestDuration);
  EXPECT_TRUE(FailsWith({"--collector.meminfo.timeout=0"}, "--collector.meminfo.timeout", "must be greater than 0"));
  EXPECT_TRUE(FailsWith({"--collector.meminfo.max-staleness=1.5s"}, "--collector.meminfo.max-staleness",
                        "is not a duration"));
  EXPECT_TRUE(FailsWith({"--web.scrape-timeout=10"}, "--web.scrape-timeout", "is not a duration"));
  EXPECT_TRUE(FailsWith({"--cache.ttl=0"}, "--cache.ttl", "must be greater than 0"));
  EXPECT_TRUE(FailsWith({"--web.timeout-offset=soon"}, "--web.timeout-offset", "is not a duration"));
}

TEST(Flags, NumberErrors) {
  EXPECT_TRUE(FailsWith({"--web.threads=many"}, "--web.threads", "\"many\" is not a non-negative integer"));
  EXPECT_TRUE(FailsWith({"--web.threads=-1"}, "--web.threads", "is not a non-negative integer"));
  EXPECT_TRUE(FailsWith({"--web.threads=0"}, "--web.threads", "must be at least 1"));
  EXPECT_TRUE(FailsWith({"--probe.max-processes=3000000000"}, "--probe.max-processes", "must be at most 2147483647"));
  EXPECT_TRUE(FailsWith({"--probe.max-processes=0"}, "--probe.max-processes", "must be at least 1"));
  EXPECT_TRUE(FailsWith({"--cache.max-entries=1e3"}, "--cache.max-entries", "is not a non-negative integer"));
}

TEST(Flags, ByteSizes) {
  EXPECT_EQ(Load({"--cache.max-bytes=1048576"}).response_cache.max_bytes, 1048576u);
  EXPECT_EQ(Load({"--cache.max-bytes=512KiB"}).response_cache.max_bytes, 512u * 1024);
  EXPECT_EQ(Load({"--cache.max-bytes=32MiB"}).response_cache.max_bytes, 32u << 20);
  EXPECT_EQ(Load({"--cache.max-bytes=1GiB"}).response_cache.max_bytes, 1u << 30);
  for (const char* bad : {"32MB", "32M", "MiB", "1.5MiB", "-1", "", "99999999999999999999GiB"}) {
    EXPECT_TRUE(FailsWith({std::string("--cache.max-bytes=") + bad}, "--cache.max-bytes", "is not a size in bytes"))
        << bad;
  }
  EXPECT_TRUE(FailsWith({"--cache.max-bytes=0"}, "--cache.max-bytes", "must be at least 1"));
}

TEST(Flags, EnumAndTextErrors) {
  EXPECT_TRUE(FailsWith({"--log.level=verbose"}, "--log.level", "\"verbose\" is not one of debug, info, warn, error"));
  EXPECT_TRUE(FailsWith({"--log.format=text"}, "--log.format", "is not one of logfmt, json"));
  EXPECT_TRUE(FailsWith({"--web.telemetry-path=metrics"}, "--web.telemetry-path", "must start with \"/\""));
  EXPECT_TRUE(FailsWith({"--path.sysfs="}, "--path.sysfs", "must not be empty"));
  EXPECT_TRUE(FailsWith({"--config.file="}, "--config.file", "must not be empty"));
}

TEST(Flags, CommandLineErrors) {
  EXPECT_TRUE(FailsWith({"--web.bogus=1"}, "--web.bogus", "unknown flag"));
  EXPECT_TRUE(FailsWith({"--bogus"}, "--bogus", "unknown flag"));
  EXPECT_TRUE(FailsWith({"-x"}, "-x", "unknown flag"));
  EXPECT_TRUE(FailsWith({"--"}, "--", "unexpected argument"));
  EXPECT_TRUE(FailsWith({"stray"}, "stray", "unexpected argument"));
  EXPECT_TRUE(FailsWith({"--web.threads"}, "--web.threads", "expected a value"));
  EXPECT_TRUE(FailsWith({"--log.level=info", "--log.level=debug"}, "--log.level", "cannot be repeated"));
  EXPECT_TRUE(FailsWith({"--collector.cpu", "--no-collector.cpu"}, "--no-collector.cpu", "cannot be repeated"));
}

TEST(Flags, UnknownCollectorOrOption) {
  EXPECT_TRUE(FailsWith({"--collector.nosuch"}, "--collector.nosuch", "unknown collector \"nosuch\""));
  EXPECT_TRUE(FailsWith({"--no-collector.nosuch"}, "--no-collector.nosuch", "unknown collector \"nosuch\""));
  EXPECT_TRUE(FailsWith({"--collector.nosuch.ttl=5s"}, "--collector.nosuch.ttl", "unknown collector \"nosuch\""));
  EXPECT_TRUE(FailsWith({"--collector.cpu.nosuch=1"}, "--collector.cpu.nosuch",
                        "unknown option \"nosuch\" of collector \"cpu\""));
  EXPECT_TRUE(FailsWith({"--collector.cpu.max_staleness=1s"}, "--collector.cpu.max_staleness", "unknown option"));
}

TEST(Flags, HelpAndVersionWinOverEverythingAfterThem) {
  EXPECT_EQ(LoadConfig({"--help"}).action, Action::kHelp);
  EXPECT_EQ(LoadConfig({"-h"}).action, Action::kHelp);
  EXPECT_EQ(LoadConfig({"--version"}).action, Action::kVersion);
  EXPECT_EQ(LoadConfig({"--config.file=/nonexistent/hw_exporter.json", "--help"}).action, Action::kHelp);
  EXPECT_EQ(LoadConfig({"--web.threads=2", "--version", "--bogus"}).action, Action::kVersion);
  // A flag before --help must still be a flag.
  EXPECT_TRUE(FailsWith({"--bogus", "--help"}, "--bogus", "unknown flag"));
}

// The flags of a collector's own settings and its options share one namespace: an option named ttl, timeout,
// enabled or max-staleness would be unreachable.
TEST(CollectorTableTest, NoOptionShadowsACollectorSetting) {
  for (const CollectorInfo& info : CollectorTable()) {
    for (const CollectorOption& option : info.options) {
      EXPECT_FALSE(IsCollectorSetting(option.name))
          << "collector " << info.name << ": option \"" << option.name << "\" has the name of the collector's own "
          << "setting, which wins (--collector." << info.name << "." << option.name << "); rename the option";
    }
  }
}

}  // namespace
}  // namespace hw_exporter

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "config_test_helpers.h"
#include "hw_exporter/collectors/collector_table.h"
#include "hw_exporter/config/config.h"
#include "support/test_support.h"

namespace hw_exporter {
namespace {

using namespace std::chrono_literals;
using testing::FailsWith;
using testing::TempDir;

class ConfigFile : public ::testing::Test {
 protected:
  std::string Write(const std::string& json) { return dir_.Write("hw_exporter.json", json); }
  LoadedConfig LoadWith(const std::string& json, std::vector<std::string> flags = {}) {
    flags.insert(flags.begin(), "--config.file=" + Write(json));
    return LoadConfig(flags);
  }
  ::testing::AssertionResult Fails(const std::string& json, const std::string& where, const std::string& reason) {
    return FailsWith({"--config.file", Write(json)}, where, reason);
  }

  TempDir dir_;
};

TEST_F(ConfigFile, SetsEverySection) {
  const LoadedConfig loaded = LoadWith(R"({
    "web": {"listen_addresses": [":9100", "[::1]:9101"], "telemetry_path": "/hw", "threads": 3,
            "scrape_timeout": "8s", "timeout_offset": "250ms", "keep_alive_timeout": "5s", "request_timeout": "4s"},
    "log": {"level": "error", "format": "json"},
    "paths": {"procfs": "/p", "sysfs": "/s", "rootfs": "/r", "udev_data": "/u"},
    "cache": {"enabled": false, "ttl": "1s", "max_entries": 7, "max_bytes": "4KiB"},
    "probe": {"max_processes": 5},
    "collectors": {"cpu": {"enabled": false, "ttl": "30s", "timeout": "1s", "max_staleness": "1m"},
                   "loadavg": {"ttl": "20s"}}
  })");
  const Config& config = loaded.config;
  EXPECT_EQ(config.web.listen_addresses, (std::vector<std::string>{":9100", "[::1]:9101"}));
  EXPECT_EQ(config.web.telemetry_path, "/hw");
  EXPECT_EQ(config.web.threads, 3);
  EXPECT_EQ(config.web.scrape_timeout, 8s);
  EXPECT_EQ(config.web.timeout_offset, 250ms);
  EXPECT_EQ(config.web.keep_alive_timeout, 5s);
  EXPECT_EQ(config.web.request_timeout, 4s);
  EXPECT_EQ(config.log.level, "error");
  EXPECT_EQ(config.log.format, "json");
  EXPECT_EQ(config.paths.procfs, "/p");
  EXPECT_EQ(config.paths.sysfs, "/s");
  EXPECT_EQ(config.paths.rootfs, "/r");
  EXPECT_EQ(config.paths.udev_data, "/u");
  EXPECT_FALSE(config.response_cache.enabled);
  EXPECT_EQ(config.response_cache.ttl, 1s);
  EXPECT_EQ(config.response_cache.max_entries, 7u);
  EXPECT_EQ(config.response_cache.max_bytes, 4096u);
  EXPECT_EQ(config.probe_max_processes, 5);
  const CollectorConfig& cpu = config.collectors.at("cpu");
  EXPECT_FALSE(cpu.enabled);
  EXPECT_EQ(cpu.ttl, 30s);
  EXPECT_EQ(cpu.timeout, 1s);
  EXPECT_EQ(cpu.max_staleness, 1min);
  EXPECT_EQ(config.collectors.at("loadavg").ttl, 20s);
  EXPECT_EQ(config.collectors.at("loadavg").max_staleness, 80s);
  EXPECT_EQ(loaded.config_file, dir_.path() + "/hw_exporter.json");
  EXPECT_EQ(loaded.sources.at("/collectors/cpu/ttl"), "/collectors/cpu/ttl");
  EXPECT_EQ(loaded.sources.at("/cache/max_bytes"), "/cache/max_bytes");
  EXPECT_FALSE(loaded.sources.contains("/collectors/meminfo/ttl"));
}

TEST_F(ConfigFile, AnEmptyObjectKeepsTheDefaults) {
  const LoadedConfig loaded = LoadWith("{}");
  const LoadedConfig defaults = LoadConfig({});
  EXPECT_EQ(loaded.config.web.listen_addresses, defaults.config.web.listen_addresses);
  for (const CollectorInfo& info : CollectorTable()) {
    EXPECT_EQ(loaded.config.collectors.at(info.name).enabled, info.enabled_by_default) << info.name;
    EXPECT_EQ(loaded.config.collectors.at(info.name).options, defaults.config.collectors.at(info.name).options);
  }
  EXPECT_TRUE(loaded.sources.empty());
}

TEST_F(ConfigFile, FlagsOverrideTheFileWhichOverridesDefaults) {
  const LoadedConfig loaded = LoadWith(
      R"({"web": {"threads": 3, "telemetry_path": "/file", "listen_addresses": [":1", ":2"]},
          "collectors": {"cpu": {"ttl": "30s"}, "meminfo": {"enabled": false}}})",
      {"--web.threads=9", "--web.listen-address=:3", "--collector.meminfo", "--collector.cpu.timeout=4s"});
  const Config& config = loaded.config;
  EXPECT_EQ(config.web.threads, 9);
  EXPECT_EQ(config.web.telemetry_path, "/file");
  EXPECT_EQ(config.web.listen_addresses, std::vector<std::string>{":3"});
  EXPECT_EQ(config.collectors.at("cpu").ttl, 30s);
  EXPECT_EQ(config.collectors.at("cpu").timeout, 4s);
  EXPECT_TRUE(config.collectors.at("meminfo").enabled);
  EXPECT_EQ(loaded.sources.at("/web/threads"), "--web.threads");
  EXPECT_EQ(loaded.sources.at("/web/telemetry_path"), "/web/telemetry_path");
  // Flags given before --config.file still win.
  EXPECT_EQ(LoadConfig({"--web.threads=9", "--config.file=" + Write(R"({"web": {"threads": 3}})")}).config.web.threads,
            9);
}

TEST_F(ConfigFile, DisableDefaults) {
  Config config = LoadWith(R"({"collectors": {"disable_defaults": true, "loadavg": {"enabled": true}}})",
                           {"--collector.cpu"})
                      .config;
  for (const CollectorInfo& info : CollectorTable()) {
    EXPECT_EQ(config.collectors.at(info.name).enabled, info.name == "loadavg" || info.name == "cpu") << info.name;
  }
  config = LoadWith(R"({"collectors": {"disable_defaults": true}})", {"--no-collector.disable-defaults"}).config;
  EXPECT_TRUE(config.collectors.at("cpu").enabled);
}

TEST_F(ConfigFile, ARepeatableCollectorOptionIsAnArray) {
  const auto directories = [&](const std::string& value, std::vector<std::string> flags = {}) {
    return LoadWith(R"({"collectors": {"textfile": {"directory": )" + value + "}}}", std::move(flags))
        .config.collectors.at("textfile")
        .options.at("directory");
  };
  EXPECT_EQ(directories(R"(["/var/lib/prometheus/node-exporter", "/srv/*/metrics"])"),
            "/var/lib/prometheus/node-exporter\n/srv/*/metrics");
  EXPECT_EQ(directories("[]"), "");
  // Flags replace the file's list, as they replace any value of it.
  EXPECT_EQ(directories(R"(["/a", "/b"])", {"--collector.textfile.directory=/c"}), "/c");
  EXPECT_TRUE(Fails(R"({"collectors": {"textfile": {"directory": "/a"}}})", "/collectors/textfile/directory",
                    "expected an array of strings"));
  EXPECT_TRUE(Fails(R"({"collectors": {"textfile": {"directory": [1]}}})", "/collectors/textfile/directory",
                    "expected a string"));
}

TEST_F(ConfigFile, OptionValuesMayBeStringsNumbersOrBooleans) {
  const CollectorInfo* with_options = nullptr;
  for (const CollectorInfo& info : CollectorTable()) {
    if (!info.options.empty()) with_options = &info;
  }
  if (!with_options) GTEST_SKIP() << "no collector declares an option";
  const std::string option = with_options->options.front().name;
  auto load = [&](const std::string& value) {
    return LoadWith(R"({"collectors": {")" + with_options->name + R"(": {")" + option + R"(": )" + value + "}}}")
        .config.collectors.at(with_options->name)
        .options.at(option);
  };
  EXPECT_EQ(load(R"("text value")"), "text value");
  EXPECT_EQ(load("16"), "16");
  EXPECT_EQ(load("-2.5"), "-2.5");
  EXPECT_EQ(load("true"), "true");
  const std::string pointer = "/collectors/" + with_options->name + "/" + option;
  EXPECT_TRUE(Fails(R"({"collectors": {")" + with_options->name + R"(": {")" + option + R"(": null}}})", pointer,
                    "expected a string, number or boolean, got null"));
  EXPECT_TRUE(Fails(R"({"collectors": {")" + with_options->name + R"(": {")" + option + R"(": ["a"]}}})", pointer,
                    "got array"));
}

TEST_F(ConfigFile, WrongTypesNameTheField) {
  EXPECT_TRUE(Fails(R"({"cache": {"max_entries": "10"}})", "/cache/max_entries",
                    "expected a non-negative integer, got string"));
  EXPECT_TRUE(Fails(R"({"cache": {"max_entries": -1}})", "/cache/max_entries",
                    "expected a non-negative integer, got number -1"));
  EXPECT_TRUE(Fails(R"({"web": {"threads": 2.5}})", "/web/threads", "expected a non-negative integer, got number 2.5"));
  EXPECT_TRUE(Fails(R"({"web": {"threads": 0}})", "/web/threads", "must be at least 1"));
  EXPECT_TRUE(Fails(R"({"cache": {"enabled": "yes"}})", "/cache/enabled", "expected a boolean, got string"));
  EXPECT_TRUE(Fails(R"({"log": {"level": 1}})", "/log/level", "expected a string, got number 1"));
  EXPECT_TRUE(Fails(R"({"web": {"listen_addresses": ":9100"}})", "/web/listen_addresses",
                    "expected a non-empty array"));
  EXPECT_TRUE(Fails(R"({"web": {"listen_addresses": []}})", "/web/listen_addresses", "expected a non-empty array"));
  EXPECT_TRUE(Fails(R"({"web": {"listen_addresses": [9100]}})", "/web/listen_addresses", "expected a string"));
  EXPECT_TRUE(Fails(R"({"cache": {"max_bytes": true}})", "/cache/max_bytes", "expected a size in bytes"));
  EXPECT_TRUE(Fails(R"({"web": 3})", "/web", "expected an object, got number"));
  EXPECT_TRUE(Fails(R"({"collectors": {"cpu": "on"}})", "/collectors/cpu", "expected an object, got string"));
  EXPECT_TRUE(Fails(R"({"collectors": {"cpu": {"enabled": 1}}})", "/collectors/cpu/enabled", "expected a boolean"));
}

TEST_F(ConfigFile, BadValuesNameTheField) {
  EXPECT_TRUE(Fails(R"({"collectors": {"cpu": {"ttl": "5x"}}})", "/collectors/cpu/ttl",
                    "\"5x\" is not a duration (examples: 500ms, 30s, 6h)"));
  EXPECT_TRUE(Fails(R"({"collectors": {"cpu": {"timeout": "0s"}}})", "/collectors/cpu/timeout",
                    "must be greater than 0"));
  EXPECT_TRUE(Fails(R"({"collectors": {"cpu": {"ttl": 5}}})", "/collectors/cpu/ttl",
                    "expected a string, got number 5"));
  EXPECT_TRUE(Fails(R"({"log": {"format": "text"}})", "/log/format", "is not one of logfmt, json"));
  EXPECT_TRUE(Fails(R"({"cache": {"max_bytes": "1TB"}})", "/cache/max_bytes", "is not a size in bytes"));
  EXPECT_TRUE(Fails(R"({"web": {"listen_addresses": [":1", "nope"]}})", "/web/listen_addresses",
                    "\"nope\" is not host:port"));
}

TEST_F(ConfigFile, UnknownKeysCollectorsAndOptions) {
  EXPECT_TRUE(Fails(R"({"webb": {}})", "/webb", "unknown key \"webb\""));
  EXPECT_TRUE(Fails(R"({"web": {"thread": 1}})", "/web/thread", "unknown key \"thread\""));
  EXPECT_TRUE(Fails(R"({"collectors": {"nosuch": {}}})", "/collectors/nosuch", "unknown collector \"nosuch\""));
  EXPECT_TRUE(Fails(R"({"collectors": {"cpu": {"nosuch": "1"}}})", "/collectors/cpu/nosuch",
                    "unknown option \"nosuch\" of collector \"cpu\""));
  // Flag spellings are not config keys.
  EXPECT_TRUE(Fails(R"({"collectors": {"cpu": {"max-staleness": "1m"}}})", "/collectors/cpu/max-staleness",
                    "unknown option"));
  EXPECT_TRUE(Fails(R"({"cache": {"max-entries": 1}})", "/cache/max-entries", "unknown key"));
  // A key with '/' or '~' is escaped in the pointer (RFC 6901).
  EXPECT_TRUE(Fails(R"({"a/b~c": 1})", "/a~1b~0c", "unknown key \"a/b~c\""));
}

TEST_F(ConfigFile, ANumberTooLargeForADoubleIsAConfigError) {
  const std::string path = Write(R"({"web": {"threads": 1e400}})");
  EXPECT_TRUE(FailsWith({"--config.file=" + path}, path, "number overflow parsing '1e400'"));
}

TEST_F(ConfigFile, InvalidJsonGivesLineAndColumn) {
  const std::string path = Write("{\n  \"web\": {\n    \"threads\": 2,\n  }\n}\n");
  EXPECT_TRUE(FailsWith({"--config.file=" + path}, path + ":4:3", "syntax error"));
  const std::string second = dir_.Write("second.json", "{\"web\": tru}");
  EXPECT_TRUE(FailsWith({"--config.file=" + second}, second + ":1:12", "invalid literal"));
  const std::string empty = dir_.Write("empty.json", "");
  EXPECT_TRUE(FailsWith({"--config.file=" + empty}, empty + ":1:1", "unexpected end of input"));
}

TEST_F(ConfigFile, TheDocumentMustBeAnObject) {
  const std::string path = Write("[1, 2]");
  EXPECT_TRUE(FailsWith({"--config.file=" + path}, path, "expected a JSON object, got array"));
}

TEST_F(ConfigFile, UnreadableFile) {
  const std::string missing = dir_.path() + "/missing.json";
  EXPECT_TRUE(FailsWith({"--config.file=" + missing}, "--config.file",
                        "cannot read " + missing + ": No such file or directory"));
  EXPECT_TRUE(FailsWith({"--config.file=" + dir_.path()}, "--config.file", "Is a directory"));
  if (::geteuid() != 0) {  // root reads anything
    const std::string secret = Write("{}");
    ASSERT_EQ(::chmod(secret.c_str(), 0), 0);
    EXPECT_TRUE(FailsWith({"--config.file=" + secret}, "--config.file", "Permission denied"));
  }
}

// The example shipped in config/ must load as it is and show every setting.
std::string ExamplePath() { return testing::Fixture("../../config/hw_exporter.json"); }

TEST(ExampleConfig, LoadsCleanly) {
  const LoadedConfig loaded = LoadConfig({"--config.file=" + ExamplePath()});
  EXPECT_EQ(loaded.action, Action::kRun);
}

TEST(ExampleConfig, SetsEveryCollectorAndEveryOption) {
  const LoadedConfig loaded = LoadConfig({"--config.file=" + ExamplePath()});
  for (const char* pointer :
       {"/web/listen_addresses", "/web/telemetry_path", "/web/threads", "/web/scrape_timeout", "/web/timeout_offset",
        "/web/keep_alive_timeout", "/web/request_timeout", "/log/level", "/log/format", "/paths/procfs", "/paths/sysfs",
        "/paths/rootfs", "/paths/udev_data", "/cache/enabled", "/cache/ttl", "/cache/max_entries", "/cache/max_bytes",
        "/probe/max_processes", "/collectors/disable_defaults"}) {
    EXPECT_TRUE(loaded.sources.contains(pointer)) << pointer;
  }
  for (const CollectorInfo& info : CollectorTable()) {
    for (const char* key : {"enabled", "ttl", "timeout", "max_staleness"}) {
      EXPECT_TRUE(loaded.sources.contains("/collectors/" + info.name + "/" + key)) << info.name << " " << key;
    }
    for (const CollectorOption& option : info.options) {
      EXPECT_TRUE(loaded.sources.contains("/collectors/" + info.name + "/" + option.name))
          << info.name << " " << option.name;
    }
  }
}

}  // namespace
}  // namespace hw_exporter

// Parity with node_exporter 1.5.0: on the shared capture of a real host, every series node_exporter exposes for a
// collector must be exposed by ours with the same name, labels and value.
#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <set>
#include <thread>

#include "collectors/table_run.h"
#include "support/child_process.h"
#include "support/exposition_parser.h"
#include "support/http_get.h"
#include "support/test_support.h"

namespace hw_exporter::testing {
namespace {

constexpr const char* kNodeExporter = "/usr/bin/prometheus-node-exporter";

// node_exporter's collectors compared here, with the family-name prefixes each one owns. A family belongs to the
// collector with the longest matching prefix (node_cpu_scaling_ is cpufreq's, the rest of node_cpu_ is cpu's).
const std::map<std::string, std::vector<std::string>> kFamilyPrefixes = {
    {"cpu", {"node_cpu_"}},
    {"cpufreq", {"node_cpu_frequency_", "node_cpu_scaling_"}},
    {"diskstats", {"node_disk_"}},
    {"dmi", {"node_dmi_"}},
    {"edac", {"node_edac_"}},
    {"hwmon", {"node_hwmon_"}},
    {"loadavg", {"node_load1", "node_load5", "node_load15"}},
    {"meminfo", {"node_memory_"}},
    {"nvme", {"node_nvme_"}},
    {"powersupplyclass", {"node_power_supply_"}},
    {"pressure", {"node_pressure_"}},
    {"rapl", {"node_rapl_"}},
    {"stat",
     {"node_boot_time_seconds", "node_context_switches_total", "node_forks_total", "node_intr_total",
      "node_procs_blocked", "node_procs_running", "node_softirqs_"}},
    {"thermal_zone", {"node_thermal_zone_", "node_cooling_device_"}},
    {"vmstat", {"node_vmstat_"}},
};

// node_exporter's own metrics, which no collector of ours mirrors.
const std::vector<std::string> kIgnoredPrefixes = {
    "go_", "process_", "promhttp_", "node_scrape_collector_", "node_exporter_build_info", "node_textfile_"};

// Series node_exporter exposes twice on this tree, which must not fail the comparison: none. Chips that resolve
// to one hwmon chip label (two platform_asus_nb_wmi, three ieee80211_phy0) make its hwmon collector send some
// series more than once, but its registry keeps the first and drops each repeat, logging an error at every scrape.
// Any repeat in its output fails NodeExporterParityRun.RepeatsOnlyKnownSeries.
const std::set<std::string> kKnownDuplicates = {};

bool StartsWith(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

// The collector a node_exporter family belongs to, "" for node_exporter's own, or nullopt when none claims it.
std::optional<std::string> OwnerOf(const std::string& family) {
  for (const std::string& prefix : kIgnoredPrefixes) {
    if (StartsWith(family, prefix)) return "";
  }
  std::optional<std::string> owner;
  size_t longest = 0;
  for (const auto& [collector, prefixes] : kFamilyPrefixes) {
    for (const std::string& prefix : prefixes) {
      if (StartsWith(family, prefix) && prefix.size() > longest) {
        owner = collector;
        longest = prefix.size();
      }
    }
  }
  return owner;
}

using SeriesValues = std::map<std::string, double>;  // SeriesKey -> value

// One run of node_exporter on the shared tree, shared by every test of the suite.
struct NodeExporterRun {
  std::string skip_reason;  // set when the comparison cannot run here
  std::string error;        // set when node_exporter could not be run or read
  std::string root;         // the tree, canonical, as both exporters were given it
  std::map<std::string, SeriesValues> series_by_collector;
  std::map<std::string, std::map<std::string, std::string>> types_by_collector;  // collector -> family -> TYPE
  std::vector<std::string> unowned_families;
  std::vector<std::string> duplicates;
  std::map<std::string, double> collector_success;  // node_scrape_collector_success by collector
};

// Starts node_exporter on a free port and waits until it listens; nullopt when it exited first (another process
// may have taken the port between our choice and its bind).
std::optional<int> StartListening(ChildProcess& node_exporter, int port) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!IsListening("127.0.0.1", port)) {
    if (node_exporter.Exited()) return std::nullopt;
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("node_exporter did not listen within 10s: " + node_exporter.Output());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return port;
}

std::string ReadMetrics(const std::string& root, const std::string& output_path) {
  std::string last_output;
  for (int attempt = 0; attempt < 3; ++attempt) {
    int port = FreeLoopbackPort();
    std::vector<std::string> argv = {kNodeExporter,
                                     "--path.procfs=" + root + "/proc",
                                     "--path.sysfs=" + root + "/sys",
                                     "--path.rootfs=" + root,
                                     "--path.udev.data=" + root + "/udev/data",
                                     "--collector.disable-defaults",
                                     "--web.listen-address=127.0.0.1:" + std::to_string(port)};
    for (const auto& [collector, prefixes] : kFamilyPrefixes) argv.push_back("--collector." + collector);
    ChildProcess node_exporter(argv, output_path);  // its destructor kills and reaps it, whatever happens here
    if (!StartListening(node_exporter, port)) {
      last_output = node_exporter.Output();
      continue;
    }
    HttpResponse response = HttpGet("127.0.0.1", port, "/metrics", {}, std::chrono::seconds(10));
    node_exporter.Signal(SIGTERM, std::chrono::seconds(5));
    if (response.status != 200) throw std::runtime_error("node_exporter answered " + std::to_string(response.status));
    return response.body;
  }
  throw std::runtime_error("node_exporter exited before listening, three times; last output: " + last_output);
}

void Classify(const ParsedExposition& exposition, NodeExporterRun& run) {
  std::set<std::string> unowned;
  for (const ParsedSample& sample : exposition.samples) {
    if (sample.name == "node_scrape_collector_success" && sample.labels.count("collector"))
      run.collector_success[sample.labels.at("collector")] = sample.value;
    auto owner = OwnerOf(sample.name);
    if (!owner) {
      unowned.insert(sample.name);
      continue;
    }
    if (owner->empty()) continue;
    auto type = exposition.type.find(sample.name);
    if (type != exposition.type.end()) run.types_by_collector[*owner][sample.name] = type->second;
    std::string key = SeriesKey(sample.name, sample.labels);
    if (!run.series_by_collector[*owner].emplace(key, sample.value).second && !kKnownDuplicates.count(key)) {
      run.duplicates.push_back(key);
    }
  }
  run.unowned_families.assign(unowned.begin(), unowned.end());
}

const NodeExporterRun& TheRun() {
  static const NodeExporterRun run = [] {
    NodeExporterRun result;
    std::string shared = NodeTree();
    if (shared.empty() || !std::filesystem::is_directory(shared)) {
      result.skip_reason = kNoNodeTree;
      return result;
    }
    if (::access(kNodeExporter, X_OK) != 0) {
      result.skip_reason = std::string(kNodeExporter) + " (node_exporter 1.5.0) is not installed";
      return result;
    }
    // Canonical, because node_exporter cleans the paths it is given and puts them in labels (rapl's path).
    result.root = std::filesystem::canonical(shared).string();
    try {
      TempDir log_dir;
      Classify(ParseExposition(ReadMetrics(result.root, log_dir.path() + "/node_exporter.log")), result);
    } catch (const std::exception& error) {
      result.error = error.what();
    }
    return result;
  }();
  return run;
}

bool SameValue(double expected, double actual) {
  if (std::isnan(expected) || std::isnan(actual)) return std::isnan(expected) && std::isnan(actual);
  if (expected == actual) return true;  // also equal infinities
  return std::fabs(expected - actual) <= 1e-9 * std::max(std::fabs(expected), std::fabs(actual));
}

// Our series, keyed as node_exporter's are; families of other types than counter, gauge and untyped are not
// produced by these collectors and are reported.
SeriesValues OurSeries(const Families& families, std::vector<std::string>& problems) {
  SeriesValues series;
  for (const prometheus::MetricFamily& family : families) {
    for (const prometheus::ClientMetric& metric : family.metric) {
      SeriesLabels labels;
      for (const auto& label : metric.label) labels[label.name] = label.value;
      double value = 0;
      switch (family.type) {
        case prometheus::MetricType::Counter: value = metric.counter.value; break;
        case prometheus::MetricType::Gauge: value = metric.gauge.value; break;
        case prometheus::MetricType::Untyped: value = metric.untyped.value; break;
        default: problems.push_back(family.name + ": a summary or histogram, not compared"); continue;
      }
      series.emplace(SeriesKey(family.name, labels), value);
    }
  }
  return series;
}

// Enough digits to tell apart values that differ beyond the tolerance.
std::string Number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

std::string Listing(const std::vector<std::string>& lines, size_t limit = 25) {
  std::string text;
  for (size_t i = 0; i < lines.size() && i < limit; ++i) text += "\n  " + lines[i];
  if (lines.size() > limit) text += "\n  ... and " + std::to_string(lines.size() - limit) + " more";
  return text;
}

std::string TypeName(prometheus::MetricType type) {
  switch (type) {
    case prometheus::MetricType::Counter: return "counter";
    case prometheus::MetricType::Gauge: return "gauge";
    case prometheus::MetricType::Summary: return "summary";
    case prometheus::MetricType::Histogram: return "histogram";
    default: return "untyped";
  }
}

class NodeExporterParity : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!TheRun().skip_reason.empty()) GTEST_SKIP() << TheRun().skip_reason;
    ASSERT_TRUE(TheRun().error.empty()) << "running node_exporter: " << TheRun().error;
  }

  // What node_exporter exposes for this collector; empty when nothing (or when its collector failed on the tree).
  const SeriesValues& Expected() const {
    static const SeriesValues none;
    auto found = TheRun().series_by_collector.find(GetParam());
    return found == TheRun().series_by_collector.end() ? none : found->second;
  }

  // Our collector's families on the same tree; fails the test when it is not in the table or throws.
  std::optional<Families> CollectOurs() const {
    const CollectorInfo* info = FindCollector(GetParam());
    if (!info) {
      ADD_FAILURE() << "collector " << GetParam() << " is not in the collector table; node_exporter exposes "
                    << Expected().size() << " series for it on this tree";
      return std::nullopt;
    }
    try {
      return CollectFromTable(*info, TreePaths(TheRun().root));
    } catch (const std::exception& error) {
      if (!Expected().empty()) {
        ADD_FAILURE() << GetParam() << " failed where node_exporter exposes " << Expected().size()
                      << " series: " << error.what();
      }
      return std::nullopt;
    }
  }
};

TEST_P(NodeExporterParity, ExposesEverySeriesOfNodeExporter) {
  auto families = CollectOurs();
  if (!families) return;
  std::vector<std::string> problems;
  SeriesValues ours = OurSeries(*families, problems);
  for (const auto& [key, value] : Expected()) {
    auto found = ours.find(key);
    if (found == ours.end()) {
      problems.push_back("missing " + key + " " + Number(value));
    } else if (!SameValue(value, found->second)) {
      problems.push_back("value of " + key + ": node_exporter " + Number(value) + ", ours " + Number(found->second));
    }
  }
  EXPECT_TRUE(problems.empty()) << GetParam() << ": " << problems.size() << " of " << Expected().size()
                                << " series differ from node_exporter's" << Listing(problems);
}

// A counter that became a gauge breaks rate() in dashboards and recording rules.
TEST_P(NodeExporterParity, DeclaresTheSameTypes) {
  auto families = CollectOurs();
  if (!families) return;
  auto expected = TheRun().types_by_collector.find(GetParam());
  if (expected == TheRun().types_by_collector.end()) return;
  std::vector<std::string> problems;
  for (const auto& [name, type] : expected->second) {
    auto ours = std::find_if(families->begin(), families->end(),
                             [&](const prometheus::MetricFamily& family) { return family.name == name; });
    if (ours != families->end() && TypeName(ours->type) != type) {
      problems.push_back(name + ": node_exporter " + type + ", ours " + TypeName(ours->type));
    }
  }
  EXPECT_TRUE(problems.empty()) << GetParam() << ": types differ from node_exporter's" << Listing(problems);
}

INSTANTIATE_TEST_SUITE_P(Collectors, NodeExporterParity, ::testing::ValuesIn([] {
                           std::vector<std::string> names;
                           for (const auto& [collector, prefixes] : kFamilyPrefixes) names.push_back(collector);
                           return names;
                         }()),
                         [](const ::testing::TestParamInfo<std::string>& param) { return param.param; });

// Guards the attribution above: a node_exporter family no collector claims would silently go uncompared.
TEST(NodeExporterParityRun, EveryFamilyBelongsToACollector) {
  if (!TheRun().skip_reason.empty()) GTEST_SKIP() << TheRun().skip_reason;
  ASSERT_TRUE(TheRun().error.empty()) << TheRun().error;
  EXPECT_TRUE(TheRun().unowned_families.empty())
      << "families no collector claims:" << Listing(TheRun().unowned_families);
}

// A comparison with nothing to compare passes whatever we expose: each collector compared here must have worked in
// node_exporter on this tree and exposed series. (On a copy of the capture that lost its symbolic links,
// node_exporter's thermal_zone fails and its hwmon sees one chip.)
TEST(NodeExporterParityRun, EveryCollectorComparedHasSeries) {
  if (!TheRun().skip_reason.empty()) GTEST_SKIP() << TheRun().skip_reason;
  ASSERT_TRUE(TheRun().error.empty()) << TheRun().error;
  for (const auto& [collector, prefixes] : kFamilyPrefixes) {
    auto success = TheRun().collector_success.find(collector);
    EXPECT_TRUE(success != TheRun().collector_success.end() && success->second == 1)
        << "node_exporter's " << collector << " collector failed on the tree";
    auto series = TheRun().series_by_collector.find(collector);
    EXPECT_TRUE(series != TheRun().series_by_collector.end() && !series->second.empty())
        << "node_exporter exposes no series for " << collector;
  }
}

// thermal_zone, whose zones and cooling devices are all links into /sys/devices: every series node_exporter
// exposes, exactly (the suite above checks that ours include them; this one that there is nothing more).
TEST(NodeExporterParityRun, ThermalZoneIsExactlyNodeExportersOnTheLinkedTree) {
  if (!TheRun().skip_reason.empty()) GTEST_SKIP() << TheRun().skip_reason;
  ASSERT_TRUE(TheRun().error.empty()) << TheRun().error;
  const SeriesValues& expected = TheRun().series_by_collector.at("thermal_zone");
  EXPECT_EQ(expected.size(), 3u) << "one zone, one cooling device's two states";
  std::vector<std::string> problems;
  SeriesValues ours = OurSeries(CollectFromTable(*FindCollector("thermal_zone"), TreePaths(TheRun().root)), problems);
  EXPECT_TRUE(problems.empty()) << Listing(problems);
  EXPECT_EQ(ours.size(), expected.size());
  for (const auto& [key, value] : ours) {
    auto found = expected.find(key);
    if (found == expected.end()) {
      ADD_FAILURE() << "node_exporter does not expose " << key;
    } else {
      EXPECT_TRUE(SameValue(found->second, value))
          << key << ": node_exporter " << Number(found->second) << ", ours " << Number(value);
    }
  }
}

TEST(NodeExporterParityRun, RepeatsOnlyKnownSeries) {
  if (!TheRun().skip_reason.empty()) GTEST_SKIP() << TheRun().skip_reason;
  ASSERT_TRUE(TheRun().error.empty()) << TheRun().error;
  EXPECT_TRUE(TheRun().duplicates.empty())
      << "node_exporter repeats series not listed in kKnownDuplicates:" << Listing(TheRun().duplicates);
}

}  // namespace
}  // namespace hw_exporter::testing

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <cerrno>
#include <sstream>

#include "collectors/collector_harness.h"
#include "collectors/collectors.h"
#include "hw_exporter/core/log.h"
#include "support/test_support.h"

namespace hw_exporter::testing {
namespace {

std::string ZonePath(const std::string& zone) { return Fixture("platform/sys/class/powercap/" + zone); }

Labels Zone(const std::string& index, const std::string& zone) { return {{"index", index}, {"path", ZonePath(zone)}}; }

TEST(RaplCollector, NamesEachFamilyAfterItsZoneInJoules) {
  CollectorHarness harness(Fixture("platform"));
  Families families = harness.Make("rapl")->Collect();
  EXPECT_EQ(SampleValue(families, "node_rapl_package_joules_total", Zone("0", "intel-rapl:0")), 24042.236626);
  EXPECT_EQ(SampleValue(families, "node_rapl_package_joules_total", Zone("1", "intel-rapl:1")), 3e-06);
  EXPECT_EQ(SampleValue(families, "node_rapl_package_joules_total", Zone("0", "intel-rapl-mmio:0")), 123.456789);
  EXPECT_EQ(SampleValue(families, "node_rapl_core_joules_total", Zone("0", "intel-rapl:0:0")), 118821.284256);
  EXPECT_EQ(SampleValue(families, "node_rapl_uncore_joules_total", Zone("0", "intel-rapl:0:1")), 0.001);
  EXPECT_EQ(SampleValue(families, "node_rapl_dram_joules_total", Zone("0", "intel-rapl:0:2")), 2.5);
  EXPECT_EQ(SampleValue(families, "node_rapl_dram_joules_total", Zone("1", "intel-rapl:1:0")), 4.5);
  // A name node_exporter cannot split keeps its index 0 and is sanitised into the metric name.
  EXPECT_EQ(SampleValue(families, "node_rapl_package_0_die_1_joules_total", Zone("0", "intel-rapl:2")), 7);
  const prometheus::MetricFamily* package = FindFamily(families, "node_rapl_package_joules_total");
  ASSERT_NE(package, nullptr);
  EXPECT_EQ(package->type, prometheus::MetricType::Counter);
  EXPECT_EQ(package->help, "Current RAPL package value in joules");
  EXPECT_EQ(FindFamily(families, "node_rapl_package_0_die_1_joules_total")->help,
            "Current RAPL package-0-die-1 value in joules");
}

TEST(RaplCollector, ZoneLabelOptionPutsTheZoneInALabel) {
  CollectorHarness harness(Fixture("platform"));
  Families families = harness.Make("rapl", {{"enable-zone-label", "true"}})->Collect();
  ASSERT_EQ(families.size(), 1u);
  EXPECT_EQ(families[0].name, "node_rapl_joules_total");
  EXPECT_EQ(families[0].metric.size(), 8u);
  EXPECT_EQ(SampleValue(families, "node_rapl_joules_total",
                        {{"index", "1"}, {"path", ZonePath("intel-rapl:1:0")}, {"rapl_zone", "dram"}}),
            4.5);
}

TEST(RaplCollector, RejectsABadZoneLabelOption) {
  CollectorHarness harness(Fixture("platform"));
  EXPECT_THROW(harness.Make("rapl", {{"enable-zone-label", "yes"}}), CollectorOptionError);
}

// energy_uj is root-only since CVE-2020-8694; a test running as root cannot make a file unreadable, so the
// refusal comes from an injected reader.
TEST(RaplCollector, UnreadableEnergySkipsTheZoneAndLogsAtDebug) {
  std::ostringstream log;
  log::ConfigureLogging(log::Level::kDebug, log::Format::kLogfmt,
                        std::make_shared<spdlog::sinks::ostream_sink_mt>(log));

  sysfs::FileReader root_only = [](const std::string& path, int* error_number) -> std::optional<std::string> {
    if (path.ends_with("intel-rapl:0/energy_uj") || path.ends_with("intel-rapl:0:2/energy_uj")) {
      *error_number = path.ends_with("intel-rapl:0/energy_uj") ? EACCES : EPERM;
      return std::nullopt;
    }
    return TryReadFile(path, error_number);
  };
  CollectorHarness harness(Fixture("platform"));
  Families families;
  EXPECT_NO_THROW(families = MakeRaplCollectorWithReader(harness.Context("rapl"), root_only)->Collect());
  log::ConfigureLogging(log::Level::kInfo, log::Format::kLogfmt);

  EXPECT_FALSE(SampleValue(families, "node_rapl_package_joules_total", Zone("0", "intel-rapl:0")));
  EXPECT_FALSE(SampleValue(families, "node_rapl_dram_joules_total", Zone("0", "intel-rapl:0:2")));
  EXPECT_EQ(SampleValue(families, "node_rapl_package_joules_total", Zone("1", "intel-rapl:1")), 3e-06);
  EXPECT_EQ(SampleValue(families, "node_rapl_dram_joules_total", Zone("1", "intel-rapl:1:0")), 4.5);
  EXPECT_EQ(SeriesCount(families, "node_rapl_package_joules_total"), 2u);
  // One line per skipped zone, each saying which collector and which zone.
  EXPECT_NE(log.str().find("level=debug"), std::string::npos) << log.str();
  EXPECT_NE(log.str().find("collector=rapl zone=" + ZonePath("intel-rapl:0") + "\n"), std::string::npos) << log.str();
  EXPECT_NE(log.str().find("collector=rapl zone=" + ZonePath("intel-rapl:0:2") + "\n"), std::string::npos) << log.str();
}

TEST(RaplCollector, NoPowercapMeansNoSeries) {
  TempDir root;
  CollectorHarness harness(root.path());
  EXPECT_TRUE(harness.Make("rapl")->Collect().empty());
}

}  // namespace
}  // namespace hw_exporter::testing

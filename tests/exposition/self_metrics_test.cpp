#include "hw_exporter/exposition/self_metrics.h"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>

#include "hw_exporter/core/fs.h"
#include "hw_exporter/core/version.h"
#include "support/test_support.h"

namespace hw_exporter {
namespace {

using prometheus::MetricType;

const prometheus::MetricFamily* Find(const Families& families, std::string_view name) {
  for (const auto& family : families) {
    if (family.name == name) return &family;
  }
  return nullptr;
}

// The value of the one series of a gauge or counter family, or nullopt when the family is absent.
std::optional<double> Value(const Families& families, std::string_view name) {
  const prometheus::MetricFamily* family = Find(families, name);
  if (!family || family->metric.size() != 1) return std::nullopt;
  const auto& metric = family->metric.front();
  return family->type == MetricType::Counter ? metric.counter.value : metric.gauge.value;
}

ProcessSources Sources() {
  ProcessSources sources;
  sources.stat.user_ticks = 250;
  sources.stat.system_ticks = 130;
  sources.stat.threads = 7;
  sources.stat.start_ticks = 120000;
  sources.stat.virtual_memory_bytes = 987654144;
  sources.stat.resident_pages = 2048;
  sources.limits = {{"Max open files", 1024, 524288, "files"},
                    {"Max address space", std::nullopt, std::nullopt, "bytes"}};
  sources.open_fds = 5;
  sources.boot_time_seconds = 1700000000;
  return sources;
}

TEST(ProcessFamilies, ComputesClientLibraryProcessMetrics) {
  Families families = ProcessFamilies(Sources(), SystemUnits{100, 4096});
  EXPECT_EQ(Value(families, "process_cpu_seconds_total"), 3.8);
  EXPECT_EQ(Find(families, "process_cpu_seconds_total")->type, MetricType::Counter);
  EXPECT_EQ(Value(families, "process_open_fds"), 5);
  EXPECT_EQ(Value(families, "process_max_fds"), 1024);  // the soft limit
  EXPECT_EQ(Value(families, "process_resident_memory_bytes"), 2048.0 * 4096);
  EXPECT_EQ(Value(families, "process_start_time_seconds"), 1700001200);
  EXPECT_EQ(Value(families, "process_threads"), 7);
  EXPECT_EQ(Value(families, "process_virtual_memory_bytes"), 987654144);
  EXPECT_EQ(Value(families, "process_virtual_memory_max_bytes"), 18446744073709551615.0);  // unlimited
  for (const auto& family : families) {
    EXPECT_FALSE(family.help.empty()) << family.name;
    if (family.name != "process_cpu_seconds_total") {
      EXPECT_EQ(family.type, MetricType::Gauge) << family.name;
    }
  }
}

TEST(ProcessFamilies, UsesTheSystemsTickRateAndPageSize) {
  Families families = ProcessFamilies(Sources(), SystemUnits{250, 65536});
  EXPECT_EQ(Value(families, "process_cpu_seconds_total"), 380.0 / 250);
  EXPECT_EQ(Value(families, "process_resident_memory_bytes"), 2048.0 * 65536);
  EXPECT_EQ(Value(families, "process_start_time_seconds"), 1700000000 + 120000.0 / 250);
}

TEST(ProcessFamilies, LeavesOutLimitsTheKernelDidNotList) {
  ProcessSources sources = Sources();
  sources.limits.clear();
  Families families = ProcessFamilies(sources, SystemUnits{100, 4096});
  EXPECT_EQ(Find(families, "process_max_fds"), nullptr);
  EXPECT_EQ(Find(families, "process_virtual_memory_max_bytes"), nullptr);
  EXPECT_TRUE(Value(families, "process_threads").has_value());
}

TEST(ReadProcessFamilies, ReadsTheProcessEntriesOfAProcRoot) {
  Families families = ReadProcessFamilies(testing::Fixture("proc_self"));
  SystemUnits units = SystemUnits::OfThisSystem();
  EXPECT_EQ(Value(families, "process_cpu_seconds_total"), 380.0 / static_cast<double>(units.ticks_per_second));
  EXPECT_EQ(Value(families, "process_open_fds"), 5);
  EXPECT_EQ(Value(families, "process_max_fds"), 1024);
  EXPECT_EQ(Value(families, "process_resident_memory_bytes"), 2048.0 * static_cast<double>(units.page_size_bytes));
  EXPECT_EQ(Value(families, "process_start_time_seconds"),
            1700000000 + 120000.0 / static_cast<double>(units.ticks_per_second));
  EXPECT_EQ(Value(families, "process_threads"), 7);
  EXPECT_EQ(Value(families, "process_virtual_memory_bytes"), 987654144);
  EXPECT_EQ(Value(families, "process_virtual_memory_max_bytes"), 18446744073709551615.0);
}

TEST(ReadProcessFamilies, DescribesThisVeryProcess) {
  Families families = ReadProcessFamilies();
  double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  double started = Value(families, "process_start_time_seconds").value_or(0);
  // btime is whole seconds and the boot clock drifts from the wall clock; an hour bounds any test run.
  EXPECT_LE(started, now + 5);
  EXPECT_GT(started, now - 3600);
  EXPECT_GE(Value(families, "process_threads").value_or(0), 1);
  EXPECT_GE(Value(families, "process_open_fds").value_or(0), 3);  // stdin, stdout, stderr
  EXPECT_GT(Value(families, "process_resident_memory_bytes").value_or(0), 0);
  EXPECT_GE(Value(families, "process_virtual_memory_bytes").value_or(0),
            Value(families, "process_resident_memory_bytes").value_or(1));
  EXPECT_GT(Value(families, "process_max_fds").value_or(0), 0);
}

TEST(ReadProcessFamilies, ThrowsWhenTheProcRootHasNoProcess) {
  testing::TempDir empty;
  EXPECT_THROW(ReadProcessFamilies(empty.path()), FsError);
}

TEST(BuildInfoFamilies, IsAConstantOneLabeledByVersionRevisionAndCompiler) {
  Families families = BuildInfoFamilies();
  ASSERT_EQ(families.size(), 1u);
  EXPECT_EQ(families[0].name, "hw_exporter_build_info");
  EXPECT_EQ(families[0].type, MetricType::Gauge);
  ASSERT_EQ(families[0].metric.size(), 1u);
  EXPECT_EQ(families[0].metric[0].gauge.value, 1);
  std::vector<prometheus::ClientMetric::Label> expected = {{"compiler", std::string(Compiler())},
                                                           {"revision", std::string(Revision())},
                                                           {"version", std::string(Version())}};
  EXPECT_EQ(families[0].metric[0].label, expected);
}

TEST(Version, ComesFromTheBuild) {
  EXPECT_EQ(Version().find_first_not_of("0123456789."), std::string_view::npos) << Version();
  EXPECT_NE(Version().find('.'), std::string_view::npos) << Version();
  EXPECT_FALSE(Revision().empty());
#if defined(__clang__)
  EXPECT_NE(Compiler().find("lang"), std::string_view::npos) << Compiler();
#else
  EXPECT_TRUE(Compiler().starts_with("gcc ")) << Compiler();
#endif
}

}  // namespace
}  // namespace hw_exporter

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <limits>

#include "hw_exporter/exposition/self_metrics.h"
#include "hw_exporter/exposition/text_format.h"
#include "support/test_support.h"

namespace hw_exporter {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

constexpr const char* kPromtool = "/usr/bin/promtool";

// Families shaped like a real scrape: node-style counters and gauges from two collectors, a histogram, a
// summary, awkward HELP texts and label values, and the exporter's own metrics.
std::vector<Families> RealisticParts() {
  FamilySet cpu;
  for (const char* mode : {"idle", "user", "system"}) {
    cpu.Counter("node_cpu_seconds_total", "Seconds the CPUs spent in each mode.", 1234.56,
                {{"cpu", "0"}, {"mode", mode}});
  }
  cpu.Gauge("node_hwmon_temp_celsius", "Hardware monitor for temperature (input).\nRead from C:\\sys\\class.", 41.5,
            {{"chip", "platform_coretemp_0"}, {"sensor", "temp1"}});
  cpu.Gauge("node_hwmon_temp_celsius", "ignored: the first HELP wins", std::numeric_limits<double>::quiet_NaN(),
            {{"chip", "platform_coretemp_0"}, {"sensor", "temp2"}});
  FamilySet disks;
  disks.Gauge("smartctl_device", "Device info.", 1,
              {{"device", "sda"}, {"model_name", "Drive \"Pro\" 2TB\\rev\nB"}, {"serial_number", "S3Z\xff"}});
  disks.Gauge("node_hwmon_temp_celsius", "h", std::numeric_limits<double>::infinity(),
              {{"chip", "nvme_nvme0"}, {"sensor", "temp1"}});
  disks.Counter("node_disk_read_bytes_total", "The total number of bytes read successfully.", 1e-300,
                {{"device", "nvme0n1"}});

  MetricFamily histogram{"hw_exporter_scrape_duration_seconds", "Time to render /metrics.", MetricType::Histogram, {}};
  ClientMetric& buckets = histogram.metric.emplace_back();
  buckets.label = {{"path", "/metrics"}};
  buckets.histogram.bucket = {{2, 0.005}, {5, 0.1}, {6, 1}};
  buckets.histogram.sample_sum = 0.75;
  buckets.histogram.sample_count = 7;
  MetricFamily summary{"hw_exporter_collect_duration_seconds", "Collector latency.", MetricType::Summary, {}};
  ClientMetric& quantiles = summary.metric.emplace_back();
  quantiles.label = {{"collector", "smartctl"}};
  quantiles.summary.quantile = {{0.5, 0.25}, {0.9, 1.5}, {0.99, 2.75}};
  quantiles.summary.sample_sum = 30.5;
  quantiles.summary.sample_count = 20;

  return {cpu.Take(), disks.Take(), {histogram, summary}, ReadProcessFamilies(), BuildInfoFamilies()};
}

struct CommandResult {
  int exit_status;
  std::string output;
};

// Runs a shell command with a time bound, stdout and stderr captured together.
CommandResult RunCommand(const std::string& command) {
  FILE* pipe = ::popen(("timeout 60 " + command + " 2>&1").c_str(), "r");
  if (!pipe) return {-1, "popen failed"};
  std::string output;
  char buffer[4096];
  while (size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

TEST(Promtool, FindsNothingToReportInARealisticExposition) {
  if (::access(kPromtool, X_OK) != 0) GTEST_SKIP() << kPromtool << " is not installed (Debian package prometheus)";
  std::string body = SerializeText(MergeFamilies(RealisticParts()));
  ASSERT_NE(body.find("\\\"Pro\\\""), std::string::npos) << "the body must exercise escaping";
  testing::TempDir dir;
  std::string path = dir.Write("metrics.txt", body);
  CommandResult result = RunCommand(std::string(kPromtool) + " check metrics < " + path);
  EXPECT_EQ(result.exit_status, 0) << result.output << "\n--- body:\n" << body;
  EXPECT_EQ(result.output, "") << "\n--- body:\n" << body;
}

// The check above means something only if promtool does complain about a broken body.
TEST(Promtool, ComplainsAboutABrokenExposition) {
  if (::access(kPromtool, X_OK) != 0) GTEST_SKIP() << kPromtool << " is not installed (Debian package prometheus)";
  testing::TempDir dir;
  std::string path = dir.Write("metrics.txt", "# TYPE x counter\nx{a=\"unterminated} 1\n");
  CommandResult result = RunCommand(std::string(kPromtool) + " check metrics < " + path);
  EXPECT_NE(result.exit_status, 0) << result.output;
}

}  // namespace
}  // namespace hw_exporter

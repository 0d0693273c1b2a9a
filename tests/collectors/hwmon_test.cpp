#include <fcntl.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <future>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <vector>

#include "collectors/collector_harness.h"
#include "collectors/hwmon.h"
#include "hw_exporter/core/log.h"
#include "hw_exporter/core/strings.h"
#include "support/fake_clock.h"
#include "support/test_support.h"

namespace hw_exporter {
namespace {

using namespace std::chrono_literals;
using testing::CollectorHarness;
using testing::FakeClock;
using testing::FindFamily;
using testing::SampleValue;
using testing::SeriesCount;

Families CollectSensors(const std::map<std::string, std::string>& options = {}) {
  CollectorHarness harness(testing::Fixture("sensors"));
  return harness.Make("hwmon", options)->Collect();
}

double Sample(const Families& families, const std::string& name, const std::string& chip, const std::string& sensor) {
  auto value = SampleValue(families, name, {{"chip", chip}, {"sensor", sensor}});
  EXPECT_TRUE(value) << name << "{chip=" << chip << ",sensor=" << sensor << "} missing";
  return value.value_or(-1);
}

TEST(HwmonCollector, TemperaturesInCelsius) {
  Families families = CollectSensors();
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_temp_celsius", "platform_coretemp_0", "temp1"), 48.0);
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_temp_crit_celsius", "platform_coretemp_0", "temp1"), 100.0);
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_temp_max_celsius", "platform_coretemp_0", "temp1"), 84.0);
  // node_exporter gives the crit alarm a unit, and so do we.
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_temp_crit_alarm_celsius", "platform_coretemp_0", "temp1"), 0.0);
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_temp_celsius", "platform_coretemp_0", "temp2"), 45.5);
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_temp_celsius", "pci0000:00_0000:00:1f_3", "temp1"), 52.0);
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_temp_celsius", "hwmon3", "temp1"), 30.0);
  // temp7_type is no temperature; temp7_input is not a number and is left out.
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_temp_type", "nct6779", "temp7"), 4.0);
  EXPECT_FALSE(SampleValue(families, "node_hwmon_temp_celsius", {{"chip", "nct6779"}, {"sensor", "temp7"}}));
}

TEST(HwmonCollector, EverySensorKindWithNodeExporterUnits) {
  Families families = CollectSensors();
  const std::string chip = "nct6779";
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_in_volts", chip, "in0"), 0.792);
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_in_max_volts", chip, "in0"), 1.744);
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_in_alarm", chip, "in0"), 0.0);
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_in_beep_enabled", chip, "in0"), 1.0);
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_cpu_vid_volts", chip, "cpu0"), 1.1);
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_fan_rpm", chip, "fan2"), 1098.0);
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_fan_min_rpm", chip, "fan2"), 200.0);
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_fan_target_rpm", chip, "fan2"), 1200.0);
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_fan_pulses", chip, "fan2"), 2.0);
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_pwm", chip, "pwm1"), 153.0);
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_pwm_enable", chip, "pwm1"), 5.0);
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_intrusion_alarm", chip, "intrusion0"), 1.0);
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_curr_amps", chip, "curr1"), 1.5);
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_curr_max_amps", chip, "curr1"), 5.0);
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_power_average_watt", chip, "power1"), 12.345678);
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_power_average_interval_seconds", chip, "power1"), 1.0);
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_power_accuracy", chip, "power1"), 0.05);
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_energy_joule_total", chip, "energy1"), 123.456789);
  EXPECT_EQ(FindFamily(families, "node_hwmon_energy_joule_total")->type, prometheus::MetricType::Counter);
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_humidity", chip, "humidity1"), 0.0455);
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_voltage_regulator_version", chip, "vrm0"), 9.1);
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_beep_enabled", chip, "beep_enable0"), 1.0);
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_update_interval_seconds", chip, "update_interval0"), 0.5);
  EXPECT_EQ(FindFamily(families, "node_hwmon_temp_celsius")->type, prometheus::MetricType::Gauge);
}

TEST(HwmonCollector, ChipNamesAndSensorLabels) {
  Families families = CollectSensors();
  EXPECT_EQ(SampleValue(families, "node_hwmon_chip_names",
                        {{"chip", "platform_coretemp_0"}, {"chip_name", "coretemp"}}),
            1.0);
  // A chip without a name file has no chip_names series.
  EXPECT_EQ(SeriesCount(families, "node_hwmon_chip_names"), 6u);
  EXPECT_EQ(SampleValue(families, "node_hwmon_sensor_label",
                        {{"chip", "platform_coretemp_0"}, {"sensor", "temp1"}, {"label", "Package id 0"}}),
            1.0);
  // An empty label file still says the sensor has a label, as in node_exporter.
  EXPECT_EQ(SampleValue(families, "node_hwmon_sensor_label",
                        {{"chip", "platform_coretemp_0"}, {"sensor", "temp3"}, {"label", ""}}),
            1.0);
  EXPECT_EQ(SampleValue(families, "node_hwmon_sensor_label",
                        {{"chip", "platform_applesmc_768"}, {"sensor", "fan1"}, {"label", "Left side"}}),
            1.0);
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_fan_max_rpm", "platform_applesmc_768", "fan1"), 6156.0);
}

TEST(HwmonCollector, ChipsOfOneDeviceGiveOneSeries) {
  Families families = CollectSensors();
  // hwmon5 (pwm1_enable 2) and hwmon6 (pwm1_enable 1) are both platform_asus_nb_wmi: the first directory wins.
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_pwm_enable", "platform_asus_nb_wmi", "pwm1"), 2.0);
  EXPECT_EQ(SeriesCount(families, "node_hwmon_pwm_enable"), 2u);
  EXPECT_EQ(SampleValue(families, "node_hwmon_chip_names",
                        {{"chip", "platform_asus_nb_wmi"}, {"chip_name", "asus_wmi_sensors"}}),
            1.0);
}

TEST(HwmonCollector, GpuClocksNamedByTheirLabel) {
  Families families = CollectSensors();
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_freq_freq_mhz", "amdgpu", "sclk"), 214.0);
}

TEST(HwmonCollector, ChipExcludeAndInclude) {
  Families excluded = CollectSensors({{"chip-exclude", "^platform_"}});
  EXPECT_FALSE(SampleValue(excluded, "node_hwmon_temp_celsius",
                           {{"chip", "platform_coretemp_0"}, {"sensor", "temp1"}}));
  EXPECT_TRUE(SampleValue(excluded, "node_hwmon_temp_celsius", {{"chip", "hwmon3"}, {"sensor", "temp1"}}));

  Families included = CollectSensors({{"chip-include", "coretemp"}});
  EXPECT_EQ(SeriesCount(included, "node_hwmon_chip_names"), 1u);
  EXPECT_EQ(SeriesCount(included, "node_hwmon_temp_celsius"), 3u);
}

TEST(HwmonCollector, InvalidRegexNamesTheOption) {
  CollectorHarness harness(testing::Fixture("sensors"));
  try {
    harness.Make("hwmon", {{"chip-include", "("}});
    FAIL() << "expected CollectorOptionError";
  } catch (const CollectorOptionError& error) {
    EXPECT_EQ(error.option(), "chip-include");
  }
}

// hwmon leaves out a file it cannot read; one larger than an attribute is such a file, read no further than one page.
TEST(HwmonCollector, LeavesOutAFileLargerThanAnAttribute) {
  testing::TempDir root;
  root.Write("sys/class/hwmon/hwmon0/name", "nct6779\n");
  root.Write("sys/class/hwmon/hwmon0/temp2_input", "42000\n");
  std::filesystem::resize_file(root.Write("sys/class/hwmon/hwmon0/temp1_input", ""), 100 * 1000 * 1000);  // sparse
  CollectorHarness harness(root.path());
  Families families = harness.Make("hwmon")->Collect();
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_temp_celsius", "nct6779", "temp2"), 42.0);
  EXPECT_FALSE(SampleValue(families, "node_hwmon_temp_celsius", {{"chip", "nct6779"}, {"sensor", "temp1"}}));
}

// Every series as "name{label=value,...} value", to compare two collections whole.
std::set<std::string> AllSeries(const Families& families) {
  std::set<std::string> series;
  for (const auto& family : families) {
    for (const auto& metric : family.metric) {
      std::string line = family.name + "{";
      for (const auto& label : metric.label) line += label.name + "=" + label.value + ",";
      const double value = family.type == prometheus::MetricType::Counter ? metric.counter.value : metric.gauge.value;
      series.insert(line + "} " + std::to_string(value));
    }
  }
  return series;
}

// Collects on another thread. Should the collection wait on the FIFO, the test fails after a generous wait instead
// of hanging: opening the FIFO for writing then releases the reader.
Families CollectWithoutHanging(Collector& collector, const std::string& fifo) {
  auto collect = std::async(std::launch::async, [&] { return collector.Collect(); });
  if (collect.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
    ADD_FAILURE() << "the collection waited on " << fifo;
    const int writer = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (writer >= 0) ::close(writer);
  }
  return collect.get();
}

// A FIFO where temp1_input should be (its open would wait for a writer forever) costs that file's series alone,
// and the log says so once, not at every refresh, and once more when the file is a regular one again.
TEST(HwmonCollector, SkipsAFifoInPlaceOfASensorFileAndExportsEveryOtherSeries) {
  const Families expected = CollectSensors();
  testing::TempDir root;
  std::filesystem::copy(testing::Fixture("sensors"), root.path(),
                        std::filesystem::copy_options::recursive | std::filesystem::copy_options::copy_symlinks);
  const std::string fifo = root.path() + "/sys/devices/platform/coretemp.0/hwmon/hwmon0/temp1_input";
  ASSERT_TRUE(std::filesystem::remove(fifo));
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0) << std::strerror(errno);

  std::ostringstream log_lines;
  log::ConfigureLogging(log::Level::kInfo, log::Format::kLogfmt,
                        std::make_shared<spdlog::sinks::ostream_sink_mt>(log_lines));
  CollectorHarness harness(root.path());
  auto collector = harness.Make("hwmon");
  Families first = CollectWithoutHanging(*collector, fifo);
  Families second = CollectWithoutHanging(*collector, fifo);

  std::set<std::string> missing = AllSeries(expected);
  const std::string fifo_series = "node_hwmon_temp_celsius{chip=platform_coretemp_0,sensor=temp1,} 48.000000";
  ASSERT_EQ(missing.erase(fifo_series), 1u);
  EXPECT_EQ(AllSeries(first), missing);
  EXPECT_EQ(AllSeries(second), missing);
  const std::string seen_as = root.path() + "/sys/class/hwmon/hwmon0/temp1_input";  // through the class link
  const std::string warning =
      "level=warn msg=\"sensor file is not a regular file; its series are skipped\" collector=hwmon path=" + seen_as;
  EXPECT_NE(log_lines.str().find(warning), std::string::npos) << log_lines.str();
  EXPECT_EQ(log_lines.str().find(warning), log_lines.str().rfind(warning)) << "warned at every refresh";
  EXPECT_EQ(collector->Problems(), std::vector<std::string>{seen_as + ": not a regular file; skipped"});

  ASSERT_TRUE(std::filesystem::remove(fifo));
  root.Write("sys/devices/platform/coretemp.0/hwmon/hwmon0/temp1_input", "48000\n");
  EXPECT_EQ(AllSeries(collector->Collect()), AllSeries(expected));
  EXPECT_TRUE(collector->Problems().empty());
  EXPECT_NE(log_lines.str().find("msg=\"sensor file is no longer skipped\" collector=hwmon path=" + seen_as),
            std::string::npos)
      << log_lines.str();
  log::ConfigureLogging(log::Level::kInfo, log::Format::kLogfmt);
}

// A reader of sensor files whose read of hwmon0/temp1_input hangs like one a driver never answers: it moves the
// collector's clock past the read timeout (so that hanging does not depend on how fast the machine is), then blocks
// until the test releases it. Other files are read as they are. Shared with the reads, which may outlive the
// test's objects while they hang.
class HangingReader {
 public:
  FakeClock& clock() { return state_->clock; }

  sysfs::FileReader Function() const {
    return [state = state_](const std::string& path, int* error_number) {
      if (EndsWith(path, "/hwmon0/temp1_input")) {
        std::unique_lock lock(state->mutex);
        ++state->calls;
        if (!state->released) {
          state->clock.Advance(100ms);  // the read timeout
          state->changed.wait(lock, [&] { return state->released; });
        }
      }
      return sysfs::TryReadAttribute(path, error_number);
    };
  }

  void Release() {
    std::lock_guard lock(state_->mutex);
    state_->released = true;
    state_->changed.notify_all();
  }

  int calls() const {
    std::lock_guard lock(state_->mutex);
    return state_->calls;
  }

 private:
  struct State {
    std::mutex mutex;
    std::condition_variable changed;
    bool released = false;
    int calls = 0;
    FakeClock clock;
  };
  std::shared_ptr<State> state_ = std::make_shared<State>();
};

// A read that hangs costs its file's series alone, for as long as it hangs: the file is not read again until the
// read returns, every other file is read, the log warns once, and /cache/stats lists it among the problems.
TEST(HwmonCollector, AHungReadCostsItsFileAloneUntilItReturns) {
  const Families expected = CollectSensors();
  std::set<std::string> without_hung = AllSeries(expected);
  ASSERT_EQ(without_hung.erase("node_hwmon_temp_celsius{chip=platform_coretemp_0,sensor=temp1,} 48.000000"), 1u);

  std::ostringstream log_lines;
  log::ConfigureLogging(log::Level::kInfo, log::Format::kLogfmt,
                        std::make_shared<spdlog::sinks::ostream_sink_mt>(log_lines));
  HangingReader reader;
  CollectorHarness harness(testing::Fixture("sensors"), reader.clock());
  auto collector = MakeHwmonCollector(harness.Context("hwmon", {{"read-timeout", "100ms"}}), reader.Function());
  EXPECT_EQ(AllSeries(collector->Collect()), without_hung);
  EXPECT_EQ(AllSeries(collector->Collect()), without_hung);
  EXPECT_EQ(reader.calls(), 1) << "a file whose read hangs was read again";
  const std::string hung = testing::Fixture("sensors") + "/sys/class/hwmon/hwmon0/temp1_input";
  EXPECT_EQ(collector->Problems(), std::vector<std::string>{hung + ": its read hangs; skipped"});
  const std::string warning =
      "level=warn msg=\"a file read did not return in time; the file is skipped until it "
      "does\" collector=hwmon path=" +
      hung + " timeout=100ms";
  EXPECT_NE(log_lines.str().find(warning), std::string::npos) << log_lines.str();
  EXPECT_EQ(log_lines.str().find(warning), log_lines.str().rfind(warning)) << "warned at every refresh";

  // Once the read returns (on its own thread, in its own time), the file is read again, and the log says so.
  reader.Release();
  EXPECT_TRUE(testing::Eventually([&] { return collector->Problems().empty(); }, 30s));
  EXPECT_EQ(AllSeries(collector->Collect()), AllSeries(expected));
  EXPECT_EQ(reader.calls(), 2);
  EXPECT_NE(log_lines.str().find("level=info msg=\"a file whose read hung returned; it is read again\" "
                                 "collector=hwmon path=" +
                                 hung),
            std::string::npos)
      << log_lines.str();
  log::ConfigureLogging(log::Level::kInfo, log::Format::kLogfmt);
}

// The option is a duration above zero; the error names it otherwise.
TEST(HwmonCollector, RefusesAReadTimeoutThatIsNoPositiveDuration) {
  CollectorHarness harness(testing::Fixture("sensors"));
  for (const char* value : {"0s", "soon", "-1s"}) {
    try {
      harness.Make("hwmon", {{"read-timeout", value}});
      ADD_FAILURE() << "read-timeout " << value << " was accepted";
    } catch (const CollectorOptionError& error) {
      EXPECT_EQ(error.option(), "read-timeout") << error.what();
    }
  }
}

TEST(HwmonCollector, NoHwmonClassNoSeries) {
  testing::TempDir empty;
  CollectorHarness harness(empty.path());
  EXPECT_TRUE(harness.Make("hwmon")->Collect().empty());
}

// The capture with its symbolic links: as node_exporter 1.5 does, the collector finds 9 chips, labelled by the
// device each /sys/class/hwmon link leads to (hwmon4, a directory with no device link, by its own name). The values
// are node_exporter's.
TEST(HwmonCollector, SharedCaptureMatchesNodeExporter) {
  std::string root = testing::NodeTree();
  if (root.empty()) GTEST_SKIP() << testing::kNoNodeTree;
  CollectorHarness harness(root);
  Families families = harness.Make("hwmon")->Collect();
  EXPECT_EQ(SeriesCount(families, "node_hwmon_chip_names"), 9u);
  EXPECT_EQ(SampleValue(families, "node_hwmon_chip_names",
                        {{"chip", "platform_coretemp_1"}, {"chip_name", "coretemp"}}),
            1);
  EXPECT_EQ(SampleValue(families, "node_hwmon_chip_names", {{"chip", "nct6779"}, {"chip_name", "nct6779"}}), 1);
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_temp_celsius", "platform_coretemp_0", "temp3"), 52.0);
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_temp_celsius", "platform_coretemp_1", "temp5"), 50.0);
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_fan_rpm", "platform_applesmc_768", "fan2"), 1998.0);
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_fan_rpm", "nct6779", "fan2"), 1098.0);
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_temp_celsius", "hwmon4", "temp1"), 55.0);
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_temp_crit_alarm_celsius", "hwmon4", "temp2"), 0.0);
  // Three chips of one wifi device (hwmon8, hwmon9, hwmon10) are all ieee80211_phy0: the series is the first one's
  // in name order, hwmon10, which is also the one node_exporter keeps when its registry drops the repeats.
  EXPECT_DOUBLE_EQ(Sample(families, "node_hwmon_temp_celsius", "ieee80211_phy0", "temp1"), 57.0);
  EXPECT_EQ(SeriesCount(families, "node_hwmon_temp_celsius"), 13u);
  // node_exporter's 14 labels, and hwmon4's two GPU clocks, freq sensors that 1.5 ignores (see the README).
  EXPECT_EQ(SeriesCount(families, "node_hwmon_sensor_label"), 16u);
  EXPECT_EQ(SampleValue(families, "node_hwmon_sensor_label",
                        {{"chip", "platform_applesmc_768"}, {"sensor", "fan1"}, {"label", "Left side"}}),
            1);
}

}  // namespace
}  // namespace hw_exporter

// /hardware rendered from snapshots made by hand: what it judges, in which order, how it encodes the values it
// shows, and that text from the host never becomes markup.
#include "hw_exporter/http/hardware_page.h"

#include <gtest/gtest.h>

#include <set>

#include "hw_exporter/cache/collector_metrics.h"
#include "hw_exporter/core/strings.h"
#include "hw_exporter/exposition/merge.h"
#include "hw_exporter/exposition/text_format.h"
#include "support/html_page.h"

namespace hw_exporter {
namespace {

using namespace std::chrono_literals;
using testing::JudgedItems;
using testing::SectionOf;
using testing::ShownValues;

constexpr Clock::SteadyTime kNow{std::chrono::hours(10)};

SlotState Slot(const std::string& name, Families families, Duration age = 1s) {
  SlotState slot;
  slot.name = name;
  slot.ttl = 15s;
  slot.timeout = 5s;
  slot.families = std::make_shared<const Families>(NormalizeFamilies(std::move(families)));
  slot.collected_at = kNow - age;
  slot.last_success = Clock::WallTime(std::chrono::seconds(1'800'000'000));
  slot.attempted = true;
  slot.success = true;
  return slot;
}

FamilySnapshot Snapshot(std::vector<SlotState> slots) {
  FamilySnapshot snapshot;
  snapshot.generation = 3;
  snapshot.taken_at = kNow;
  snapshot.taken_wall = Clock::WallTime(std::chrono::seconds(1'800'000'001));
  snapshot.slots = std::move(slots);
  return snapshot;
}

void Temperature(FamilySet& set, const std::string& sensor, double celsius, double max, double crit,
                 const std::string& label = "") {
  const Labels labels{{"chip", "board"}, {"sensor", sensor}};
  set.Gauge("node_hwmon_temp_celsius", "t", celsius, labels);
  set.Gauge("node_hwmon_temp_max_celsius", "t", max, labels);
  set.Gauge("node_hwmon_temp_crit_celsius", "t", crit, labels);
  if (!label.empty())
    set.Gauge("node_hwmon_sensor_label", "l", 1, {{"chip", "board"}, {"label", label}, {"sensor", sensor}});
}

Families Sensors() {
  FamilySet set;
  Temperature(set, "temp1", 45, 80, 100, "CPU");
  Temperature(set, "temp2", 85, 80, 100, "VRM");
  Temperature(set, "temp3", 105, 80, 100, "PCH");
  set.Gauge("node_hwmon_fan_rpm", "f", 1200, {{"chip", "board"}, {"sensor", "fan1"}});
  set.Gauge("node_hwmon_fan_min_rpm", "f", 1000, {{"chip", "board"}, {"sensor", "fan1"}});
  return set.Take();
}

TEST(HardwarePage, ASensorOverItsCriticalLimitLeadsTheSummaryAndItsSection) {
  const std::string page = HardwarePageHtml(Snapshot({Slot("hwmon", Sensors())}));
  const auto summary = JudgedItems(SectionOf(page, "summary"), "li");
  ASSERT_EQ(summary.size(), 2u) << page;
  EXPECT_EQ(summary[0].severity, "critical");
  EXPECT_NE(summary[0].markup.find("board PCH"), std::string::npos) << summary[0].markup;
  EXPECT_NE(summary[0].markup.find("105.0 °C"), std::string::npos) << summary[0].markup;
  EXPECT_NE(summary[0].markup.find("at or over its critical limit of 100.0 °C"), std::string::npos);
  EXPECT_EQ(summary[1].severity, "warning");
  EXPECT_NE(summary[1].markup.find("board VRM"), std::string::npos) << summary[1].markup;

  const auto rows = JudgedItems(SectionOf(page, "temperatures"), "tr");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].severity, "critical");
  EXPECT_EQ(rows[1].severity, "warning");
  EXPECT_EQ(rows[2].severity, "ok");
  EXPECT_NE(rows[2].markup.find("board CPU"), std::string::npos);
  EXPECT_LT(page.find("id=\"summary\""), page.find("id=\"temperatures\"")) << "bad news first";
}

TEST(HardwarePage, TheSummaryPutsCriticalRowsOfLaterSectionsBeforeWarningsOfEarlierOnes) {
  FamilySet set;
  Temperature(set, "temp1", 85, 80, 100);  // a warning, in the first section
  set.Gauge("node_hwmon_fan_rpm", "f", 0, {{"chip", "board"}, {"sensor", "fan1"}});
  set.Gauge("node_hwmon_fan_min_rpm", "f", 1000, {{"chip", "board"}, {"sensor", "fan1"}});
  const std::string page = HardwarePageHtml(Snapshot({Slot("hwmon", set.Take())}));
  const auto summary = JudgedItems(SectionOf(page, "summary"), "li");
  ASSERT_EQ(summary.size(), 2u) << page;
  EXPECT_EQ(summary[0].severity, "critical");
  EXPECT_NE(summary[0].markup.find("below its minimum of 1000 rpm"), std::string::npos) << summary[0].markup;
  EXPECT_EQ(summary[1].severity, "warning");
}

TEST(HardwarePage, NothingWrongSaysSo) {
  FamilySet set;
  Temperature(set, "temp1", 45, 80, 100);
  const std::string page = HardwarePageHtml(Snapshot({Slot("hwmon", set.Take())}));
  EXPECT_TRUE(JudgedItems(SectionOf(page, "summary"), "li").empty());
  EXPECT_NE(SectionOf(page, "summary").find("Nothing out of its limits, failed or stale."), std::string::npos);
}

TEST(HardwarePage, EveryValueShownIsASampleOfTheSameSnapshotAsAScrapeWritesIt) {
  FamilySnapshot snapshot = Snapshot({Slot("hwmon", Sensors())});
  // The lines a scrape of this snapshot has: the slot's families and the collector metrics computed from it.
  FamilySet collector_metrics;
  AddCollectorMetrics(collector_metrics, snapshot);
  AddCollectorAges(collector_metrics, snapshot);
  std::set<std::string> scraped;
  for (const Families& families : {*snapshot.slots[0].families, collector_metrics.Take()}) {
    const std::string text = SerializeText(families);
    for (std::string_view line : SplitLines(text)) scraped.emplace(line);
  }

  const auto shown = ShownValues(HardwarePageHtml(snapshot));
  ASSERT_GE(shown.size(), 3u * 3 + 2 + 4);  // three temperatures with two limits each, a fan and its minimum, ...
  for (const auto& value : shown) EXPECT_TRUE(scraped.count(value.series + " " + value.value)) << value.series;
  EXPECT_EQ(shown[0].series, "node_hwmon_temp_celsius{chip=\"board\",sensor=\"temp3\"}");
  EXPECT_EQ(shown[0].value, "105");
  EXPECT_EQ(shown[0].text, "105.0 °C");
}

TEST(HardwarePage, LabelValuesAndErrorsFromTheHostNeverBecomeMarkup) {
  FamilySet set;
  Temperature(set, "temp1", 45, 80, 100, "<script>alert(\"label\")</script>");
  set.Gauge("node_filesystem_device_error", "e", 1,
            {{"device", "/dev/<img src=x onerror=alert(1)>"}, {"fstype", "ext4"}, {"mountpoint", "/a'b\"&c"}});
  SlotState failed = Slot("smartctl", {});
  failed.success = false;
  failed.last_error = "smartctl: </td><script>alert('error')</script>";
  const std::string page = HardwarePageHtml(Snapshot({Slot("hwmon", set.Take()), failed}));
  EXPECT_EQ(page.find("<script"), std::string::npos) << page;
  EXPECT_EQ(page.find("<img"), std::string::npos);
  EXPECT_NE(page.find("board &lt;script&gt;alert(&quot;label&quot;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(page.find("/a&#39;b&quot;&amp;c"), std::string::npos);
  EXPECT_NE(page.find("&lt;/td&gt;&lt;script&gt;alert(&#39;error&#39;)"), std::string::npos);
  // The series in a title attribute is escaped too, and reads back as the scrape writes it.
  bool found = false;
  for (const auto& value : ShownValues(page))
    found |= value.series == "node_hwmon_temp_celsius{chip=\"board\",sensor=\"temp1\"}";
  EXPECT_TRUE(found);
}

TEST(HardwarePage, AFailedCollectorShowsItsLastError) {
  SlotState failed = Slot("smartctl", {});
  failed.success = false;
  failed.last_error = "smartctl: exited with status 2 and no device list";
  const std::string page = HardwarePageHtml(Snapshot({Slot("hwmon", {}), failed}));
  const auto summary = JudgedItems(SectionOf(page, "summary"), "li");
  ASSERT_EQ(summary.size(), 1u) << page;
  EXPECT_EQ(summary[0].severity, "critical");
  EXPECT_NE(summary[0].markup.find("<b>smartctl</b>"), std::string::npos);
  EXPECT_NE(summary[0].markup.find("last refresh failed: smartctl: exited with status 2 and no device list"),
            std::string::npos);
  const auto rows = JudgedItems(SectionOf(page, "collectors"), "tr");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].severity, "critical");
  EXPECT_NE(rows[0].markup.find(">failed</data>"), std::string::npos) << rows[0].markup;
  EXPECT_EQ(rows[1].severity, "ok");
}

TEST(HardwarePage, AStaleCollectorIsFlaggedAndAFreshOneIsNot) {
  const std::string page = HardwarePageHtml(Snapshot({Slot("hwmon", {}, 60s), Slot("cpu", {}, 19s)}));
  const auto rows = JudgedItems(SectionOf(page, "collectors"), "tr");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].severity, "warning");
  EXPECT_NE(rows[0].markup.find("<th>hwmon</th>"), std::string::npos);
  EXPECT_NE(rows[0].markup.find("stale: its data is 60.0 s old, refreshed every 15s"), std::string::npos)
      << rows[0].markup;
  EXPECT_EQ(rows[1].severity, "ok") << "19 s is within a TTL of 15 s and a timeout of 5 s";
}

TEST(HardwarePage, ACollectorRefreshedOnDemandIsNotCalledStaleForItsAge) {
  SlotState unread = Slot("hwmon", {}, 50s);  // nobody read it for 50 s: the page's read asked for its refresh
  unread.on_demand = true;
  const auto rows = JudgedItems(SectionOf(HardwarePageHtml(Snapshot({unread})), "collectors"), "tr");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].severity, "ok") << rows[0].markup;
}

TEST(HardwarePage, EachSectionJudgesByItsLimits) {
  FamilySet set;
  set.Gauge("smartctl_device", "d", 1, {{"device", "sda"}, {"model_name", "Disk A"}});
  set.Gauge("smartctl_device_smart_status", "s", 0, {{"device", "sda"}});
  set.Gauge("smartctl_device_smart_status", "s", 1, {{"device", "nvme0"}});
  set.Counter("smartctl_device_available_spare", "s", 5, {{"device", "nvme0"}});
  set.Counter("smartctl_device_available_spare_threshold", "s", 10, {{"device", "nvme0"}});
  set.Counter("node_edac_correctable_errors_total", "e", 2, {{"controller", "0"}});
  set.Counter("node_edac_uncorrectable_errors_total", "e", 0, {{"controller", "0"}});
  set.Gauge("ipmi_temperature_state", "i", 0, {{"name", "Inlet Temp"}});
  set.Gauge("ipmi_fan_speed_state", "i", 2, {{"name", "FAN3"}});
  set.Gauge("ipmi_fan_speed_rpm", "i", 300, {{"name", "FAN3"}});
  set.Gauge("ipmi_sensor_state", "i", 1, {{"name", "PS2 Status"}, {"type", "discrete"}});
  set.Gauge("node_power_supply_online", "p", 0, {{"power_supply", "AC"}});
  set.Gauge("node_power_supply_info", "p", 1, {{"power_supply", "AC"}, {"type", "Mains"}});
  const Labels full{{"device", "/dev/sdb1"}, {"fstype", "ext4"}, {"mountpoint", "/data"}};
  set.Gauge("node_filesystem_size_bytes", "f", 100, full);
  set.Gauge("node_filesystem_avail_bytes", "f", 4, full);
  const Labels image{{"device", "/dev/loop0"}, {"fstype", "squashfs"}, {"mountpoint", "/snap/x"}};
  set.Gauge("node_filesystem_size_bytes", "f", 100, image);
  set.Gauge("node_filesystem_avail_bytes", "f", 0, image);
  set.Gauge("node_filesystem_readonly", "f", 1, image);
  const std::string page = HardwarePageHtml(Snapshot({Slot("all", set.Take())}));

  auto severities = [&page](const std::string& section) {
    std::vector<std::string> found;
    for (const auto& row : JudgedItems(SectionOf(page, section), "tr")) found.push_back(row.severity);
    return found;
  };
  EXPECT_EQ(severities("disks"), (std::vector<std::string>{"critical", "critical"}));
  EXPECT_NE(SectionOf(page, "disks").find("SMART self-assessment failed"), std::string::npos);
  EXPECT_NE(SectionOf(page, "disks").find("available spare below its threshold of 10 %"), std::string::npos);
  EXPECT_EQ(severities("edac"), (std::vector<std::string>{"warning"}));
  EXPECT_EQ(severities("ipmi"), (std::vector<std::string>{"critical", "warning"})) << "nominal sensors are counted";
  EXPECT_NE(SectionOf(page, "ipmi").find("1 sensors nominal"), std::string::npos);
  EXPECT_EQ(severities("power"), (std::vector<std::string>{"warning", "warning"}));
  EXPECT_NE(SectionOf(page, "power").find("PS2 Status"), std::string::npos);
  EXPECT_EQ(severities("filesystems"), (std::vector<std::string>{"critical", "warning"}));
  EXPECT_NE(SectionOf(page, "filesystems").find("4 % available"), std::string::npos);
  EXPECT_NE(SectionOf(page, "filesystems").find("mounted read-only"), std::string::npos);
}

}  // namespace
}  // namespace hw_exporter

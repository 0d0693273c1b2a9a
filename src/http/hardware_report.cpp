#include "hardware_report.h"

#include <algorithm>

#include "hardware_sections.h"
#include "hw_exporter/cache/collector_metrics.h"
#include "hw_exporter/exposition/merge.h"
#include "series_index.h"

namespace hw_exporter {

namespace {

std::string SecondsText(double seconds) { return Fixed(seconds, 1, " s"); }

std::string Joined(const std::vector<std::string>& lines) {
  std::string joined;
  for (const std::string& line : lines) joined += (joined.empty() ? "" : "; ") + line;
  return joined;
}

// A slot as /cache/stats shows it: failed, waiting for its first data, stale (its data older than a refresh and its
// timeout: the refresh is overdue), or with problems. A slot refreshed on demand ages while nobody reads it, and the
// read of this page has just asked for its refresh: its age says nothing.
void JudgeCollector(const SlotState& slot, double age_seconds, Row& row) {
  if (slot.attempted && !slot.success) Judge(row, Severity::kCritical, "last refresh failed: " + slot.last_error);
  if (!slot.families && !slot.attempted) Judge(row, Severity::kWarning, "no data yet: the first refresh is under way");
  if (slot.families && !slot.on_demand && age_seconds > Seconds(slot.ttl) + Seconds(slot.timeout))
    Judge(row, Severity::kWarning,
          "stale: its data is " + SecondsText(age_seconds) + " old, refreshed every " + FormatDuration(slot.ttl));
  if (!slot.problems.empty()) Judge(row, Severity::kWarning, "left out: " + Joined(slot.problems));
}

Row CollectorRow(const SlotState& slot, const FamilySnapshot& snapshot, const SeriesIndex& index) {
  const std::vector<std::pair<std::string_view, std::string_view>> collector{{"collector", slot.name}};
  const double age = std::chrono::duration<double>(snapshot.taken_at - slot.collected_at).count();
  auto status = [&slot](double success) {
    if (success != 0) return std::string("ok");
    return std::string(slot.attempted ? "failed" : "waiting");
  };
  Row row{Severity::kOk,
          slot.name,
          {SeriesField(index.Find("hw_exporter_collector_success", collector), status),
           SeriesField(index.Find("hw_exporter_collector_cache_age_seconds", collector), SecondsText),
           SeriesField(index.Find("hw_exporter_collector_ttl_seconds", collector),
                       [&slot](double) { return FormatDuration(slot.ttl); }),
           SeriesField(index.Find("hw_exporter_collector_last_success_timestamp_seconds", collector), UtcTime),
           TextField(slot.last_error.empty() ? "—" : slot.last_error)},
          {}};
  JudgeCollector(slot, age, row);
  return row;
}

Section CollectorSection(const FamilySnapshot& snapshot, const SeriesIndex& index) {
  Section section{"collectors",
                  "Collectors",
                  {"Collector", "Last refresh", "Data age", "Refreshed every", "Last success", "Last error"},
                  {},
                  {}};
  for (const SlotState& slot : snapshot.slots)
    if (slot.is_collector) section.rows.push_back(CollectorRow(slot, snapshot, index));
  return section;
}

}  // namespace

HardwareReport BuildHardwareReport(const FamilySnapshot& snapshot) {
  // The families as a render of /metrics merges them, so that a value shown is the value scraped.
  FamilySet own;
  AddCollectorMetrics(own, snapshot);
  AddCollectorAges(own, snapshot);
  const Families collector_metrics = NormalizeFamilies(own.Take());
  std::vector<const Families*> parts;
  for (const SlotState& slot : snapshot.slots)
    if (slot.families) parts.push_back(slot.families.get());
  parts.push_back(&collector_metrics);
  const MergedFamilies merged = MergeNormalized(parts);
  const SeriesIndex index(merged);

  HardwareReport report{{TemperatureSection(index), FanSection(index), DiskSection(index), EdacSection(index),
                         IpmiSection(index), PowerSupplySection(index), FilesystemSection(index),
                         CollectorSection(snapshot, index)}};
  for (Section& section : report.sections) {
    std::stable_sort(section.rows.begin(), section.rows.end(),
                     [](const Row& a, const Row& b) { return a.severity > b.severity; });
  }
  return report;
}

}  // namespace hw_exporter

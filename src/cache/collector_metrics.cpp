#include "hw_exporter/cache/collector_metrics.h"

#include <chrono>
#include <string>

namespace hw_exporter {

namespace {

double WallSeconds(Clock::WallTime time) { return std::chrono::duration<double>(time.time_since_epoch()).count(); }

double AgeSeconds(Clock::SteadyTime then, Clock::SteadyTime now) {
  return std::chrono::duration<double>(now - then).count();
}

}  // namespace

void AddCollectorMetrics(FamilySet& families, const FamilySnapshot& snapshot) {
  for (const SlotState& slot : snapshot.slots) {
    if (!slot.is_collector) continue;
    Labels labels{{"collector", slot.name}};
    families.Gauge("hw_exporter_collector_success",
                   "Whether the collector's last refresh succeeded (1) or failed or has not finished yet (0).",
                   slot.success ? 1 : 0, labels);
    families.Gauge("hw_exporter_collector_duration_seconds", "How long the collector's last refresh took.",
                   std::chrono::duration<double>(slot.last_duration).count(), labels);
    if (slot.last_success != Clock::WallTime{})
      families.Gauge("hw_exporter_collector_last_success_timestamp_seconds",
                     "Unix time of the collector's last successful refresh.", WallSeconds(slot.last_success), labels);
    families
        .Gauge("hw_exporter_collector_ttl_seconds",
               "The collector's TTL: the age past which a scrape asks for a refresh (a probe's: its refresh period).",
               Seconds(slot.ttl), labels);
    families.Counter("hw_exporter_collector_refreshes_total", "Refreshes of the collector that have finished.",
                     static_cast<double>(slot.refreshes), labels);
    families.Counter("hw_exporter_collector_failures_total", "Refreshes of the collector that failed or timed out.",
                     static_cast<double>(slot.failures), labels);
    families.Gauge("hw_exporter_collector_problems",
                   "What the collector's last successful refresh left out (a file it could not read, say); the "
                   "reasons are in /cache/stats and the log.",
                   static_cast<double>(slot.problems.size()), labels);
    for (const std::string& family : slot.left_out)
      families.Gauge("hw_exporter_collector_family_left_out",
                     "A family of the collector left out because another collector has a family of that name.", 1,
                     {{"collector", slot.name}, {"family", family}});
  }
}

void AddCollectorAges(FamilySet& families, const FamilySnapshot& snapshot) {
  for (const SlotState& slot : snapshot.slots) {
    if (!slot.is_collector || !slot.families) continue;
    families.Gauge(std::string(kCollectorAgeFamily),
                   "Age of the collector's samples in this response: they come from the family cache.",
                   AgeSeconds(slot.collected_at, snapshot.taken_at), {{"collector", slot.name}});
  }
}

}  // namespace hw_exporter

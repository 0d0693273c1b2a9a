#include "hw_exporter/daemon/slots.h"

#include <algorithm>
#include <memory>
#include <optional>

#include "hw_exporter/collectors/collector.h"
#include "hw_exporter/collectors/collector_table.h"
#include "hw_exporter/config/collector_set.h"
#include "hw_exporter/core/duration.h"
#include "hw_exporter/core/incomplete_refresh.h"
#include "hw_exporter/exposition/render.h"
#include "hw_exporter/exposition/self_metrics.h"

namespace hw_exporter {
namespace {

// The process_* metrics describe the exporter itself, so they come from the real /proc, not --path.procfs. They are
// refreshed as often as the cheapest collectors: reading /proc/self per scrape cost more than the scrape.
constexpr Duration kProcessTtl = std::chrono::seconds(5);
constexpr Duration kProcessTimeout = std::chrono::seconds(2);

SlotSettings ProcessSlot() {
  std::optional<unsigned long long> boot_time;
  try {
    boot_time = ReadBootTime();
  } catch (const std::exception&) {
    // Left unknown: each refresh then reads it with the rest, and says why it cannot.
  }
  auto refresh = [boot_time] {
    return PrepareFamilies(boot_time ? ReadProcessFamilies("/proc", *boot_time) : ReadProcessFamilies(), kProcessTtl);
  };
  SlotSettings slot{"process", kProcessTtl, kProcessTimeout, 4 * kProcessTtl, refresh, /*is_collector=*/false};
  slot.on_demand = true;
  return slot;
}

// Everything a collector is built from: its settings and the roots it reads, a "key=value" line each.
std::string Fingerprint(const CollectorConfig& settings, const Paths& paths) {
  std::string text = "ttl=" + FormatDuration(settings.ttl) + "\ntimeout=" + FormatDuration(settings.timeout) +
                     "\nmax_staleness=" + FormatDuration(settings.max_staleness) + "\nprocfs=" + paths.procfs +
                     "\nsysfs=" + paths.sysfs + "\nrootfs=" + paths.rootfs + "\nudev_data=" + paths.udev_data;
  for (const auto& [option, value] : settings.options) text += "\n" + option + "=" + value;
  return text;
}

}  // namespace

std::vector<SlotSettings> BuildSlots(const LoadedConfig& loaded, ProcessRunner& process_runner) {
  std::vector<SlotSettings> slots;
  for (auto& [name, built] : BuildCollectors(loaded, process_runner)) {
    const CollectorConfig& settings = loaded.config.collectors.at(name);
    std::shared_ptr<Collector> collector = std::move(built);
    auto refresh = [collector, ttl = settings.ttl] {
      try {
        return PrepareFamilies(collector->Collect(), ttl);
      } catch (IncompleteRefresh& incomplete) {  // what it read is published: prepared like any refresh
        incomplete.families = PrepareFamilies(std::move(incomplete.families), ttl);
        throw;
      }
    };
    auto problems = [collector] { return collector->Problems(); };
    auto watch = [collector](std::function<void()> refresh_now) { collector->WatchSources(std::move(refresh_now)); };
    const CollectorInfo& info = *FindCollector(name);
    slots.push_back({name, settings.ttl, settings.timeout, settings.max_staleness, refresh, /*is_collector=*/true,
                     Fingerprint(settings, loaded.config.paths), problems, watch, info.yields_names,
                     /*on_demand=*/!info.runs_programs});
  }
  slots.push_back(ProcessSlot());
  return slots;
}

std::vector<std::string> CollectorNames(const std::vector<SlotSettings>& slots) {
  std::vector<std::string> names;
  for (const auto& slot : slots)
    if (slot.is_collector) names.push_back(slot.name);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace hw_exporter

#pragma once

#include <string>
#include <vector>

#include "hw_exporter/cache/family_cache.h"
#include "hw_exporter/config/config.h"
#include "hw_exporter/probe/process_runner.h"

namespace hw_exporter {

// The family cache's slots for a configuration: one per enabled collector, in table order, each refreshing into
// PrepareFamilies, then the exporter's own process metrics (slot "process", not a collector). Throws ConfigError
// for a collector option the collector refuses.
std::vector<SlotSettings> BuildSlots(const LoadedConfig& loaded, ProcessRunner& process_runner);

// The names of the collectors' slots, sorted: what a scrape may select.
std::vector<std::string> CollectorNames(const std::vector<SlotSettings>& slots);

}  // namespace hw_exporter

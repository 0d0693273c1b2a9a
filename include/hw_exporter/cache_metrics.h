#pragma once

#include "hw_exporter/family_cache.h"
#include "hw_exporter/family_set.h"
#include "hw_exporter/response_cache.h"

namespace hw_exporter {

// hw_exporter_collector_* per collector: success, duration, last success time, cache age, TTL, refreshes.
void AddCollectorMetrics(FamilySet& families, const FamilySnapshot& snapshot);

// hw_exporter_response_cache_*: requests, hits, misses, coalesced, evictions, entries, bytes.
void AddResponseCacheMetrics(FamilySet& families, const ResponseCacheStats& stats);

}  // namespace hw_exporter

#pragma once

#include "hw_exporter/cache/family_cache.h"
#include "hw_exporter/core/family_set.h"

namespace hw_exporter {

// hw_exporter_collector_* per collector of the snapshot: success, duration, last success time, cache age, TTL,
// refreshes and failures.
void AddCollectorMetrics(FamilySet& families, const FamilySnapshot& snapshot);

}  // namespace hw_exporter

#pragma once

#include "hw_exporter/cache/family_cache.h"
#include "hw_exporter/core/family_set.h"

namespace hw_exporter {

// hw_exporter_collector_* per collector of the snapshot: success, duration, last success time, cache age, TTL,
// refreshes, failures, problems, and the families left out for a name another collector has.
void AddCollectorMetrics(FamilySet& families, const FamilySnapshot& snapshot);

}  // namespace hw_exporter

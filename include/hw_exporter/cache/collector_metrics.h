#pragma once

#include <string_view>

#include "hw_exporter/cache/family_cache.h"
#include "hw_exporter/core/family_set.h"

namespace hw_exporter {

// hw_exporter_collector_* per collector of the snapshot: success, duration, last success time, TTL, refreshes,
// failures, problems, and the families left out for a name another collector has. All of them hold as long as the
// snapshot's generation does.
void AddCollectorMetrics(FamilySet& families, const FamilySnapshot& snapshot);

// The one family of the collectors' that moves with the moment a response is rendered for (snapshot.taken_at)
// rather than with the generation: the age of each collector's samples.
inline constexpr std::string_view kCollectorAgeFamily = "hw_exporter_collector_cache_age_seconds";
void AddCollectorAges(FamilySet& families, const FamilySnapshot& snapshot);

}  // namespace hw_exporter

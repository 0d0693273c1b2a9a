#pragma once

#include <memory>
#include <string>

#include "hw_exporter/cache/family_cache.h"
#include "hw_exporter/http/response.h"
#include "hw_exporter/http/response_cache.h"

namespace hw_exporter {

// /cache/stats: both caches as JSON — the response cache per key and in total, the family cache per collector.
// response_cache may be null (the response cache is off).
std::shared_ptr<const Response> CacheStatsResponse(const FamilyCache& families, const ResponseCache* response_cache);

// The JSON document itself, for tests and the response above.
std::string CacheStatsJson(const FamilySnapshot& snapshot, const ResponseCacheStats* response_cache);

// /: a small HTML page naming the version and linking the endpoints.
std::shared_ptr<const Response> LandingPageResponse(const std::string& telemetry_path);

// /-/healthy
std::shared_ptr<const Response> HealthyResponse();

}  // namespace hw_exporter

#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "hw_exporter/cache/family_cache.h"
#include "hw_exporter/http/http_server.h"
#include "hw_exporter/http/response_cache.h"

namespace hw_exporter {

inline constexpr std::string_view kHardwarePath = "/hardware";

// /hardware: the host's hardware at a glance, as one HTML page without script or external assets, rendered from
// the family cache: temperatures and fans against their limits, disks' SMART verdicts, memory errors, IPMI sensors
// not nominal, power supplies, filesystems and the collectors' freshness. A summary of everything out of its
// limits, failed or stale comes first, then the sections, worst rows first. Every value shown is an element
// <data value="..." title="..."> whose value and title are the sample's value and series as /metrics writes them.
std::string HardwarePageHtml(const FamilySnapshot& snapshot);

// The page for a request, gzipped when Accept-Encoding asks for it, through the response cache when there is one
// (null: rendered every time), keyed like /metrics on the path and the encoding and replayed until the family
// cache's generation moves or the cache's TTL ends.
std::shared_ptr<const Response> HardwarePageResponse(const Request& request, const FamilyCache& families,
                                                     ResponseCache* response_cache);

}  // namespace hw_exporter

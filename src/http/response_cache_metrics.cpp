#include "hw_exporter/http/response_cache.h"

namespace hw_exporter {

void AddResponseCacheMetrics(FamilySet& families, const ResponseCacheStats& stats) {
  families.Counter("hw_exporter_response_cache_requests_total", "Requests that went through the response cache.",
                   static_cast<double>(stats.requests));
  families.Counter("hw_exporter_response_cache_hits_total", "Requests answered from a cached response.",
                   static_cast<double>(stats.hits));
  families.Counter("hw_exporter_response_cache_misses_total", "Requests that rendered a new response.",
                   static_cast<double>(stats.misses));
  families.Counter("hw_exporter_response_cache_coalesced_total",
                   "Requests that waited for a render already under way for the same key.",
                   static_cast<double>(stats.coalesced));
  families.Counter("hw_exporter_response_cache_rendered_ahead_total",
                   "Responses rendered after a refresh, before the request foreseen to ask for them.",
                   static_cast<double>(stats.rendered_ahead));
  families.Counter("hw_exporter_response_cache_evictions_total",
                   "Entries evicted to stay within the entry and byte bounds.", static_cast<double>(stats.evictions));
  families.Gauge("hw_exporter_response_cache_entries", "Responses held in the cache.",
                 static_cast<double>(stats.entries));
  families.Gauge("hw_exporter_response_cache_bytes", "Bytes of responses (headers and bodies) held in the cache.",
                 static_cast<double>(stats.bytes));
}

}  // namespace hw_exporter

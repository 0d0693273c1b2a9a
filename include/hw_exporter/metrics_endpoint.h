#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "hw_exporter/family_cache.h"
#include "hw_exporter/http_server.h"
#include "hw_exporter/negotiation.h"
#include "hw_exporter/response_cache.h"
#include "hw_exporter/scrape_query.h"

namespace hw_exporter {

struct MetricsEndpointOptions {
  std::string path = "/metrics";
  std::vector<std::string> enabled_collectors;  // sorted
  Duration scrape_timeout = std::chrono::seconds(10);
  Duration timeout_offset = std::chrono::milliseconds(500);
  std::string proc_self_root = "/proc";  // where the exporter reads its own process_* metrics
};

// The /metrics handler: validates the query, negotiates the encoding, and answers from the response cache,
// rendering on a miss: the selected collectors' cached families and the exporter's own metrics, merged,
// serialized and compressed once.
class MetricsEndpoint {
 public:
  // response_cache may be null: every request then renders.
  MetricsEndpoint(MetricsEndpointOptions options, FamilyCache& families, ResponseCache* response_cache);

  std::shared_ptr<const Response> Handle(const Request& request) const;

  // The cache key of a request: path, canonical query, format and encoding.
  std::string Key(const ScrapeQuery& query, ContentEncoding encoding) const;

 private:
  Rendered Render(const ScrapeQuery& query, ContentEncoding encoding, Duration max_wait) const;
  Duration ScrapeBudget(const Request& request) const;

  MetricsEndpointOptions options_;
  FamilyCache& families_;
  ResponseCache* response_cache_;
  mutable std::atomic<std::size_t> last_body_size_{64 << 10};
};

}  // namespace hw_exporter

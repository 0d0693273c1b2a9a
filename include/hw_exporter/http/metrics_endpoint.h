#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "hw_exporter/cache/family_cache.h"
#include "hw_exporter/http/http_server.h"
#include "hw_exporter/http/negotiation.h"
#include "hw_exporter/http/response_cache.h"
#include "hw_exporter/http/scrape_query.h"

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
  // A collector's families as NormalizeFamilies left them, and the snapshot they were made from.
  struct NormalizedSlot {
    std::weak_ptr<const Families> source;
    std::shared_ptr<const Families> normalized;
  };

  Rendered Render(const ScrapeQuery& query, ContentEncoding encoding, Duration max_wait) const;
  Duration ScrapeBudget(const Request& request) const;
  // The slot's families normalized: redone only when the collector has produced new ones, not per render.
  std::shared_ptr<const Families> Normalized(const SlotState& slot) const;
  // The exporter's own families, which change with every render.
  Families SelfFamilies(const FamilySnapshot& snapshot) const;

  MetricsEndpointOptions options_;
  FamilyCache& families_;
  ResponseCache* response_cache_;
  mutable std::atomic<std::size_t> last_body_size_{64 << 10};
  std::optional<unsigned long long> boot_time_;  // of options_.proc_self_root, read once; none if unreadable
  mutable std::mutex normalized_mutex_;
  mutable std::map<std::string, NormalizedSlot, std::less<>> normalized_;  // by collector name
};

}  // namespace hw_exporter

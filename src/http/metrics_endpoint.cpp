#include "hw_exporter/metrics_endpoint.h"

#include <algorithm>
#include <cmath>

#include "hw_exporter/cache_metrics.h"
#include "hw_exporter/gzip.h"
#include "hw_exporter/http_error.h"
#include "hw_exporter/log.h"
#include "hw_exporter/self_metrics.h"
#include "hw_exporter/strings.h"
#include "hw_exporter/text_format.h"

namespace hw_exporter {

MetricsEndpoint::MetricsEndpoint(MetricsEndpointOptions options, FamilyCache& families,
                                 ResponseCache* response_cache)
    : options_(std::move(options)), families_(families), response_cache_(response_cache) {}

std::string MetricsEndpoint::Key(const ScrapeQuery& query, ContentEncoding encoding) const {
  std::string key = options_.path;
  key += '?';
  key += query.canonical;
  key += ' ';
  key += kTextContentType;
  key += ' ';
  key += EncodingName(encoding);
  return key;
}

// How long this scrape may wait for collectors without data: Prometheus says how long it waits for us.
Duration MetricsEndpoint::ScrapeBudget(const Request& request) const {
  auto header = request.Header("X-Prometheus-Scrape-Timeout-Seconds");
  if (!header) return options_.scrape_timeout;
  auto seconds = ParseDouble(*header);
  if (!seconds || !std::isfinite(*seconds) || *seconds < 0)
    throw HttpError(400, "X-Prometheus-Scrape-Timeout-Seconds: expected a number of seconds, got \"" +
                             std::string(header->substr(0, 32)) + "\"");
  auto budget = std::chrono::duration_cast<Duration>(std::chrono::duration<double>(*seconds)) -
                options_.timeout_offset;
  return std::max(budget, Duration::zero());
}

std::shared_ptr<const Response> MetricsEndpoint::Handle(const Request& request) const {
  try {
    ScrapeQuery query = ParseScrapeQuery(request.query, options_.enabled_collectors);
    ContentEncoding encoding = NegotiateEncoding(request.Header("Accept-Encoding"));
    Duration budget = ScrapeBudget(request);
    auto render = [&] { return Render(query, encoding, budget); };
    if (!response_cache_) return render().response;
    return response_cache_->Get(Key(query, encoding), families_.generation(), render).response;
  } catch (const HttpError& error) {
    return MakeTextResponse(error.status(), error.what());
  }
}

Rendered MetricsEndpoint::Render(const ScrapeQuery& query, ContentEncoding encoding, Duration max_wait) const {
  FamilySnapshot snapshot = families_.Snapshot(query.collectors, max_wait);

  FamilySet self;
  AddCollectorMetrics(self, snapshot);
  if (response_cache_) AddResponseCacheMetrics(self, response_cache_->Stats());

  std::vector<Families> parts;
  parts.reserve(snapshot.slots.size() + 3);
  for (const SlotState& slot : snapshot.slots)
    if (slot.families) parts.push_back(*slot.families);
  parts.push_back(self.Take());
  parts.push_back(BuildInfoFamilies());
  try {
    parts.push_back(ReadProcessFamilies(options_.proc_self_root));
  } catch (const std::exception& error) {
    log::Warn("process metrics unavailable", {{"err", error.what()}});
  }

  std::string body;
  body.reserve(last_body_size_.load(std::memory_order_relaxed));
  AppendText(body, MergeFamilies(std::move(parts)));
  last_body_size_.store(body.size() + body.size() / 8, std::memory_order_relaxed);

  Headers headers{{"Content-Type", std::string(kTextContentType)}, {"Vary", "Accept-Encoding"}};
  if (encoding == ContentEncoding::kGzip) {
    body = Gzip(body);
    headers.emplace_back("Content-Encoding", "gzip");
  }
  return {MakeResponse(200, headers, std::move(body)), snapshot.generation};
}

}  // namespace hw_exporter

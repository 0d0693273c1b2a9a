#include "hw_exporter/http/metrics_endpoint.h"

#include <algorithm>
#include <cmath>
#include <iterator>

#include "hw_exporter/cache/collector_metrics.h"
#include "hw_exporter/exposition/gzip.h"
#include "hw_exporter/http/http_error.h"
#include "hw_exporter/core/log.h"
#include "hw_exporter/exposition/self_metrics.h"
#include "hw_exporter/core/strings.h"
#include "hw_exporter/exposition/text_format.h"

namespace hw_exporter {
namespace {

// zlib's level 5 instead of its default 6: on a typical body it takes about a quarter less time for 0.4% more
// bytes (bench/README.md), and without the response cache every scrape pays for it.
constexpr int kGzipLevel = 5;

}  // namespace

MetricsEndpoint::MetricsEndpoint(MetricsEndpointOptions options, FamilyCache& families,
                                 ResponseCache* response_cache)
    : options_(std::move(options)), families_(families), response_cache_(response_cache) {
  try {
    boot_time_ = ReadBootTime(options_.proc_self_root);
  } catch (const std::exception&) {
    // Left unknown: each render then reads it with the rest, and says why it cannot.
  }
}

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

std::shared_ptr<const Families> MetricsEndpoint::Normalized(const SlotState& slot) const {
  {
    std::lock_guard lock(normalized_mutex_);
    auto found = normalized_.find(slot.name);
    if (found != normalized_.end() && found->second.source.lock() == slot.families) return found->second.normalized;
  }
  auto normalized = std::make_shared<const Families>(NormalizeFamilies(*slot.families));
  std::lock_guard lock(normalized_mutex_);
  normalized_[slot.name] = {slot.families, normalized};
  return normalized;
}

Families MetricsEndpoint::SelfFamilies(const FamilySnapshot& snapshot) const {
  FamilySet self;
  AddCollectorMetrics(self, snapshot);
  if (response_cache_) AddResponseCacheMetrics(self, response_cache_->Stats());
  Families families = self.Take();
  auto append = [&families](Families more) { std::move(more.begin(), more.end(), std::back_inserter(families)); };
  append(BuildInfoFamilies());
  try {
    append(boot_time_ ? ReadProcessFamilies(options_.proc_self_root, *boot_time_)
                      : ReadProcessFamilies(options_.proc_self_root));
  } catch (const std::exception& error) {
    log::Warn("process metrics unavailable", {{"err", error.what()}});
  }
  return families;
}

Rendered MetricsEndpoint::Render(const ScrapeQuery& query, ContentEncoding encoding, Duration max_wait) const {
  FamilySnapshot snapshot = families_.Snapshot(query.collectors, max_wait);

  std::vector<std::shared_ptr<const Families>> collected;
  collected.reserve(snapshot.slots.size());
  for (const SlotState& slot : snapshot.slots)
    if (slot.families) collected.push_back(Normalized(slot));
  const Families self = NormalizeFamilies(SelfFamilies(snapshot));
  std::vector<const Families*> parts;
  parts.reserve(collected.size() + 1);
  for (const auto& part : collected) parts.push_back(part.get());
  parts.push_back(&self);

  std::string body;
  body.reserve(last_body_size_.load(std::memory_order_relaxed));
  AppendText(body, MergeNormalized(parts));
  last_body_size_.store(body.size() + body.size() / 8, std::memory_order_relaxed);

  Headers headers{{"Content-Type", std::string(kTextContentType)}, {"Vary", "Accept-Encoding"}};
  if (encoding == ContentEncoding::kGzip) {
    body = Gzip(body, kGzipLevel);
    headers.emplace_back("Content-Encoding", "gzip");
  }
  return {MakeResponse(200, headers, std::move(body)), snapshot.generation};
}

}  // namespace hw_exporter

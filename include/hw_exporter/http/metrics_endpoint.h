#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hw_exporter/cache/family_cache.h"
#include "hw_exporter/exposition/render.h"
#include "hw_exporter/http/http_server.h"
#include "hw_exporter/http/response_cache.h"
#include "hw_exporter/http/scrape_query.h"

namespace hw_exporter {

struct MetricsEndpointOptions {
  std::string path = "/metrics";
  std::vector<std::string> enabled_collectors;  // sorted
  Duration scrape_timeout = std::chrono::seconds(10);
  Duration timeout_offset = std::chrono::milliseconds(500);
  bool openmetrics = true;  // offered to clients that ask for it; otherwise every scrape gets the text format
  // Adds the exporter's own families of other parts (the web-config file's) to every render.
  std::function<void(FamilySet&)> add_own_families;
};

// Longer than any scrape timeout Prometheus allows (it is at most the scrape interval): a larger header is clamped.
inline constexpr Duration kLongestScrapeTimeout = std::chrono::hours(1);

// How long a scrape may wait for collectors that have no data yet: what Prometheus says it waits for the answer
// (X-Prometheus-Scrape-Timeout-Seconds, clamped to kLongestScrapeTimeout) minus `offset`, or `fallback` without
// the header. Throws HttpError 400 for a header that is not a non-negative number of seconds.
Duration ScrapeWaitBudget(std::optional<std::string_view> timeout_header, Duration fallback, Duration offset);

// The /metrics handler. It parses the query, negotiates the format, the encoding and the wait budget, and asks the
// response cache for the response of that key; on a miss it takes a snapshot of the family cache and has the exposition
// library render it. It remembers the keys asked for, so that the responses the next scrapes will ask for can be
// rendered as soon as the refreshes planned for them end, and a scrape finds its response ready.
class MetricsEndpoint {
 public:
  // response_cache may be null: every request then renders.
  MetricsEndpoint(MetricsEndpointOptions options, FamilyCache& families, ResponseCache* response_cache);
  ~MetricsEndpoint();
  MetricsEndpoint(MetricsEndpoint&&) noexcept;
  MetricsEndpoint& operator=(MetricsEndpoint&&) = delete;

  std::shared_ptr<const Response> Handle(const Request& request) const;

  // Renders into the response cache each key asked for since the last call, unless a fresh response of it is held:
  // the scrapes that come back at a cadence ask for the same keys again. A key nobody asked for since the last call
  // is left to its requests; so is one whose collectors include one that has no data yet (a request would wait for
  // it). When more than one scraper comes at a cadence, each key is also rendered for the arrival after the next one
  // (ResponseCache::RenderFor), another scraper's, which would otherwise come after the response's TTL and render
  // its own. Does nothing without a response cache.
  void RenderAhead() const;

  // At most this many keys are remembered between two renders ahead; the keys asked for beyond them are not
  // rendered ahead (a client varying its queries renders nothing more here).
  static constexpr std::size_t kMostKeysAhead = 8;

  // The cache key of a request: path, canonical query, format and encoding.
  std::string Key(const ScrapeQuery& query, Format format, ContentEncoding encoding) const;

 private:
  struct AskedKeys;

  // What a request asks for, as its query and headers say.
  struct Negotiated {
    ScrapeQuery query;
    Format format = Format::kText;
    ContentEncoding encoding = ContentEncoding::kIdentity;
    Duration budget{};
    std::string key;
    std::uint64_t noted_in_round = 0;  // AskedKeys' round in which this thread last noted the key; 0: never
  };
  // The request's collectors, format, encoding, wait budget and cache key; throws HttpError for a bad query or
  // header. What it returns is the calling thread's, and stays valid until the thread's next call.
  Negotiated& Negotiate(const Request& request) const;

  // What the snapshot's generation fixes of a body: its families, and this endpoint's own metrics as of now.
  BodyRest RestOf(const FamilySnapshot& snapshot, Format format, ContentEncoding encoding) const;
  // A 200 response of `body`, rendered from the generation given.
  static Rendered Respond(std::string body, Format format, ContentEncoding encoding, std::uint64_t generation);

  MetricsEndpointOptions options_;
  FamilyCache& families_;
  ResponseCache* response_cache_;
  std::unique_ptr<AskedKeys> asked_;
  std::uint64_t id_;  // tells this endpoint's remembered negotiations from another's (a reload makes a new one)
};

}  // namespace hw_exporter

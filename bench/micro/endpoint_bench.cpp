// /metrics in process, without the network: the response-cache hit path and the render path (cache off).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>

#include "hw_exporter/exposition/render.h"
#include "hw_exporter/http/metrics_endpoint.h"
#include "hw_exporter/http/response_cache.h"
#include "node_tree.h"

namespace hw_exporter::bench {
namespace {

// A scrape as Prometheus 2.42 sends it, asking for OpenMetrics first; gzip or not.
Request ScrapeRequest(bool gzip) {
  Request request;
  request.method = "GET";
  request.path = "/metrics";
  request.headers.emplace_back("Accept",
                               "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
                               "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
  if (gzip) request.headers.emplace_back("Accept-Encoding", "gzip");
  return request;
}

// What the daemon gives its endpoint: every collector of the cache, which a scrape without a query selects.
MetricsEndpointOptions OptionsFor(const FamilyCache& families) {
  MetricsEndpointOptions options;
  for (const SlotState& slot : families.SnapshotAll(Duration::zero()).slots)
    if (slot.is_collector) options.enabled_collectors.push_back(slot.name);
  std::sort(options.enabled_collectors.begin(), options.enabled_collectors.end());
  return options;
}

// The node collectors refreshed once, behind an endpoint with or without a response cache.
struct Endpoint {
  explicit Endpoint(bool cached)
      : families(RefreshedNodeCache(process_runner)),
        response_cache(cached ? std::make_unique<ResponseCache>(ResponseCacheOptions{}) : nullptr),
        endpoint(OptionsFor(*families), *families, response_cache.get()) {}

  ProcessRunner process_runner{2};
  std::unique_ptr<FamilyCache> families;
  std::unique_ptr<ResponseCache> response_cache;
  MetricsEndpoint endpoint;
};

bool SkipWithoutTree(benchmark::State& state) {
  if (!NodeTree().empty()) return false;
  state.SkipWithError("the shared node_exporter tree is absent (set HW_EXPORTER_BENCH_TREE)");
  return true;
}

void ScrapeLoop(benchmark::State& state, const Endpoint& endpoint, bool gzip) {
  Request request = ScrapeRequest(gzip);
  size_t bytes = 0;
  for (auto _ : state) {
    auto response = endpoint.endpoint.Handle(request);
    bytes = response->body().size();
    benchmark::DoNotOptimize(response.get());
  }
  state.counters["body_bytes"] = static_cast<double>(bytes);
}

// The whole handler on a hit: query check, negotiation, key, lookup. arg 1: gzip.
void BM_MetricsHit(benchmark::State& state) {
  if (SkipWithoutTree(state)) return;
  Endpoint endpoint(true);
  ScrapeLoop(state, endpoint, state.range(0) != 0);
}
BENCHMARK(BM_MetricsHit)->Arg(0)->Arg(1)->ArgName("gzip");

// The cache alone, one key: the lock, the map, the LRU splice and the shared_ptr copy.
void BM_ResponseCacheGetHit(benchmark::State& state) {
  ResponseCache cache(ResponseCacheOptions{});
  const std::string key = "/metrics? text/plain; version=0.0.4; charset=utf-8 identity";
  auto render = [] { return Rendered{MakeResponse(200, {}, std::string(60000, 'x')), 1}; };
  cache.Get(key, 1, render);
  for (auto _ : state) benchmark::DoNotOptimize(cache.Get(key, 1, render).response.get());
}
BENCHMARK(BM_ResponseCacheGetHit);

// Every request renders: snapshot, self-metrics, merge, serialize (and gzip). arg 1: gzip.
void BM_MetricsRender(benchmark::State& state) {
  if (SkipWithoutTree(state)) return;
  Endpoint endpoint(false);
  ScrapeLoop(state, endpoint, state.range(0) != 0);
}
BENCHMARK(BM_MetricsRender)->Arg(0)->Arg(1)->ArgName("gzip")->Unit(benchmark::kMicrosecond);

// The two responses of one generation that a render ahead makes for two scrapers' arrivals (OpenMetrics, gzip),
// 7.5 s apart. arg 0: each rendered whole, the reference; 1: their rest rendered once and shared (BodyRest).
void BM_RenderTwoArrivals(benchmark::State& state) {
  if (SkipWithoutTree(state)) return;
  Endpoint endpoint(false);
  FamilySnapshot snapshot = endpoint.families->SnapshotAll(Duration::zero());
  FamilySnapshot later = snapshot;
  later.taken_at += std::chrono::milliseconds(7500);
  const bool shared = state.range(0) != 0;
  for (auto _ : state) {
    if (shared) {
      const BodyRest rest(snapshot, {}, Format::kOpenMetrics, ContentEncoding::kGzip);
      benchmark::DoNotOptimize(rest.Complete(snapshot));
      benchmark::DoNotOptimize(rest.Complete(later));
    } else {
      benchmark::DoNotOptimize(Render(snapshot, {}, Format::kOpenMetrics, ContentEncoding::kGzip));
      benchmark::DoNotOptimize(Render(later, {}, Format::kOpenMetrics, ContentEncoding::kGzip));
    }
  }
}
BENCHMARK(BM_RenderTwoArrivals)->Arg(0)->Arg(1)->ArgName("shared")->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace hw_exporter::bench

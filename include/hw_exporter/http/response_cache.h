#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hw_exporter/core/clock.h"
#include "hw_exporter/core/duration.h"
#include "hw_exporter/core/family_set.h"
#include "hw_exporter/http/response.h"

namespace hw_exporter {

struct ResponseCacheOptions {
  Duration ttl = std::chrono::seconds(5);
  std::size_t max_entries = 256;
  std::size_t max_bytes = 32u << 20;
};

// What a render produced: the response, and the FamilyCache generation of the data it was rendered from.
struct Rendered {
  std::shared_ptr<const Response> response;
  std::uint64_t generation = 0;
};

enum class CacheOutcome { kHit, kMiss, kCoalesced };

struct CacheLookup {
  std::shared_ptr<const Response> response;
  CacheOutcome outcome = CacheOutcome::kMiss;
};

struct ResponseCacheEntryStats {
  std::string key;
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;
  std::uint64_t coalesced = 0;
  std::uint64_t rendered_ahead = 0;
  std::size_t bytes = 0;
  std::uint64_t generation = 0;
  Duration age{};
  Duration expires_in{};  // zero once expired (the entry is replaced on its next request)
  // Until the response rendered for a foreseen arrival (RenderFor) takes the place of this one; none: no such one.
  std::optional<Duration> next_response_in;
};

struct ResponseCacheStats {
  std::uint64_t requests = 0;
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;
  std::uint64_t coalesced = 0;
  std::uint64_t rendered_ahead = 0;  // responses rendered by RenderAhead() or RenderFor(), before a request asked
  std::uint64_t evictions = 0;
  std::size_t entries = 0;
  std::size_t bytes = 0;
  std::size_t max_entries = 0;
  std::size_t max_bytes = 0;
  Duration ttl{};
  std::vector<ResponseCacheEntryStats> per_key;  // most recently used first
};

// Replays rendered responses byte for byte, keyed by the caller's canonical request key, until the entry's TTL
// ends or the FamilyCache generation moves. Concurrent misses of one key render once (single-flight). Bounded by
// entries and bytes, least recently used evicted first. Only 200 responses are kept; a render that throws is
// rethrown to every request waiting on it and nothing is stored.
class ResponseCache {
 public:
  explicit ResponseCache(ResponseCacheOptions options, Clock& clock = Clock::Real());
  ~ResponseCache();
  ResponseCache(const ResponseCache&) = delete;
  ResponseCache& operator=(const ResponseCache&) = delete;

  CacheLookup Get(const std::string& key, std::uint64_t current_generation, const std::function<Rendered()>& render);

  // Renders the key's response for a request foreseen to come, unless one fresh at `current_generation` is held or
  // a render of the key is under way; a request meanwhile waits for this render as for any other. Counts as
  // rendered ahead, not as a request. Rethrows what the render threw.
  void RenderAhead(const std::string& key, std::uint64_t current_generation, const std::function<Rendered()>& render);

  // Renders the key's response for a request foreseen at `arrival`, by which the response held for the key will have
  // passed its TTL: `render` renders it as of that moment. Kept beside the held one, it replaces it from
  // ScrapeCadence::kSameMoment before `arrival` on, and is replayed, as any response, while the generation it was
  // rendered from holds and its TTL from `arrival` lasts. Does nothing when no response is held for the key, or one
  // that is still fresh then, or one already rendered for that arrival. Counts as rendered ahead. Rethrows what the
  // render threw, keeping nothing.
  void RenderFor(const std::string& key, Clock::SteadyTime arrival, std::uint64_t current_generation,
                 const std::function<Rendered()>& render);

  ResponseCacheStats Stats() const;

  // Empties the cache and takes new limits (a reload); the counters go on. A render under way still stores its
  // response, which the generation it carries keeps from being replayed after a reload of the collectors.
  void Reset(ResponseCacheOptions options);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// hw_exporter_response_cache_*: requests, hits, misses, coalesced, rendered ahead, evictions, entries, bytes.
void AddResponseCacheMetrics(FamilySet& families, const ResponseCacheStats& stats);

}  // namespace hw_exporter

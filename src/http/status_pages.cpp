#include "hw_exporter/http/status_pages.h"

#include <nlohmann/json.hpp>

#include "html.h"
#include "hw_exporter/core/version.h"
#include "hw_exporter/http/hardware_page.h"

namespace hw_exporter {

namespace {

// Ordered, so that the document reads in the order it is written.
using json = nlohmann::ordered_json;

double SecondsBetween(Clock::SteadyTime from, Clock::SteadyTime to) {
  return std::chrono::duration<double>(to - from).count();
}

json SlotJson(const SlotState& slot, Clock::SteadyTime now) {
  json entry = {{"name", slot.name},
                {"ttl_seconds", Seconds(slot.ttl)},
                {"timeout_seconds", Seconds(slot.timeout)},
                {"max_staleness_seconds", Seconds(slot.max_staleness)},
                {"refreshed", slot.on_demand ? "on demand" : "on its TTL"},
                {"has_data", static_cast<bool>(slot.families)},
                {"age_seconds", nullptr},
                {"last_duration_seconds", std::chrono::duration<double>(slot.last_duration).count()},
                {"last_success", slot.success},
                {"last_success_timestamp_seconds", nullptr},
                {"last_error", slot.last_error},
                {"refreshing", slot.refreshing},
                {"refreshes", slot.refreshes},
                {"failures", slot.failures},
                {"generation", slot.generation},
                {"problems", slot.problems},
                {"left_out_families", slot.left_out}};
  if (slot.families) entry["age_seconds"] = SecondsBetween(slot.collected_at, now);
  if (slot.last_success != Clock::WallTime{})
    entry["last_success_timestamp_seconds"] =
        std::chrono::duration<double>(slot.last_success.time_since_epoch()).count();
  return entry;
}

json ResponseCacheJson(const ResponseCacheStats& stats) {
  json entries = json::array();
  for (const auto& entry : stats.per_key) {
    entries.push_back({{"key", entry.key},
                       {"hits", entry.hits},
                       {"misses", entry.misses},
                       {"coalesced", entry.coalesced},
                       {"rendered_ahead", entry.rendered_ahead},
                       {"bytes", entry.bytes},
                       {"generation", entry.generation},
                       {"age_seconds", Seconds(entry.age)},
                       {"expires_in_seconds", Seconds(entry.expires_in)},
                       {"next_response_in_seconds",
                        entry.next_response_in ? json(Seconds(*entry.next_response_in)) : json(nullptr)}});
  }
  return {{"enabled", true},
          {"ttl_seconds", Seconds(stats.ttl)},
          {"max_entries", stats.max_entries},
          {"max_bytes", stats.max_bytes},
          {"totals",
           {{"requests", stats.requests},
            {"hits", stats.hits},
            {"misses", stats.misses},
            {"coalesced", stats.coalesced},
            {"rendered_ahead", stats.rendered_ahead},
            {"evictions", stats.evictions},
            {"entries", stats.entries},
            {"bytes", stats.bytes}}},
          {"entries", entries}};
}

// Seconds from the snapshot to the scrape expected next; null when the scrapes have no cadence.
json NextScrapeJson(const FamilySnapshot& snapshot) {
  if (!snapshot.next_read) return nullptr;
  return SecondsBetween(snapshot.taken_at, *snapshot.next_read);
}

}  // namespace

std::string CacheStatsJson(const FamilySnapshot& snapshot, const ResponseCacheStats* response_cache) {
  json collectors = json::array();
  for (const SlotState& slot : snapshot.slots)
    if (slot.is_collector) collectors.push_back(SlotJson(slot, snapshot.taken_at));
  json document = {{"response_cache", response_cache ? ResponseCacheJson(*response_cache) : json{{"enabled", false}}},
                   {"family_cache",
                    {{"generation", snapshot.generation},
                     {"next_scrape_expected_in_seconds", NextScrapeJson(snapshot)},
                     {"collectors", collectors}}}};
  // A probe's error can quote its output, which need not be UTF-8: replaced, not a 500.
  return document.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::shared_ptr<const Response> CacheStatsResponse(const FamilyCache& families, const ResponseCache* response_cache) {
  FamilySnapshot snapshot = families.SnapshotAll(Duration::zero());
  std::optional<ResponseCacheStats> stats;
  if (response_cache) stats = response_cache->Stats();
  return MakeResponse(200, {{"Content-Type", "application/json"}, {"Cache-Control", "no-store"}},
                      CacheStatsJson(snapshot, stats ? &*stats : nullptr));
}

std::shared_ptr<const Response> LandingPageResponse(const std::string& telemetry_path) {
  const std::string path = HtmlEscaped(telemetry_path);
  const std::string hardware(kHardwarePath);
  std::string body =
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>hw_exporter</title></head><body>\n"
      "<h1>hw_exporter</h1>\n<p>Prometheus exporter for this host's hardware, version " +
      HtmlEscaped(Version()) + " (revision " + HtmlEscaped(Revision()) + ").</p>\n<ul>\n" + "<li><a href=\"" + path +
      "\">" + path + "</a>: metrics</li>\n" + "<li><a href=\"" + hardware + "\">" + hardware +
      "</a>: the hardware at a glance, problems first (HTML)</li>\n" +
      "<li><a href=\"/cache/stats\">/cache/stats</a>: what the caches hold (JSON)</li>\n" +
      "<li><a href=\"/-/healthy\">/-/healthy</a>: health check</li>\n</ul>\n</body></html>\n";
  return MakeResponse(200, {{"Content-Type", "text/html; charset=utf-8"}}, std::move(body));
}

std::shared_ptr<const Response> HealthyResponse() { return MakeTextResponse(200, "Healthy"); }

}  // namespace hw_exporter

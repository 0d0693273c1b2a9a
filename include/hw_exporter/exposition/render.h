#pragma once

#include <string>
#include <string_view>

#include "hw_exporter/cache/family_cache.h"
#include "hw_exporter/core/duration.h"
#include "hw_exporter/core/family_set.h"
#include "hw_exporter/exposition/gzip.h"

namespace hw_exporter {

// The exposition formats hw_exporter writes: Prometheus' text format 0.0.4, and OpenMetrics 1.0.
enum class Format { kText, kOpenMetrics };

enum class ContentEncoding { kIdentity, kGzip };

std::string_view ContentType(Format format);              // "text/plain; version=0.0.4; charset=utf-8", ...
std::string_view EncodingName(ContentEncoding encoding);  // "identity", "gzip"

// A slot's families made ready for every render, once per refresh instead of once per scrape: a slow collector's
// HELP says that its samples are cached and how often they are refreshed, and the families are normalized
// (NormalizeFamilies: sorted, de-duplicated, checked).
Families PrepareFamilies(Families collected, Duration ttl);

// The body of one scrape: the snapshot's families (each slot's as PrepareFamilies left them), the
// hw_exporter_collector_* metrics of its collectors, `own` (the caller's own metrics, such as its response
// cache's) and hw_exporter_build_info, merged into one exposition, serialized in `format` and compressed with
// `encoding`. It begins with the ages of the collectors' samples (AddCollectorAges) and goes on in name order.
std::string Render(const FamilySnapshot& snapshot, Families own, Format format, ContentEncoding encoding);

// Render() in two steps. Of a body, only the ages of the collectors' samples move with the moment a response is
// rendered for; everything after them the snapshot's generation fixes. A BodyRest serializes, and compresses for
// gzip, that rest once, and Complete() puts before it the ages as of a moment: the responses of two scrapers of one
// generation, rendered in one breath for their two arrivals (MetricsEndpoint::RenderAhead), share the rest.
class BodyRest {
 public:
  BodyRest(const FamilySnapshot& snapshot, Families own, Format format, ContentEncoding encoding);

  // The body as of as_of.taken_at; as_of is the constructor's snapshot, or a copy of it moved in time.
  std::string Complete(const FamilySnapshot& as_of) const&;
  // The same, as the rest's last body: an identity body takes the rest's text instead of a copy of it, so that a
  // render holds one body's worth of text, not two.
  std::string Complete(const FamilySnapshot& as_of) &&;

 private:
  Format format_;
  ContentEncoding encoding_;
  std::string text_;       // the rest, for identity
  DeflatedTail deflated_;  // the rest, for gzip
};

}  // namespace hw_exporter

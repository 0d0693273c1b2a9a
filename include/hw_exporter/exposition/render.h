#pragma once

#include <string>
#include <string_view>

#include "hw_exporter/cache/family_cache.h"
#include "hw_exporter/core/duration.h"
#include "hw_exporter/core/family_set.h"

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
// `encoding`.
std::string Render(const FamilySnapshot& snapshot, Families own, Format format, ContentEncoding encoding);

}  // namespace hw_exporter

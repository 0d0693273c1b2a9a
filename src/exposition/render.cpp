#include "hw_exporter/exposition/render.h"

#include <iterator>
#include <utility>
#include <vector>

#include "hw_exporter/cache/collector_metrics.h"
#include "hw_exporter/exposition/gzip.h"
#include "hw_exporter/exposition/merge.h"
#include "hw_exporter/exposition/openmetrics_format.h"
#include "hw_exporter/exposition/self_metrics.h"
#include "hw_exporter/exposition/text_format.h"

namespace hw_exporter {
namespace {

// Slow collectors say in their HELP that their samples come from a cache, so that a reader of a raw scrape
// knows why a value did not move.
constexpr Duration kNoteCachingFrom = std::chrono::minutes(1);

// The fastest level: on a typical body it takes a quarter of the time of zlib's level 5 for 8% more bytes (about 1
// KB; bench/README.md). Since collectors refresh on demand, data moves between most scrapes and nearly every
// scrape renders and compresses anew, so the time is paid per scrape while the bytes hardly matter.
constexpr int kGzipLevel = 1;

Families OwnFamilies(const FamilySnapshot& snapshot, Families own) {
  FamilySet collectors;
  AddCollectorMetrics(collectors, snapshot);
  Families all = collectors.Take();
  std::move(own.begin(), own.end(), std::back_inserter(all));
  static const Families build_info = BuildInfoFamilies();
  all.insert(all.end(), build_info.begin(), build_info.end());
  return NormalizeFamilies(std::move(all));
}

// The ages come first in every body, alone under their name: a collector's family of that name (a text file's) is
// left out, and so is a counter that OpenMetrics would declare under it.
void LeaveOutAgeFamily(MergedFamilies& families) {
  const std::string counter = std::string(kCollectorAgeFamily) + "_total";
  std::erase_if(families, [&](const MergedFamily& merged) {
    return merged.family->name == kCollectorAgeFamily || merged.family->name == counter;
  });
}

// The one place a format chooses its serializer. `ends`: whether the families end the exposition, which
// OpenMetrics closes.
void AppendExposition(std::string& out, const MergedFamilies& families, Format format, bool ends) {
  switch (format) {
    case Format::kText: AppendText(out, families); return;
    case Format::kOpenMetrics: ends ? AppendOpenMetrics(out, families) : AppendOpenMetricsHead(out, families); return;
  }
}

void AppendAges(std::string& out, const FamilySnapshot& as_of, Format format) {
  FamilySet ages;
  AddCollectorAges(ages, as_of);
  const Families normalized = NormalizeFamilies(ages.Take());
  const Families* parts[] = {&normalized};
  AppendExposition(out, MergeNormalized(parts), format, /*ends=*/false);
}

}  // namespace

std::string_view ContentType(Format format) {
  switch (format) {
    case Format::kText: return kTextContentType;
    case Format::kOpenMetrics: return kOpenMetricsContentType;
  }
  return kTextContentType;
}

std::string_view EncodingName(ContentEncoding encoding) {
  return encoding == ContentEncoding::kGzip ? "gzip" : "identity";
}

Families PrepareFamilies(Families collected, Duration ttl) {
  if (ttl >= kNoteCachingFrom) {
    const std::string note = " (cached by hw_exporter: refreshed every " + FormatDuration(ttl) + ")";
    for (auto& family : collected) family.help += note;
  }
  return NormalizeFamilies(std::move(collected));
}

BodyRest::BodyRest(const FamilySnapshot& snapshot, Families own, Format format, ContentEncoding encoding)
    : format_(format), encoding_(encoding) {
  const Families own_normalized = OwnFamilies(snapshot, std::move(own));
  std::vector<const Families*> parts;
  parts.reserve(snapshot.slots.size() + 1);
  for (const SlotState& slot : snapshot.slots)
    if (slot.families) parts.push_back(slot.families.get());
  parts.push_back(&own_normalized);
  MergedFamilies merged = MergeNormalized(parts);
  LeaveOutAgeFamily(merged);

  std::string text;  // reserved by the serializer, from the families' sizes
  AppendExposition(text, merged, format, /*ends=*/true);
  if (encoding == ContentEncoding::kGzip) {
    deflated_ = DeflateTail(text, kGzipLevel);
  } else {
    text_ = std::move(text);
  }
}

std::string BodyRest::Complete(const FamilySnapshot& as_of) const& {
  std::string ages;
  AppendAges(ages, as_of, format_);
  if (encoding_ == ContentEncoding::kGzip) return GzipJoined(ages, deflated_, kGzipLevel);
  std::string body;
  body.reserve(ages.size() + text_.size());
  body.append(ages);
  body.append(text_);
  return body;
}

std::string BodyRest::Complete(const FamilySnapshot& as_of) && {
  if (encoding_ == ContentEncoding::kGzip) return std::as_const(*this).Complete(as_of);
  std::string ages;
  AppendAges(ages, as_of, format_);
  text_.insert(0, ages);
  return std::move(text_);
}

std::string Render(const FamilySnapshot& snapshot, Families own, Format format, ContentEncoding encoding) {
  return BodyRest(snapshot, std::move(own), format, encoding).Complete(snapshot);
}

}  // namespace hw_exporter

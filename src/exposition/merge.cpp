#include <algorithm>
#include <iterator>

#include "hw_exporter/exposition/merge.h"

namespace hw_exporter {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// [a-zA-Z_:][a-zA-Z0-9_:]* for metric names, the same without ':' for label names; a leading "__" is reserved
// for Prometheus itself.
bool IsValidName(std::string_view name, bool allow_colon) {
  if (name.empty() || name.starts_with("__") || IsAsciiDigit(name.front())) return false;
  return std::all_of(name.begin(), name.end(), [allow_colon](char c) {
    return IsAsciiLetter(c) || IsAsciiDigit(c) || c == '_' || (allow_colon && c == ':');
  });
}

// Length of the well-formed UTF-8 sequence at text[at] (no overlong forms, surrogates or code points above
// U+10FFFF), or 0 when there is none.
size_t Utf8SequenceLength(std::string_view text, size_t at) {
  auto byte = [&](size_t offset) { return static_cast<unsigned char>(text[at + offset]); };
  unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  size_t length = 0;
  unsigned char second_min = 0x80;
  unsigned char second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) second_min = 0xA0;
    if (lead == 0xED) second_max = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) second_min = 0x90;
    if (lead == 0xF4) second_max = 0x8F;
  } else {
    return 0;
  }
  if (at + length > text.size() || byte(1) < second_min || byte(1) > second_max) return 0;
  for (size_t offset = 2; offset < length; ++offset) {
    if ((byte(offset) & 0xC0) != 0x80) return 0;
  }
  return length;
}

// Scrapers reject a whole exposition over one byte that is not UTF-8, and hardware strings (DMI, drive models)
// can carry such bytes: each is replaced by U+FFFD.
void ReplaceInvalidUtf8(std::string& text) {
  constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
  size_t at = 0;
  for (size_t length = 0; at < text.size() && (length = Utf8SequenceLength(text, at)) != 0;) at += length;
  if (at == text.size()) return;
  std::string repaired(text, 0, at);
  while (at < text.size()) {
    size_t length = Utf8SequenceLength(text, at);
    if (length == 0) {
      repaired.append(kReplacement);
      length = 1;
    } else {
      repaired.append(text, at, length);
    }
    at += length;
  }
  text = std::move(repaired);
}

// The label a type adds to its own lines, which its series may not carry themselves.
std::string_view ReservedLabel(MetricType type) {
  switch (type) {
    case MetricType::Histogram: return "le";
    case MetricType::Summary: return "quantile";
    default: return {};
  }
}

// Sorts the series' labels by name and makes their values UTF-8; false when the series cannot be exposed.
bool NormalizeSeries(ClientMetric& metric, std::string_view reserved_label) {
  std::sort(metric.label.begin(), metric.label.end(),
            [](const auto& left, const auto& right) { return left.name < right.name; });
  for (size_t i = 0; i < metric.label.size(); ++i) {
    const std::string& name = metric.label[i].name;
    if (!IsValidName(name, false) || name == reserved_label) return false;
    if (i > 0 && name == metric.label[i - 1].name) return false;
    ReplaceInvalidUtf8(metric.label[i].value);
  }
  return true;
}

const ClientMetric& AsSeries(const ClientMetric& metric) { return metric; }
const ClientMetric& AsSeries(const ClientMetric* metric) { return *metric; }

// Sorts series (or pointers to them) by label set and keeps the first of those with the same label set; stable,
// so "first" is the order given.
template <typename Series>
void SortAndDeduplicate(std::vector<Series>& series) {
  const auto by_labels = [](const Series& left, const Series& right) {
    return AsSeries(left).label < AsSeries(right).label;
  };
  // Most collectors give their series in order: then the sort, which takes a buffer, is skipped.
  if (!std::is_sorted(series.begin(), series.end(), by_labels))
    std::stable_sort(series.begin(), series.end(), by_labels);
  auto duplicates = std::unique(series.begin(), series.end(), [](const Series& left, const Series& right) {
    return AsSeries(left).label == AsSeries(right).label;
  });
  series.erase(duplicates, series.end());
}

void NormalizeFamily(MetricFamily& family) {
  ReplaceInvalidUtf8(family.help);
  std::string_view reserved_label = ReservedLabel(family.type);
  // The series that can be exposed move up in place, in order.
  auto kept = family.metric.begin();
  for (auto series = family.metric.begin(); series != family.metric.end(); ++series) {
    if (!NormalizeSeries(*series, reserved_label)) continue;
    if (series != kept) *kept = std::move(*series);
    ++kept;
  }
  family.metric.erase(kept, family.metric.end());
  SortAndDeduplicate(family.metric);
}

}  // namespace

Families NormalizeFamilies(Families part) {
  // An empty family must not claim a name that a later one fills.
  std::erase_if(part,
                [](const MetricFamily& family) { return family.metric.empty() || !IsValidName(family.name, true); });
  std::stable_sort(part.begin(), part.end(),
                   [](const MetricFamily& left, const MetricFamily& right) { return left.name < right.name; });

  Families merged;
  merged.reserve(part.size());
  for (auto& family : part) {
    if (merged.empty() || merged.back().name != family.name) {
      merged.push_back(std::move(family));
    } else if (merged.back().type == family.type) {
      auto& metrics = merged.back().metric;
      std::move(family.metric.begin(), family.metric.end(), std::back_inserter(metrics));
    }
  }
  // A family left without series stays: it still claims its name against the parts merged after it.
  for (auto& family : merged) NormalizeFamily(family);
  return merged;
}

MergedFamilies MergeNormalized(std::span<const Families* const> parts) {
  std::vector<const MetricFamily*> all;
  std::size_t families = 0;
  for (const Families* part : parts) families += part->size();
  all.reserve(families);
  for (const Families* part : parts)
    for (const MetricFamily& family : *part) all.push_back(&family);
  // Stable, so that of families with the same name, the one of the earliest part wins.
  std::stable_sort(all.begin(), all.end(),
                   [](const MetricFamily* left, const MetricFamily* right) { return left->name < right->name; });

  MergedFamilies merged;
  merged.reserve(all.size());
  for (auto first = all.begin(); first != all.end();) {
    const MetricFamily& winner = **first;
    auto last = std::find_if(first, all.end(), [&](const MetricFamily* family) { return family->name != winner.name; });
    MergedFamily& out = merged.emplace_back(MergedFamily{&winner, {}});
    // Sized once: a render merges every family, and a vector grown series by series allocates several times each.
    std::size_t series = 0;
    for (auto family = first; family != last; ++family) series += (*family)->metric.size();
    out.series.reserve(series);
    for (auto family = first; family != last; ++family) {
      if ((*family)->type != winner.type) continue;
      for (const ClientMetric& metric : (*family)->metric) out.series.push_back(&metric);
    }
    // Each part's series are sorted and unique already; only a name shared by parts needs the sort.
    if (std::distance(first, last) > 1) SortAndDeduplicate(out.series);
    if (out.series.empty()) merged.pop_back();
    first = last;
  }
  return merged;
}

Families MergeFamilies(std::vector<Families> parts) {
  std::vector<Families> normalized;
  normalized.reserve(parts.size());
  for (auto& part : parts) normalized.push_back(NormalizeFamilies(std::move(part)));
  std::vector<const Families*> pointers;
  for (const auto& part : normalized) pointers.push_back(&part);

  Families merged;
  for (const MergedFamily& view : MergeNormalized(pointers)) {
    MetricFamily& family = merged.emplace_back();
    family.name = view.family->name;
    family.help = view.family->help;
    family.type = view.family->type;
    for (const ClientMetric* metric : view.series) family.metric.push_back(*metric);
  }
  return merged;
}

}  // namespace hw_exporter

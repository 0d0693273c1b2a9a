#pragma once

// The series of one snapshot by family name, merged as /metrics merges them, and the readings the hardware page
// makes of them.

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "hardware_report.h"
#include "hw_exporter/exposition/merge.h"

namespace hw_exporter {

// One series and the family it belongs to.
struct SeriesRef {
  const prometheus::MetricFamily* family;
  const prometheus::ClientMetric* series;

  std::string_view Label(std::string_view name) const;  // empty when the series has no such label
  double Value() const;                                 // a gauge's, counter's or untyped series' value
};

class SeriesIndex {
 public:
  // `merged` points into families that must outlive the index.
  explicit SeriesIndex(const MergedFamilies& merged);

  // Every series of the family, in exposition order; none when the family is absent.
  std::vector<SeriesRef> All(std::string_view name) const;

  // The series of the family whose labels have these values (other labels may be there too).
  std::optional<SeriesRef> Find(std::string_view name,
                                const std::vector<std::pair<std::string_view, std::string_view>>& labels) const;

 private:
  std::unordered_map<std::string_view, const MergedFamily*> families_;
};

// A reading of the series, with `text` as its value written for people.
Reading MakeReading(const SeriesRef& ref, const std::string& text);

// A number with a fixed count of decimals, then the unit: Fixed(47, 1, " °C") is "47.0 °C". NaN and the
// infinities as the text format writes them.
std::string Fixed(double value, int decimals, std::string_view unit = "");

// Unix time as "2026-11-28 16:30:00 UTC".
std::string UtcTime(double unix_seconds);

}  // namespace hw_exporter

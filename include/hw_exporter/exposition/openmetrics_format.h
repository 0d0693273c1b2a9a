#pragma once

#include <string>
#include <string_view>

#include "hw_exporter/core/family_set.h"
#include "hw_exporter/exposition/merge.h"

namespace hw_exporter {

// Content-Type of OpenMetrics 1.0, the text format Prometheus asks for first.
inline constexpr std::string_view kOpenMetricsContentType =
    "application/openmetrics-text; version=1.0.0; charset=utf-8";

// Appends the families in OpenMetrics 1.0, then "# EOF". Every sample line is the one the text format 0.0.4
// writes, so that Prometheus stores the same series (name, labels, value) from either format:
// - a counter named with "_total" is declared without it, as OpenMetrics wants; a counter without the suffix
//   (some of node_exporter's), or whose shorter name another family of the exposition has, is declared "unknown"
//   under its full name instead, since a counter's samples must end in "_total";
// - untyped is "unknown"; HELP escapes the double quote too; timestamps are in seconds;
// - no "_created" samples (Prometheus 2.42 would store each as a series of its own) and no "# UNIT" lines.
// The families must be sorted by name, as MergeFamilies and MergeNormalized leave them.
void AppendOpenMetrics(std::string& out, const Families& families);
void AppendOpenMetrics(std::string& out, const MergedFamilies& families);

std::string SerializeOpenMetrics(const Families& families);

// The families without the closing "# EOF": the beginning of an exposition that AppendOpenMetrics ends. The
// families' names must not be declared by the rest of it (nor be the shorter name of one of its counters).
void AppendOpenMetricsHead(std::string& out, const MergedFamilies& families);

}  // namespace hw_exporter

#pragma once

#include <string>
#include <string_view>

#include "hw_exporter/core/family_set.h"
#include "hw_exporter/exposition/merge.h"

namespace hw_exporter {

// Content-Type of the Prometheus text exposition format, version 0.0.4.
inline constexpr std::string_view kTextContentType = "text/plain; version=0.0.4; charset=utf-8";

// Appends the families in text format 0.0.4, in the order given (pass them through MergeFamilies first).
// Samples carry a timestamp only when their timestamp_ms is non-zero.
void AppendText(std::string& out, const Families& families);
void AppendText(std::string& out, const MergedFamilies& families);

std::string SerializeText(const Families& families);

// One sample of a gauge, counter or untyped series as the text format writes it: `series` is the name and labels
// (`node_hwmon_temp_celsius{chip="...",sensor="temp1"}`), `value` the number. For pages that show a sample and
// name it, so that what they show can be found in /metrics byte for byte.
struct SampleText {
  std::string series;
  std::string value;
};
SampleText TextSample(const prometheus::MetricFamily& family, const prometheus::ClientMetric& series);

}  // namespace hw_exporter

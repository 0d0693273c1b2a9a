#include "sample_lines.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>

namespace hw_exporter::exposition_internal {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

namespace {

// One pass over the text: find_first_of with a set of characters costs a memchr per character of the text.
template <bool kEscapeQuote>
void AppendEscapedText(std::string& out, std::string_view text) {
  size_t start = 0;
  for (size_t at = 0; at < text.size(); ++at) {
    char c = text[at];
    if (c != '\\' && c != '\n' && (!kEscapeQuote || c != '"')) continue;
    out.append(text.data() + start, at - start);
    out.push_back('\\');
    out.push_back(c == '\n' ? 'n' : c);
    start = at + 1;
  }
  out.append(text.data() + start, text.size() - start);
}

}  // namespace

void AppendDouble(std::string& out, double value) {
  if (std::isnan(value)) {
    out.append("NaN");
  } else if (std::isinf(value)) {
    out.append(value > 0 ? "+Inf" : "-Inf");
  } else {
    char buffer[32];
    auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
  }
}

namespace {

template <typename Integer>
void AppendInteger(std::string& out, Integer value) {
  char buffer[24];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

void AppendValue(std::string& out, double value) { AppendDouble(out, value); }
void AppendValue(std::string& out, std::uint64_t value) { AppendInteger(out, value); }

// The label a summary or histogram adds to one of its lines (quantile="0.5", le="+Inf").
struct BoundLabel {
  std::string_view name;
  double value;
};

// Writes the lines of one series; the series' own labels are already sorted.
class SeriesWriter {
 public:
  SeriesWriter(std::string& out, const MetricFamily& family, const ClientMetric& metric, TimestampUnit unit)
      : out_(out), family_(family), metric_(metric), unit_(unit) {}

  template <typename Value>
  void Line(std::string_view suffix, Value value, const BoundLabel* bound = nullptr) {
    out_.append(family_.name);
    out_.append(suffix);
    AppendLabels(bound);
    out_.push_back(' ');
    AppendValue(out_, value);
    if (metric_.timestamp_ms != 0) {
      out_.push_back(' ');
      if (unit_ == TimestampUnit::kSeconds) {
        AppendDouble(out_, static_cast<double>(metric_.timestamp_ms) / 1000);
      } else {
        AppendInteger(out_, metric_.timestamp_ms);
      }
    }
    out_.push_back('\n');
  }

 private:
  void AppendLabels(const BoundLabel* bound) {
    if (metric_.label.empty() && !bound) return;
    char separator = '{';
    for (const auto& label : metric_.label) {
      out_.push_back(separator);
      out_.append(label.name);
      out_.append("=\"");
      AppendEscapedText<true>(out_, label.value);
      out_.push_back('"');
      separator = ',';
    }
    if (bound) {
      out_.push_back(separator);
      out_.append(bound->name);
      out_.append("=\"");
      AppendDouble(out_, bound->value);
      out_.push_back('"');
    }
    out_.push_back('}');
  }

  std::string& out_;
  const MetricFamily& family_;
  const ClientMetric& metric_;
  const TimestampUnit unit_;
};

void AppendSummary(SeriesWriter& writer, const ClientMetric::Summary& summary) {
  for (const auto& quantile : summary.quantile) {
    BoundLabel bound{"quantile", quantile.quantile};
    writer.Line("", quantile.value, &bound);
  }
  writer.Line("_sum", summary.sample_sum);
  writer.Line("_count", summary.sample_count);
}

// The +Inf bucket is mandatory; it holds every observation, so it is added from the count when missing.
void AppendHistogram(SeriesWriter& writer, const ClientMetric::Histogram& histogram) {
  for (const auto& bucket : histogram.bucket) {
    BoundLabel bound{"le", bucket.upper_bound};
    writer.Line("_bucket", bucket.cumulative_count, &bound);
  }
  if (histogram.bucket.empty() || !std::isinf(histogram.bucket.back().upper_bound)) {
    BoundLabel bound{"le", std::numeric_limits<double>::infinity()};
    writer.Line("_bucket", histogram.sample_count, &bound);
  }
  writer.Line("_sum", histogram.sample_sum);
  writer.Line("_count", histogram.sample_count);
}

}  // namespace

void AppendSeries(std::string& out, const MetricFamily& family, const ClientMetric& metric, TimestampUnit unit) {
  SeriesWriter writer(out, family, metric, unit);
  switch (family.type) {
    case MetricType::Counter: writer.Line("", metric.counter.value); break;
    case MetricType::Gauge: writer.Line("", metric.gauge.value); break;
    case MetricType::Untyped: writer.Line("", metric.untyped.value); break;
    case MetricType::Summary: AppendSummary(writer, metric.summary); break;
    case MetricType::Histogram: AppendHistogram(writer, metric.histogram); break;
  }
}

void AppendEscaped(std::string& out, std::string_view text, bool escape_quote) {
  if (escape_quote) {
    AppendEscapedText<true>(out, text);
  } else {
    AppendEscapedText<false>(out, text);
  }
}

}  // namespace hw_exporter::exposition_internal

#include "hw_exporter/exposition/text_format.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>

namespace hw_exporter {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

std::string_view TypeName(MetricType type) {
  switch (type) {
    case MetricType::Counter: return "counter";
    case MetricType::Gauge: return "gauge";
    case MetricType::Summary: return "summary";
    case MetricType::Histogram: return "histogram";
    case MetricType::Untyped: break;
  }
  return "untyped";
}

// HELP text escapes backslash and newline; label values also escape the double quote that ends them. One pass
// over the text: find_first_of with a set of characters costs a memchr per character of the text.
template <bool kEscapeQuote>
void AppendEscaped(std::string& out, std::string_view text) {
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

// The shortest text that parses back to the same double; the spellings of NaN and infinities the format uses.
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
  SeriesWriter(std::string& out, const MetricFamily& family, const ClientMetric& metric)
      : out_(out), family_(family), metric_(metric) {}

  template <typename Value>
  void Line(std::string_view suffix, Value value, const BoundLabel* bound = nullptr) {
    out_.append(family_.name);
    out_.append(suffix);
    AppendLabels(bound);
    out_.push_back(' ');
    AppendValue(out_, value);
    if (metric_.timestamp_ms != 0) {
      out_.push_back(' ');
      AppendInteger(out_, metric_.timestamp_ms);
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
      AppendEscaped<true>(out_, label.value);
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

void AppendSeries(std::string& out, const MetricFamily& family, const ClientMetric& metric) {
  SeriesWriter writer(out, family, metric);
  switch (family.type) {
    case MetricType::Counter: writer.Line("", metric.counter.value); break;
    case MetricType::Gauge: writer.Line("", metric.gauge.value); break;
    case MetricType::Untyped: writer.Line("", metric.untyped.value); break;
    case MetricType::Summary: AppendSummary(writer, metric.summary); break;
    case MetricType::Histogram: AppendHistogram(writer, metric.histogram); break;
  }
}

void AppendHeader(std::string& out, const MetricFamily& family) {
  if (!family.help.empty()) {
    out.append("# HELP ");
    out.append(family.name);
    out.push_back(' ');
    AppendEscaped<false>(out, family.help);
    out.push_back('\n');
  }
  out.append("# TYPE ");
  out.append(family.name);
  out.push_back(' ');
  out.append(TypeName(family.type));
  out.push_back('\n');
}

// The two shapes a family comes in: a MetricFamily that owns its series, or a MergedFamily that points at them.
const MetricFamily& FamilyOf(const MetricFamily& family) { return family; }
const MetricFamily& FamilyOf(const MergedFamily& merged) { return *merged.family; }
const std::vector<ClientMetric>& SeriesOf(const MetricFamily& family) { return family.metric; }
const std::vector<const ClientMetric*>& SeriesOf(const MergedFamily& merged) { return merged.series; }
const ClientMetric& AsSeries(const ClientMetric& metric) { return metric; }
const ClientMetric& AsSeries(const ClientMetric* metric) { return *metric; }

// A generous guess of the serialized size, so that the output grows at most once or twice.
template <typename FamilyList>
size_t EstimateSize(const FamilyList& families) {
  constexpr size_t kHeaderOverhead = 32;
  constexpr size_t kLineOverhead = 40;  // suffix, braces, value, newline
  constexpr size_t kLabelOverhead = 4;  // =, quotes, comma
  size_t size = 0;
  for (const auto& entry : families) {
    const MetricFamily& family = FamilyOf(entry);
    size += 2 * family.name.size() + family.help.size() + kHeaderOverhead;
    for (const auto& series : SeriesOf(entry)) {
      const ClientMetric& metric = AsSeries(series);
      size_t line = family.name.size() + kLineOverhead;
      for (const auto& label : metric.label) line += label.name.size() + label.value.size() + kLabelOverhead;
      size_t lines = 1 + metric.summary.quantile.size() + metric.histogram.bucket.size();
      if (family.type == MetricType::Summary || family.type == MetricType::Histogram) lines += 3;
      size += line * lines;
    }
  }
  return size;
}

template <typename FamilyList>
void AppendFamilies(std::string& out, const FamilyList& families) {
  out.reserve(out.size() + EstimateSize(families));
  for (const auto& entry : families) {
    const MetricFamily& family = FamilyOf(entry);
    AppendHeader(out, family);
    for (const auto& series : SeriesOf(entry)) AppendSeries(out, family, AsSeries(series));
  }
}

}  // namespace

void AppendText(std::string& out, const Families& families) { AppendFamilies(out, families); }

void AppendText(std::string& out, const MergedFamilies& families) { AppendFamilies(out, families); }

std::string SerializeText(const Families& families) {
  std::string out;
  AppendText(out, families);
  return out;
}

}  // namespace hw_exporter

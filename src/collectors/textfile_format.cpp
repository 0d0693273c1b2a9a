#include "textfile_format.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hw_exporter/core/parse_error.h"

namespace hw_exporter {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;
using LabelSet = std::vector<ClientMetric::Label>;

// The types a TYPE line may declare; the last three are OpenMetrics' alone.
enum class Kind { kCounter, kGauge, kHistogram, kSummary, kUntyped, kInfo, kStateset };

bool IsBlank(char c) { return c == ' ' || c == '\t'; }
bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsNameStart(char c, bool allow_colon) { return IsLetter(c) || c == '_' || (allow_colon && c == ':'); }
bool IsNameChar(char c, bool allow_colon) { return IsNameStart(c, allow_colon) || IsDigit(c); }

std::string Quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

// A float as Go's strconv.ParseFloat reads one, which the scrapers of this format use: digits, exponents, NaN and
// (signed) Inf in any case. Out-of-range values are refused, as Go does.
std::optional<double> ParseFloatValue(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::string_view digits = text;
  const bool plus = digits.front() == '+';
  if (plus) digits.remove_prefix(1);
  if (digits.empty() || digits.front() == '+' || (plus && digits.front() == '-')) return std::nullopt;
  double value = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

// A histogram's or summary's count: a non-negative whole number.
std::optional<std::uint64_t> ToCount(double value) {
  if (!(value >= 0) || value >= 18446744073709551616.0 || std::floor(value) != value) return std::nullopt;
  return static_cast<std::uint64_t>(value);
}

struct Series {
  bool has_value = false;  // a counter's, gauge's or untyped's value, or a stateset state
  bool has_sum = false;
  bool has_count = false;
};

// One family being read.
struct Entry {
  MetricFamily family;  // named as it is exposed
  Kind kind = Kind::kUntyped;
  bool typed = false;
  bool helped = false;
  bool sampled = false;
  std::map<LabelSet, size_t> index;  // series' labels (without le or quantile), sorted → position in family.metric
  std::vector<Series> series;        // parallel to family.metric
};

class Parser {
 public:
  Parser(std::string_view text, std::string_view source) : text_(text), source_(source) {}

  Families Run() {
    if (text_.empty()) return {};
    if (text_.back() != '\n') Fail(0, "no newline at the end: the file is incomplete (was it written in place?)");
    std::string_view body = text_.substr(0, text_.size() - 1);
    const size_t last_start = body.rfind('\n') == std::string_view::npos ? 0 : body.rfind('\n') + 1;
    openmetrics_ = StripCarriageReturn(body.substr(last_start)) == "# EOF";
    size_t start = 0;
    while (start < text_.size()) {
      const size_t end = text_.find('\n', start);
      ++line_number_;
      Line(StripCarriageReturn(text_.substr(start, end - start)), start == last_start);
      start = end + 1;
    }
    return Finish();
  }

 private:
  [[noreturn]] void Fail(std::string_view reason) const { Fail(line_number_, reason); }
  [[noreturn]] void Fail(size_t line, std::string_view reason) const { throw ParseError(source_, line, reason); }

  static std::string_view StripCarriageReturn(std::string_view line) {
    return !line.empty() && line.back() == '\r' ? line.substr(0, line.size() - 1) : line;
  }

  void Line(std::string_view line, bool last) {
    while (!line.empty() && IsBlank(line.front())) line.remove_prefix(1);
    if (line.empty()) return;
    if (line.front() != '#') return Sample(line);
    if (line == "# EOF") {
      if (!last) Fail("# EOF before the end of the file");
      return;
    }
    std::string_view rest = line.substr(1);
    SkipBlanks(rest);
    const std::string_view keyword = Token(rest);
    if (keyword != "HELP" && keyword != "TYPE" && keyword != "UNIT") return;  // a comment
    SkipBlanks(rest);
    const std::string name(ReadName(rest, true, "metric name"));
    if (!rest.empty() && !IsBlank(rest.front())) Fail("invalid character after the metric name " + Quoted(name));
    SkipBlanks(rest);
    if (keyword == "HELP") return Help(name, rest);
    if (keyword == "TYPE") return Type(name, rest);
    if (!openmetrics_) Fail("UNIT lines are OpenMetrics; the file does not end with # EOF");
  }

  void Help(const std::string& name, std::string_view text) {
    Entry& entry = Declared(name);
    if (entry.helped) Fail("a second HELP line for " + Quoted(name));
    entry.helped = true;
    std::string help;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] != '\\') {
        help.push_back(text[i]);
        continue;
      }
      if (++i == text.size()) Fail("a backslash at the end of the HELP text of " + Quoted(name));
      if (text[i] == '\\' || (openmetrics_ && text[i] == '"')) {
        help.push_back(text[i]);
      } else if (text[i] == 'n') {
        help.push_back('\n');
      } else {
        Fail("invalid escape sequence \"\\" + std::string(1, text[i]) + "\" in the HELP text of " + Quoted(name));
      }
    }
    entry.family.help = std::move(help);
  }

  void Type(const std::string& name, std::string_view text) {
    const std::string_view type = Token(text);
    SkipBlanks(text);
    if (!text.empty()) Fail("unexpected text after the type of " + Quoted(name));
    static const std::map<std::string_view, Kind> kTypes{
        {"counter", Kind::kCounter}, {"gauge", Kind::kGauge},      {"histogram", Kind::kHistogram},
        {"summary", Kind::kSummary}, {"untyped", Kind::kUntyped},  {"unknown", Kind::kUntyped},
        {"info", Kind::kInfo},       {"stateset", Kind::kStateset}};
    auto found = kTypes.find(type);
    const bool openmetrics_only = type == "unknown" || type == "info" || type == "stateset";
    if (type == "gaugehistogram") Fail("gaugehistogram is not supported (family " + Quoted(name) + ")");
    if (found == kTypes.end() || (openmetrics_only && !openmetrics_) || (openmetrics_ && type == "untyped"))
      Fail("unknown type " + Quoted(type) + " of " + Quoted(name));
    Entry& entry = Declared(name);
    if (entry.typed) Fail("a second TYPE line for " + Quoted(name));
    if (entry.sampled) Fail("the TYPE line of " + Quoted(name) + " comes after its samples");
    entry.typed = true;
    entry.kind = found->second;
    static const std::map<Kind, MetricType> kExposed{
        {Kind::kCounter, MetricType::Counter},     {Kind::kGauge, MetricType::Gauge},
        {Kind::kHistogram, MetricType::Histogram}, {Kind::kSummary, MetricType::Summary},
        {Kind::kUntyped, MetricType::Untyped},     {Kind::kInfo, MetricType::Gauge},
        {Kind::kStateset, MetricType::Gauge}};
    entry.family.type = kExposed.at(entry.kind);
    if (openmetrics_ && entry.kind == Kind::kCounter) Rename(entry, name + "_total");
    if (entry.kind == Kind::kInfo) Rename(entry, name + "_info");
  }

  // The entry that HELP, TYPE and UNIT lines of `name` describe, created when new.
  Entry& Declared(const std::string& name) {
    auto found = declared_.find(name);
    if (found != declared_.end()) return entries_[found->second];
    if (exposed_.contains(name)) Fail(Quoted(name) + " is already the name of another family of this file");
    entries_.emplace_back().family.name = name;
    declared_.emplace(name, entries_.size() - 1);
    exposed_.emplace(name, entries_.size() - 1);
    return entries_.back();
  }

  void Rename(Entry& entry, std::string exposed) {
    if (exposed_.contains(exposed)) Fail(Quoted(exposed) + " is already the name of another family of this file");
    exposed_.erase(entry.family.name);
    exposed_.emplace(exposed, static_cast<size_t>(&entry - entries_.data()));
    entry.family.name = std::move(exposed);
  }

  // The family a sample name belongs to and what the sample is in it.
  enum class Part { kValue, kBucket, kSum, kCount, kCreated };
  struct Target {
    Entry* entry;
    Part part;
  };

  Target Resolve(std::string_view name) {
    auto declared = [&](std::string_view base, std::initializer_list<Kind> kinds) -> Entry* {
      auto found = declared_.find(base);
      if (found == declared_.end()) return nullptr;
      Entry& entry = entries_[found->second];
      return std::find(kinds.begin(), kinds.end(), entry.kind) != kinds.end() && entry.typed ? &entry : nullptr;
    };
    auto suffixed = [&](std::string_view suffix, std::initializer_list<Kind> kinds) -> Entry* {
      if (!name.ends_with(suffix) || name.size() == suffix.size()) return nullptr;
      return declared(name.substr(0, name.size() - suffix.size()), kinds);
    };
    if (openmetrics_) {
      if (Entry* entry = suffixed("_total", {Kind::kCounter})) return {entry, Part::kValue};
      if (Entry* entry = suffixed("_info", {Kind::kInfo})) return {entry, Part::kValue};
      if (Entry* entry = suffixed("_created", {Kind::kCounter, Kind::kHistogram, Kind::kSummary}))
        return {entry, Part::kCreated};
    }
    if (Entry* entry = suffixed("_bucket", {Kind::kHistogram})) return {entry, Part::kBucket};
    if (Entry* entry = suffixed("_sum", {Kind::kHistogram, Kind::kSummary})) return {entry, Part::kSum};
    if (Entry* entry = suffixed("_count", {Kind::kHistogram, Kind::kSummary})) return {entry, Part::kCount};
    auto found = declared_.find(name);
    if (found != declared_.end()) {
      Entry& entry = entries_[found->second];
      if (entry.kind == Kind::kHistogram ||
          (openmetrics_ && entry.kind != Kind::kGauge && entry.kind != Kind::kUntyped &&
           entry.kind != Kind::kStateset && entry.kind != Kind::kSummary)) {
        Fail("a sample named " + Quoted(name) + " does not belong to the family " + Quoted(name) + " of its type");
      }
      return {&entry, Part::kValue};
    }
    return {&Declared(std::string(name)), Part::kValue};
  }

  void Sample(std::string_view line) {
    const std::string_view name = ReadName(line, true, "metric name");
    LabelSet labels;
    std::string_view after_name = line;
    SkipBlanks(after_name);
    if (!after_name.empty() && after_name.front() == '{') {
      line = after_name;
      labels = ReadLabels(line);
    }
    if (line.empty() || !IsBlank(line.front())) Fail("expected a blank and a value after " + Quoted(name));
    SkipBlanks(line);
    const std::string_view value_text = Token(line);
    const std::optional<double> value = ParseFloatValue(value_text);
    if (!value) Fail("expected a value, got " + Quoted(value_text));
    SkipBlanks(line);
    if (!line.empty() && !(openmetrics_ && line.front() == '#')) {
      Fail("a timestamp on a sample of " + Quoted(name) +
           ": samples with timestamps are refused, as node_exporter does (the scrape gives the time)");
    }
    // Whatever follows " # " in OpenMetrics is an exemplar, which the text format has no place for.

    Target target = Resolve(name);
    Entry& entry = *target.entry;
    entry.sampled = true;
    if (target.part == Part::kCreated) return;

    std::optional<double> bound;
    const char* bound_label = target.part == Part::kBucket                                  ? "le"
                              : entry.kind == Kind::kSummary && target.part == Part::kValue ? "quantile"
                                                                                            : nullptr;
    if (bound_label) bound = TakeBound(labels, bound_label, name);
    if (entry.kind == Kind::kStateset) {
      auto state = std::find_if(labels.begin(), labels.end(), [&](const auto& l) { return l.name == name; });
      if (state == labels.end()) Fail("a stateset sample without its state label " + Quoted(name));
      if (*value != 0 && *value != 1) Fail("a stateset state of " + Quoted(name) + " is neither 0 nor 1");
    }
    std::sort(labels.begin(), labels.end());

    auto [position, added] = entry.index.try_emplace(labels, entry.family.metric.size());
    if (added) {
      entry.family.metric.emplace_back().label = labels;
      entry.series.emplace_back();
    }
    ClientMetric& metric = entry.family.metric[position->second];
    Series& series = entry.series[position->second];
    auto once = [&](bool& seen) {
      if (seen) Fail("the series " + Quoted(name) + Describe(labels) + " is given twice");
      seen = true;
    };
    switch (target.part) {
      case Part::kValue:
        if (entry.kind == Kind::kSummary) {
          metric.summary.quantile.push_back({*bound, *value});
          break;
        }
        once(series.has_value);
        if (entry.kind == Kind::kInfo && *value != 1) Fail("an info sample of " + Quoted(name) + " is not 1");
        if (entry.family.type == MetricType::Counter) metric.counter.value = *value;
        if (entry.family.type == MetricType::Gauge) metric.gauge.value = *value;
        if (entry.family.type == MetricType::Untyped) metric.untyped.value = *value;
        break;
      case Part::kBucket: metric.histogram.bucket.push_back({Count(*value, name), *bound}); break;
      case Part::kSum:
        once(series.has_sum);
        (entry.kind == Kind::kSummary ? metric.summary.sample_sum : metric.histogram.sample_sum) = *value;
        break;
      case Part::kCount:
        once(series.has_count);
        (entry.kind == Kind::kSummary ? metric.summary.sample_count : metric.histogram.sample_count) = Count(*value,
                                                                                                             name);
        break;
      case Part::kCreated: break;
    }
  }

  std::uint64_t Count(double value, std::string_view name) const {
    std::optional<std::uint64_t> count = ToCount(value);
    if (!count) Fail("the count " + Quoted(name) + " is not a non-negative whole number");
    return *count;
  }

  // Removes the le or quantile label from the series' labels and returns its value.
  double TakeBound(LabelSet& labels, std::string_view label, std::string_view name) const {
    auto found = std::find_if(labels.begin(), labels.end(), [&](const auto& l) { return l.name == label; });
    if (found == labels.end()) Fail("a sample of " + Quoted(name) + " without its " + std::string(label) + " label");
    const std::optional<double> bound = ParseFloatValue(found->value);
    if (!bound || std::isnan(*bound)) Fail("the " + std::string(label) + " label of " + Quoted(name) + " is no number");
    labels.erase(found);
    return *bound;
  }

  static std::string Describe(const LabelSet& labels) {
    std::string text = "{";
    for (const auto& label : labels) text += (text.size() > 1 ? "," : "") + label.name + "=" + Quoted(label.value);
    return text + "}";
  }

  // name: [a-zA-Z_:][a-zA-Z0-9_:]* (no colon for labels); "__" starts names Prometheus reserves for itself.
  std::string_view ReadName(std::string_view& line, bool allow_colon, std::string_view what) const {
    size_t length = 0;
    if (line.empty() || !IsNameStart(line.front(), allow_colon)) Fail("expected a " + std::string(what));
    while (length < line.size() && IsNameChar(line[length], allow_colon)) ++length;
    const std::string_view name = line.substr(0, length);
    if (name.starts_with("__")) Fail("the " + std::string(what) + " " + Quoted(name) + " is reserved");
    line.remove_prefix(length);
    return name;
  }

  LabelSet ReadLabels(std::string_view& line) const {
    LabelSet labels;
    line.remove_prefix(1);  // '{'
    for (;;) {
      SkipBlanks(line);
      if (!line.empty() && line.front() == '}') break;
      ClientMetric::Label label;
      label.name = ReadName(line, false, "label name");
      if (std::any_of(labels.begin(), labels.end(), [&](const auto& l) { return l.name == label.name; }))
        Fail("the label " + Quoted(label.name) + " is given twice");
      SkipBlanks(line);
      if (line.empty() || line.front() != '=') Fail("expected '=' after the label name " + Quoted(label.name));
      line.remove_prefix(1);
      SkipBlanks(line);
      if (line.empty() || line.front() != '"') Fail("expected a quoted value of the label " + Quoted(label.name));
      line.remove_prefix(1);
      label.value = ReadLabelValue(line, label.name);
      labels.push_back(std::move(label));
      SkipBlanks(line);
      if (!line.empty() && line.front() == ',') {
        line.remove_prefix(1);
        continue;
      }
      if (line.empty() || line.front() != '}')
        Fail("expected ',' or '}' after the label " + Quoted(labels.back().name));
      break;
    }
    line.remove_prefix(1);  // '}'
    return labels;
  }

  std::string ReadLabelValue(std::string_view& line, const std::string& label) const {
    std::string value;
    for (size_t i = 0; i < line.size(); ++i) {
      const char c = line[i];
      if (c == '"') {
        line.remove_prefix(i + 1);
        return value;
      }
      if (c != '\\') {
        value.push_back(c);
        continue;
      }
      if (++i == line.size()) break;
      if (line[i] == '\\' || line[i] == '"') {
        value.push_back(line[i]);
      } else if (line[i] == 'n') {
        value.push_back('\n');
      } else {
        Fail("invalid escape sequence \"\\" + std::string(1, line[i]) + "\" in the value of the label " +
             Quoted(label));
      }
    }
    Fail("the value of the label " + Quoted(label) + " has no closing quote");
  }

  static void SkipBlanks(std::string_view& line) {
    while (!line.empty() && IsBlank(line.front())) line.remove_prefix(1);
  }

  // Up to the next blank.
  static std::string_view Token(std::string_view& line) {
    size_t length = 0;
    while (length < line.size() && !IsBlank(line[length])) ++length;
    const std::string_view token = line.substr(0, length);
    line.remove_prefix(length);
    return token;
  }

  Families Finish() {
    line_number_ = 0;
    Families families;
    for (Entry& entry : entries_) {
      for (ClientMetric& metric : entry.family.metric) {
        auto& buckets = metric.histogram.bucket;
        std::sort(buckets.begin(), buckets.end(),
                  [](const auto& left, const auto& right) { return left.upper_bound < right.upper_bound; });
        for (size_t i = 1; i < buckets.size(); ++i) {
          if (buckets[i].upper_bound == buckets[i - 1].upper_bound)
            Fail("a bucket of the histogram " + Quoted(entry.family.name) + Describe(metric.label) + " is given twice");
        }
        // The +Inf bucket counts every observation: it stands for a missing _count.
        if (!entry.series[&metric - entry.family.metric.data()].has_count && !buckets.empty() &&
            std::isinf(buckets.back().upper_bound))
          metric.histogram.sample_count = buckets.back().cumulative_count;
        auto& quantiles = metric.summary.quantile;
        std::sort(quantiles.begin(), quantiles.end(),
                  [](const auto& left, const auto& right) { return left.quantile < right.quantile; });
        for (size_t i = 1; i < quantiles.size(); ++i) {
          if (quantiles[i].quantile == quantiles[i - 1].quantile)
            Fail("a quantile of the summary " + Quoted(entry.family.name) + Describe(metric.label) + " is given twice");
        }
      }
      if (!entry.family.metric.empty()) families.push_back(std::move(entry.family));
    }
    return families;
  }

  std::string_view text_;
  std::string_view source_;
  bool openmetrics_ = false;
  size_t line_number_ = 0;
  std::vector<Entry> entries_;
  std::map<std::string, size_t, std::less<>> declared_;  // the names HELP and TYPE lines use → entries_
  std::map<std::string, size_t, std::less<>> exposed_;   // the families' exposed names → entries_
};

}  // namespace

Families ParseTextfile(std::string_view text, std::string_view source) { return Parser(text, source).Run(); }

}  // namespace hw_exporter

#include "hw_exporter/http/negotiation.h"

#include <algorithm>
#include <initializer_list>
#include <string>

#include "hw_exporter/core/strings.h"
#include "hw_exporter/http/http_error.h"

namespace hw_exporter {

namespace {

// RFC 9110 qvalue: "0" or "1" with up to three decimals, 0 to 1.
std::optional<double> ParseQValue(std::string_view text) {
  if (text.empty() || text.size() > 5 || (text[0] != '0' && text[0] != '1')) return std::nullopt;
  if (text.size() > 1 && text[1] != '.') return std::nullopt;
  for (size_t i = 2; i < text.size(); ++i)
    if (text[i] < '0' || text[i] > '9' || (text[0] == '1' && text[i] != '0')) return std::nullopt;
  return ParseDouble(text.size() == 2 ? text.substr(0, 1) : text);
}

// The q-value of one list element ("gzip;q=0.5" → 0.5; no q parameter → 1).
double QValueOf(std::string_view element, std::string_view coding) {
  auto parameters = Split(element, ';');
  for (size_t i = 1; i < parameters.size(); ++i) {
    std::string_view parameter = Trim(parameters[i]);
    if (ToLower(parameter.substr(0, 2)) != "q=") continue;
    auto q = ParseQValue(Trim(parameter.substr(2)));
    if (!q)
      throw HttpError(400, "Accept-Encoding: invalid q-value \"" + std::string(parameter.substr(2)) + "\" for " +
                               std::string(coding) + " (expected a number from 0 to 1 with at most 3 decimals)");
    return *q;
  }
  return 1;
}

// How well one of the formats is matched: the q-value of the most specific range naming it (-1: none does).
struct Match {
  int specificity = -1;
  double q = 0;

  void Consider(int range_specificity, double range_q) {
    if (range_specificity > specificity) {
      specificity = range_specificity;
      q = range_q;
    } else if (range_specificity == specificity) {
      q = std::max(q, range_q);
    }
  }
  bool acceptable() const { return specificity >= 0 && q > 0; }
};

// One element of an Accept header: its media range, lower-cased, and the parameters the formats care about.
struct MediaRange {
  std::string type;
  std::string subtype;
  std::optional<std::string> version;
  double q = 1;
};

std::optional<MediaRange> ParseMediaRange(std::string_view element) {
  auto parameters = Split(element, ';');
  const std::string media = ToLower(Trim(parameters[0]));
  const size_t slash = media.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == media.size()) return std::nullopt;
  MediaRange range{media.substr(0, slash), media.substr(slash + 1), std::nullopt, 1};
  for (size_t i = 1; i < parameters.size(); ++i) {
    std::string_view parameter = Trim(parameters[i]);
    const size_t equals = parameter.find('=');
    if (equals == std::string_view::npos) continue;
    const std::string name = ToLower(Trim(parameter.substr(0, equals)));
    std::string_view value = Trim(parameter.substr(equals + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    if (name == "q") {
      auto q = ParseQValue(value);
      if (!q) return std::nullopt;
      range.q = *q;
    } else if (name == "version") {
      range.version = std::string(value);
    }
  }
  return range;
}

// The specificity with which `range` names a format of that type, subtype and versions, or -1.
int Specificity(const MediaRange& range, std::string_view type, std::string_view subtype,
                std::initializer_list<std::string_view> versions) {
  if (range.type == "*") return range.subtype == "*" ? 0 : -1;
  if (range.type != type) return -1;
  if (range.subtype == "*") return 1;
  if (range.subtype != subtype) return -1;
  if (!range.version) return 2;
  return std::find(versions.begin(), versions.end(), *range.version) != versions.end() ? 3 : -1;
}

}  // namespace

Format NegotiateFormat(std::optional<std::string_view> accept, bool openmetrics_allowed) {
  if (!accept) return Format::kText;
  Match text, openmetrics;
  for (std::string_view element : Split(*accept, ',')) {
    if (Trim(element).empty()) continue;
    auto range = ParseMediaRange(element);
    if (!range) continue;
    if (int specificity = Specificity(*range, "text", "plain", {"0.0.4"}); specificity >= 0)
      text.Consider(specificity, range->q);
    if (!openmetrics_allowed) continue;
    if (int specificity = Specificity(*range, "application", "openmetrics-text", {"1.0.0", "0.0.1"}); specificity >= 0)
      openmetrics.Consider(specificity, range->q);
  }
  if (text.specificity < 0 && openmetrics.specificity < 0) return Format::kText;  // only other types named
  if (!text.acceptable() && !openmetrics.acceptable())
    throw HttpError(406, openmetrics_allowed ? "Accept refuses every format this server has (OpenMetrics 1.0.0, "
                                               "text 0.0.4)"
                                             : "Accept refuses the text format 0.0.4, the only one served here");
  if (!openmetrics.acceptable()) return Format::kText;
  if (!text.acceptable()) return Format::kOpenMetrics;
  if (openmetrics.q != text.q) return openmetrics.q > text.q ? Format::kOpenMetrics : Format::kText;
  return openmetrics.specificity > text.specificity ? Format::kOpenMetrics : Format::kText;
}

ContentEncoding NegotiateEncoding(std::optional<std::string_view> accept_encoding) {
  if (!accept_encoding) return ContentEncoding::kIdentity;
  std::optional<double> gzip, identity, any;
  for (std::string_view element : Split(*accept_encoding, ',')) {
    std::string coding = ToLower(Trim(element.substr(0, element.find(';'))));
    if (coding.empty()) continue;  // empty list elements are allowed
    double q = QValueOf(element, coding);
    if (coding == "gzip" || coding == "x-gzip") gzip = q;
    else if (coding == "identity") identity = q;
    else if (coding == "*") any = q;
  }
  double gzip_q = gzip.value_or(any.value_or(0));
  // Identity is acceptable unless refused, but only an explicit entry (or *) gives it a weight against gzip.
  std::optional<double> identity_weight = identity ? identity : any;
  double identity_q = identity_weight.value_or(1);
  if (gzip_q > 0 && (!identity_weight || gzip_q >= identity_q)) return ContentEncoding::kGzip;
  if (identity_q > 0) return ContentEncoding::kIdentity;
  throw HttpError(406, "Accept-Encoding refuses every encoding this server has (gzip, identity)");
}

}  // namespace hw_exporter

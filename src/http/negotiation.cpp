#include "hw_exporter/http/negotiation.h"

#include <algorithm>
#include <initializer_list>
#include <string>

#include "hw_exporter/core/strings.h"
#include "hw_exporter/http/http_error.h"

namespace hw_exporter {

namespace {

// Both headers are read on every scrape, so nothing here allocates unless it throws: pieces are views into the
// header and names are compared ignoring case.

// RFC 9110 qvalue: "0" or "1" with up to three decimals, 0 to 1. Read digit by digit: libstdc++'s from_chars for
// a double switches locales, which cost more than the rest of a cached scrape.
std::optional<double> ParseQValue(std::string_view text) {
  if (text.empty() || text.size() > 5 || (text[0] != '0' && text[0] != '1')) return std::nullopt;
  if (text.size() > 1 && text[1] != '.') return std::nullopt;
  int thousandths = (text[0] - '0') * 1000;
  int place = 100;
  for (size_t i = 2; i < text.size(); ++i, place /= 10) {
    if (text[i] < '0' || text[i] > '9' || (text[0] == '1' && text[i] != '0')) return std::nullopt;
    thousandths += (text[i] - '0') * place;
  }
  return thousandths / 1000.0;
}

// One element of a list header ("gzip;q=0.5", "text/plain;version=0.0.4;q=0.5"): the value before the first ';',
// trimmed, and the q and version parameters. `q` is nullopt when the element gives a q that is not a qvalue.
struct ListElement {
  std::string_view value;
  std::string_view q_text;
  std::optional<double> q = 1;
  std::optional<std::string_view> version;
};

ListElement ParseListElement(std::string_view element) {
  ListElement parsed;
  bool first = true;
  ForEachPiece(element, ';', [&](std::string_view piece) {
    piece = Trim(piece);
    if (first) {
      parsed.value = piece;
      first = false;
      return;
    }
    const size_t equals = piece.find('=');
    if (equals == std::string_view::npos) return;
    const std::string_view name = Trim(piece.substr(0, equals));
    std::string_view value = Trim(piece.substr(equals + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    if (EqualsIgnoringCase(name, "q")) {
      parsed.q_text = value;
      parsed.q = ParseQValue(value);
    } else if (EqualsIgnoringCase(name, "version")) {
      parsed.version = value;
    }
  });
  return parsed;
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

// The specificity with which a media range ("type/subtype" and its version) names a format of that type,
// subtype and versions: 3 with a version it has, 2 without a version, 1 for type/*, 0 for */*; -1 otherwise.
int Specificity(std::string_view range, std::optional<std::string_view> range_version, std::string_view type,
                std::string_view subtype, std::initializer_list<std::string_view> versions) {
  const size_t slash = range.find('/');
  const std::string_view range_type = range.substr(0, slash), range_subtype = range.substr(slash + 1);
  if (range_type == "*") return range_subtype == "*" ? 0 : -1;
  if (!EqualsIgnoringCase(range_type, type)) return -1;
  if (range_subtype == "*") return 1;
  if (!EqualsIgnoringCase(range_subtype, subtype)) return -1;
  if (!range_version) return 2;
  return std::find(versions.begin(), versions.end(), *range_version) != versions.end() ? 3 : -1;
}

}  // namespace

Format NegotiateFormat(std::optional<std::string_view> accept, bool openmetrics_allowed) {
  if (!accept) return Format::kText;
  Match text, openmetrics;
  ForEachPiece(*accept, ',', [&](std::string_view element) {
    const ListElement range = ParseListElement(element);
    const size_t slash = range.value.find('/');
    // Skipped: an empty element, a range without a type or subtype, a malformed q-value.
    if (slash == std::string_view::npos || slash == 0 || slash + 1 == range.value.size() || !range.q) return;
    if (int specificity = Specificity(range.value, range.version, "text", "plain", {"0.0.4"}); specificity >= 0)
      text.Consider(specificity, *range.q);
    if (!openmetrics_allowed) return;
    int specificity = Specificity(range.value, range.version, "application", "openmetrics-text", {"1.0.0", "0.0.1"});
    if (specificity >= 0) openmetrics.Consider(specificity, *range.q);
  });
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
  ForEachPiece(*accept_encoding, ',', [&](std::string_view element) {
    const ListElement coding = ParseListElement(element);
    if (coding.value.empty()) return;  // empty list elements are allowed
    if (!coding.q)
      throw HttpError(400, "Accept-Encoding: invalid q-value \"" + std::string(coding.q_text) + "\" for " +
                               std::string(coding.value) + " (expected a number from 0 to 1 with at most 3 decimals)");
    if (EqualsIgnoringCase(coding.value, "gzip") || EqualsIgnoringCase(coding.value, "x-gzip")) gzip = coding.q;
    else if (EqualsIgnoringCase(coding.value, "identity")) identity = coding.q;
    else if (coding.value == "*") any = coding.q;
  });
  double gzip_q = gzip.value_or(any.value_or(0));
  // Identity is acceptable unless refused, but only an explicit entry (or *) gives it a weight against gzip.
  std::optional<double> identity_weight = identity ? identity : any;
  double identity_q = identity_weight.value_or(1);
  if (gzip_q > 0 && (!identity_weight || gzip_q >= identity_q)) return ContentEncoding::kGzip;
  if (identity_q > 0) return ContentEncoding::kIdentity;
  throw HttpError(406, "Accept-Encoding refuses every encoding this server has (gzip, identity)");
}

}  // namespace hw_exporter

#include "hw_exporter/http/negotiation.h"

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

}  // namespace

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

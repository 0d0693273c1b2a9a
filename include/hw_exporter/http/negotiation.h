#pragma once

#include <optional>
#include <string_view>

#include "hw_exporter/exposition/render.h"

namespace hw_exporter {

// Chooses the response's encoding from an Accept-Encoding header (RFC 9110 §12.5.3): gzip when the client gives
// gzip (or x-gzip, or * without a gzip entry) a non-zero q-value, unless identity (or *) is listed with a higher
// one; identity otherwise; no header means identity. Throws HttpError 400 for a malformed q-value and 406 when the
// client refuses both.
ContentEncoding NegotiateEncoding(std::optional<std::string_view> accept_encoding);

// Chooses the exposition format from an Accept header (RFC 9110 §12.5.1), as Prometheus' own servers do:
// OpenMetrics for application/openmetrics-text (version 1.0.0 or 0.0.1, or none), the text format for text/plain
// (version 0.0.4, or none); each format takes the q-value of the most specific range that matches it (a type
// with its version, the type, type/*, */*), and the higher q wins; on a tie, the more specific match, then the
// text format. No header, or one that names neither format nor a wildcard, gets the text format; a range that
// is malformed (no slash, a bad q-value) is skipped. Without `openmetrics_allowed` only the text format is
// offered. Throws HttpError 406 when the header refuses (q=0) every format offered.
Format NegotiateFormat(std::optional<std::string_view> accept, bool openmetrics_allowed);

}  // namespace hw_exporter

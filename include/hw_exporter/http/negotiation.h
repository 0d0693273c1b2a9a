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

}  // namespace hw_exporter

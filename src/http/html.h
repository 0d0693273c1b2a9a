#pragma once

// What the HTML pages share: text from the host (sysfs names, probe output, label values) is escaped wherever it
// goes, so that a hostile name shows as text and never becomes markup.

#include <string>
#include <string_view>

namespace hw_exporter {

// `text` with &, <, >, " and ' as character references: safe in element content and in quoted attributes.
void AppendHtmlEscaped(std::string& out, std::string_view text);
std::string HtmlEscaped(std::string_view text);

}  // namespace hw_exporter

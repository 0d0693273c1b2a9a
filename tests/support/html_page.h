#pragma once

// Reading the HTML pages the exporter writes, for tests: the values a page shows and its summary, found by the
// markup the page documents (README.md, /hardware), text unescaped.

#include <string>
#include <vector>

namespace hw_exporter::testing {

// &amp; &lt; &gt; &quot; &#39; back to their characters.
std::string HtmlUnescaped(const std::string& text);

// The other way: & < > " ' as the pages write them.
std::string EscapedAsHtml(const std::string& text);

// A <data value="..." title="...">text</data> element: the sample's value and series, and what people read.
struct ShownValue {
  std::string value;
  std::string series;
  std::string text;
};
std::vector<ShownValue> ShownValues(const std::string& html);

// An element of the given tag with a data-severity attribute (the summary's <li>, a section's <tr>): the
// severity and the element's markup inside it, as written.
struct JudgedItem {
  std::string severity;
  std::string markup;
};
std::vector<JudgedItem> JudgedItems(const std::string& html, const std::string& tag);

// The part of the page inside <section id="...">...</section>; empty when there is none.
std::string SectionOf(const std::string& html, const std::string& id);

}  // namespace hw_exporter::testing

#include "support/html_page.h"

#include <regex>
#include <utility>

namespace hw_exporter::testing {

std::string HtmlUnescaped(const std::string& text) {
  static const std::pair<const char*, char> kReferences[] = {
      {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}, {"&amp;", '&'}};
  std::string out;
  for (size_t at = 0; at < text.size();) {
    bool replaced = false;
    for (const auto& [reference, character] : kReferences) {
      if (text.compare(at, std::char_traits<char>::length(reference), reference) == 0) {
        out.push_back(character);
        at += std::char_traits<char>::length(reference);
        replaced = true;
        break;
      }
    }
    if (!replaced) out.push_back(text[at++]);
  }
  return out;
}

std::string EscapedAsHtml(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::vector<ShownValue> ShownValues(const std::string& html) {
  static const std::regex kData(R"re(<data value="([^"]*)" title="([^"]*)">([^<]*)</data>)re");
  std::vector<ShownValue> values;
  for (std::sregex_iterator it(html.begin(), html.end(), kData), end; it != end; ++it)
    values.push_back({HtmlUnescaped((*it)[1]), HtmlUnescaped((*it)[2]), HtmlUnescaped((*it)[3])});
  return values;
}

std::vector<JudgedItem> JudgedItems(const std::string& html, const std::string& tag) {
  const std::regex item("<" + tag + R"re( [^>]*data-severity="(\w+)"[^>]*>([\s\S]*?)</)re" + tag + ">");
  std::vector<JudgedItem> items;
  for (std::sregex_iterator it(html.begin(), html.end(), item), end; it != end; ++it)
    items.push_back({(*it)[1], (*it)[2]});
  return items;
}

std::string SectionOf(const std::string& html, const std::string& id) {
  const std::string open = "<section id=\"" + id + "\">";
  const size_t start = html.find(open);
  if (start == std::string::npos) return "";
  const size_t end = html.find("</section>", start);
  return html.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace hw_exporter::testing

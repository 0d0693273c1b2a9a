#include "hw_exporter/http/scrape_query.h"

#include <algorithm>
#include <set>

#include "hw_exporter/collectors/collector_table.h"
#include "hw_exporter/core/strings.h"
#include "hw_exporter/http/http_error.h"
#include "hw_exporter/http/percent_decoding.h"

namespace hw_exporter {

namespace {

void CheckCollector(const std::string& name, const std::vector<std::string>& enabled) {
  if (std::binary_search(enabled.begin(), enabled.end(), name)) return;
  if (FindCollector(name)) throw HttpError(400, "collector " + QuotedForClient(name) + " is not enabled");
  throw HttpError(400, "unknown collector " + QuotedForClient(name));
}

}  // namespace

ScrapeQuery ParseScrapeQuery(std::string_view raw_query, const std::vector<std::string>& enabled) {
  std::set<std::string> collect, exclude;
  for (std::string_view pair : Split(raw_query, '&')) {
    if (pair.empty()) continue;
    size_t equals = pair.find('=');
    std::string name = PercentDecode(pair.substr(0, equals));
    if (name != "collect[]" && name != "exclude[]")
      throw HttpError(400, "unknown query parameter " + QuotedForClient(name) +
                               ": only collect[] and exclude[] are recognised");
    std::string value = equals == std::string_view::npos ? "" : PercentDecode(pair.substr(equals + 1));
    if (value.empty()) throw HttpError(400, name + " needs a collector name");
    CheckCollector(value, enabled);
    (name == "collect[]" ? collect : exclude).insert(value);
  }
  if (!collect.empty() && !exclude.empty()) throw HttpError(400, "collect[] and exclude[] cannot be combined");

  ScrapeQuery query;
  query.collect.assign(collect.begin(), collect.end());
  query.exclude.assign(exclude.begin(), exclude.end());
  std::string_view prefix = collect.empty() ? "exclude[]=" : "collect[]=";
  for (const auto& name : collect.empty() ? exclude : collect) {
    if (!query.canonical.empty()) query.canonical += '&';
    query.canonical += prefix;
    query.canonical += name;
  }
  return query;
}

std::vector<std::string> ScrapeQuery::Selected(const std::vector<std::string>& enabled) const {
  if (!collect.empty()) return collect;
  std::vector<std::string> selected;
  std::copy_if(enabled.begin(), enabled.end(), std::back_inserter(selected),
               [&](const std::string& name) { return Selects(name); });
  return selected;
}

bool ScrapeQuery::Selects(std::string_view collector) const {
  auto named = [collector](const std::vector<std::string>& names) {
    return std::binary_search(names.begin(), names.end(), collector, std::less<>());
  };
  return collect.empty() ? !named(exclude) : named(collect);
}

}  // namespace hw_exporter

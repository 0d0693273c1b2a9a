#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hw_exporter {

// A /metrics query reduced to what it means: which collectors to include.
struct ScrapeQuery {
  std::vector<std::string> collect;  // named by collect[]: sorted, unique
  std::vector<std::string> exclude;  // named by exclude[]: sorted, unique
  std::string canonical;             // "", "collect[]=a&collect[]=b" or "exclude[]=..." (decoded, sorted, unique)

  // The collectors the scrape selects out of the enabled ones (sorted), every one when none is named. Only a
  // render needs them: a cache hit is keyed by `canonical` alone.
  std::vector<std::string> Selected(const std::vector<std::string>& enabled) const;
  // Whether the scrape reads the enabled collector of that name.
  bool Selects(std::string_view collector) const;
};

// Parses the raw query string of a scrape. Only collect[] and exclude[] are recognised (node_exporter's
// filters); names are percent-decoded and must be enabled collectors. Anything else — an unknown parameter, an
// unknown or disabled collector, both filters at once, bad percent-encoding — throws HttpError 400, so that no
// cache key is ever made of an arbitrary query. `enabled` is the sorted list of enabled collectors.
ScrapeQuery ParseScrapeQuery(std::string_view raw_query, const std::vector<std::string>& enabled);

}  // namespace hw_exporter

#pragma once

#include <optional>
#include <regex>
#include <string_view>

#include "hw_exporter/collectors/collector.h"
#include "remembered_search.h"

namespace hw_exporter {

// Decides which names (devices, mount points, filesystem types) a collector skips, with node_exporter's
// semantics: a name is skipped when the exclude pattern matches anywhere in it, or when there is an include
// pattern and it matches nowhere in it. Each name's answer is remembered (RememberedSearch).
class NameFilter {
 public:
  NameFilter() = default;
  NameFilter(std::optional<std::regex> exclude, std::optional<std::regex> include)
      : exclude_(Remembered(std::move(exclude))), include_(Remembered(std::move(include))) {}

  bool Ignored(std::string_view name) const;

 private:
  std::optional<RememberedSearch> exclude_;
  std::optional<RememberedSearch> include_;
};

// The filter of a collector's "device-exclude" and "device-include" options. The two are mutually exclusive; since
// an unset option arrives with its default, an exclude pattern still at the table's default gives way to an include
// pattern, and any other combination of both is a CollectorOptionError naming "device-include".
NameFilter DeviceFilterFromOptions(const CollectorContext& context, std::string_view collector_name);

}  // namespace hw_exporter

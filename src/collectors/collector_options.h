#pragma once

// Typed reads of a collector's string options, for factories. A bad value throws CollectorOptionError naming
// the option, so the config layer can point at it.

#include <cstdint>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "hw_exporter/collectors/collector.h"
#include "hw_exporter/core/duration.h"

namespace hw_exporter {

// "true" or "false".
bool BoolOption(const CollectorContext& context, const std::string& name);

// An ECMAScript regular expression; an empty value means "not set".
std::optional<std::regex> RegexOption(const CollectorContext& context, const std::string& name);

// A positive duration in Prometheus syntax ("30s", "1h").
Duration PositiveDurationOption(const CollectorContext& context, const std::string& name);

// The values of a repeatable option, in the order given; empty values are left out.
std::vector<std::string> ListOption(const CollectorContext& context, const std::string& name);

// A size in bytes, at least 1: an integer, or one with a KiB, MiB or GiB suffix ("1MiB").
std::uint64_t ByteSizeOption(const CollectorContext& context, const std::string& name);

// A decimal integer of at least 1.
std::uint64_t PositiveCountOption(const CollectorContext& context, const std::string& name);

}  // namespace hw_exporter

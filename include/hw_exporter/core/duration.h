#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace hw_exporter {

using Duration = std::chrono::milliseconds;

// The longest duration a setting may take. Longer ones (300y) would overflow the clock's time points, and no TTL
// or timeout needs more than a year.
inline constexpr Duration kLongestDuration = std::chrono::hours(24 * 365);

// Prometheus duration syntax: one or more <number><unit> with units y, w, d, h, m, s, ms, largest first
// ("500ms", "30s", "1h30m"), or "0". Returns nullopt for anything else.
std::optional<Duration> ParseDuration(std::string_view text);

// The inverse, in the same syntax ("1h30m", "500ms", "0s").
std::string FormatDuration(Duration duration);

double Seconds(Duration duration);

}  // namespace hw_exporter

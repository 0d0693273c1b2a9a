#include "hw_exporter/core/duration.h"

#include <array>
#include <cctype>
#include <cstdint>
#include <limits>

namespace hw_exporter {

namespace {

struct Unit {
  std::string_view suffix;
  std::int64_t milliseconds;
};

// Largest first: Prometheus requires units in this order, each at most once.
constexpr std::array<Unit, 7> kUnits{{{"y", 365LL * 24 * 3600 * 1000},
                                      {"w", 7LL * 24 * 3600 * 1000},
                                      {"d", 24LL * 3600 * 1000},
                                      {"h", 3600LL * 1000},
                                      {"m", 60LL * 1000},
                                      {"s", 1000},
                                      {"ms", 1}}};

bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

}  // namespace

std::optional<Duration> ParseDuration(std::string_view text) {
  if (text == "0") return Duration::zero();
  if (text.empty()) return std::nullopt;
  std::int64_t total = 0;
  size_t next_unit = 0;  // index into kUnits of the largest unit still allowed
  size_t i = 0;
  while (i < text.size()) {
    if (!IsDigit(text[i])) return std::nullopt;
    std::int64_t number = 0;
    for (; i < text.size() && IsDigit(text[i]); ++i) {
      number = number * 10 + (text[i] - '0');
      if (number > std::numeric_limits<std::int32_t>::max()) return std::nullopt;
    }
    size_t suffix_end = i;
    while (suffix_end < text.size() && !IsDigit(text[suffix_end])) ++suffix_end;
    std::string_view suffix = text.substr(i, suffix_end - i);
    size_t unit = next_unit;
    while (unit < kUnits.size() && kUnits[unit].suffix != suffix) ++unit;
    if (unit == kUnits.size()) return std::nullopt;  // unknown, repeated or out of order
    next_unit = unit + 1;
    i = suffix_end;
    if (number > (std::numeric_limits<std::int64_t>::max() - total) / kUnits[unit].milliseconds) return std::nullopt;
    total += number * kUnits[unit].milliseconds;
  }
  return Duration(total);
}

std::string FormatDuration(Duration duration) {
  std::int64_t remaining = duration.count();
  if (remaining == 0) return "0s";
  std::string text;
  if (remaining < 0) {
    text = "-";
    remaining = -remaining;
  }
  for (const Unit& unit : kUnits) {
    if (remaining >= unit.milliseconds) {
      text += std::to_string(remaining / unit.milliseconds);
      text += unit.suffix;
      remaining %= unit.milliseconds;
    }
  }
  return text;
}

double Seconds(Duration duration) { return std::chrono::duration<double>(duration).count(); }

}  // namespace hw_exporter

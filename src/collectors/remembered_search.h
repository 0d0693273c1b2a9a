#pragma once

#include <cstddef>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace hw_exporter {

// A regular expression searched in the same few names at every refresh (devices, mount points, the fields of
// /proc/vmstat), each name's answer remembered. std::regex takes microseconds a search and walks code and locale
// tables that have gone cold in the seconds between refreshes; a name seen before costs one hash lookup.
// At most kMostNames answers are kept: past that the memory starts over, so names that never repeat (short-lived
// network devices) cost a search each, as without it, and a bounded memory. Thread-safe.
class RememberedSearch {
 public:
  static constexpr std::size_t kMostNames = 4096;

  explicit RememberedSearch(std::regex pattern) : pattern_(std::move(pattern)) {}
  RememberedSearch(RememberedSearch&& other) noexcept;
  RememberedSearch& operator=(RememberedSearch&&) = delete;

  // std::regex_search: whether the pattern matches anywhere in name.
  bool Matches(std::string_view name) const;

  // How many answers are kept.
  std::size_t Size() const;

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view name) const { return std::hash<std::string_view>{}(name); }
  };

  const std::regex pattern_;
  mutable std::mutex mutex_;
  mutable std::unordered_map<std::string, bool, Hash, std::equal_to<>> answers_;
};

// The search of a pattern that may be absent (an option left empty).
std::optional<RememberedSearch> Remembered(std::optional<std::regex> pattern);

}  // namespace hw_exporter

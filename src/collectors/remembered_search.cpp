#include "remembered_search.h"

namespace hw_exporter {

RememberedSearch::RememberedSearch(RememberedSearch&& other) noexcept
    : pattern_(other.pattern_), answers_(std::move(other.answers_)) {}

bool RememberedSearch::Matches(std::string_view name) const {
  {
    std::lock_guard lock(mutex_);
    if (auto known = answers_.find(name); known != answers_.end()) return known->second;
  }
  // Searched outside the lock: a pattern's search is bounded (RegexOption), but not cheap.
  const bool matches = std::regex_search(name.begin(), name.end(), pattern_);
  std::lock_guard lock(mutex_);
  if (answers_.size() >= kMostNames) answers_.clear();
  answers_.emplace(name, matches);
  return matches;
}

std::size_t RememberedSearch::Size() const {
  std::lock_guard lock(mutex_);
  return answers_.size();
}

std::optional<RememberedSearch> Remembered(std::optional<std::regex> pattern) {
  if (!pattern) return std::nullopt;
  return std::optional<RememberedSearch>(std::in_place, std::move(*pattern));
}

}  // namespace hw_exporter

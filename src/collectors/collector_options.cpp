#include "collector_options.h"

#include <algorithm>
#include <limits>
#include <string_view>

#include "hw_exporter/core/strings.h"

namespace hw_exporter {

bool BoolOption(const CollectorContext& context, const std::string& name) {
  const std::string& value = context.Option(name);
  if (value == "true") return true;
  if (value == "false") return false;
  throw CollectorOptionError(name, "expected true or false, got \"" + value + "\"");
}

namespace {

// std::regex compiles and matches by recursion: a pattern nested thousands of levels deep overflows the stack
// (a crash at start, not an error). Real filters are a few hundred characters and a few groups deep.
constexpr std::size_t kMaxRegexLength = 1024;
constexpr int kMaxRegexNesting = 32;

// The deepest nesting of groups and bracket expressions, counting escaped characters as plain ones.
int Nesting(std::string_view pattern) {
  int depth = 0, deepest = 0;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\') {
      ++i;
    } else if (pattern[i] == '(' || pattern[i] == '[') {
      deepest = std::max(deepest, ++depth);
    } else if ((pattern[i] == ')' || pattern[i] == ']') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

}  // namespace

std::optional<std::regex> RegexOption(const CollectorContext& context, const std::string& name) {
  const std::string& value = context.Option(name);
  if (value.empty()) return std::nullopt;
  if (value.size() > kMaxRegexLength)
    throw CollectorOptionError(name, "a regular expression of " + std::to_string(value.size()) +
                                         " characters; at most " + std::to_string(kMaxRegexLength) + " are allowed");
  if (Nesting(value) > kMaxRegexNesting)
    throw CollectorOptionError(name, "a regular expression nested more than " + std::to_string(kMaxRegexNesting) +
                                         " levels deep");
  try {
    return std::regex(value, std::regex::ECMAScript);
  } catch (const std::regex_error& error) {
    throw CollectorOptionError(name, "not a valid regular expression \"" + value + "\": " + error.what());
  }
}

Duration PositiveDurationOption(const CollectorContext& context, const std::string& name) {
  const std::string& value = context.Option(name);
  auto duration = ParseDuration(value);
  if (!duration || duration->count() <= 0 || *duration > kLongestDuration) {
    throw CollectorOptionError(name,
                               "expected a positive duration of at most 1y, such as 30s or 1h, got \"" + value + "\"");
  }
  return *duration;
}

std::vector<std::string> ListOption(const CollectorContext& context, const std::string& name) {
  std::vector<std::string> values;
  for (std::string_view line : Split(context.Option(name), '\n'))
    if (!line.empty()) values.emplace_back(line);
  return values;
}

std::uint64_t ByteSizeOption(const CollectorContext& context, const std::string& name) {
  const std::string& value = context.Option(name);
  struct Unit {
    std::string_view suffix;
    std::uint64_t bytes;
  };
  std::string_view digits = value;
  std::uint64_t unit = 1;
  for (const Unit& candidate : {Unit{"KiB", 1ull << 10}, Unit{"MiB", 1ull << 20}, Unit{"GiB", 1ull << 30}}) {
    if (digits.ends_with(candidate.suffix)) {
      digits.remove_suffix(candidate.suffix.size());
      unit = candidate.bytes;
      break;
    }
  }
  const bool all_digits = !digits.empty() &&
                          std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
  const auto count = all_digits ? ParseUnsigned(digits) : std::nullopt;
  if (!count || *count == 0 || *count > std::numeric_limits<std::uint64_t>::max() / unit)
    throw CollectorOptionError(name, "expected a size such as 1048576 or 1MiB (KiB, MiB, GiB), got \"" + value + "\"");
  return *count * unit;
}

std::uint64_t PositiveCountOption(const CollectorContext& context, const std::string& name) {
  const std::string& value = context.Option(name);
  const bool all_digits = !value.empty() &&
                          std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
  const auto count = all_digits ? ParseUnsigned(value) : std::nullopt;
  if (!count || *count == 0)
    throw CollectorOptionError(name, "expected a whole number of at least 1, got \"" + value + "\"");
  return *count;
}

}  // namespace hw_exporter

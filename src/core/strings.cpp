#include "hw_exporter/core/strings.h"

#include <cctype>
#include <charconv>
#include <cstdlib>

namespace hw_exporter {

namespace {
bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }
}  // namespace

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsBlank(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsBlank(text.back())) text.remove_suffix(1);
  return text;
}

namespace {

// Calls visit with each run of characters that are not blank, in order.
template <typename Visit>
void ForEachField(std::string_view text, Visit visit) {
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsBlank(text[i])) ++i;
    const size_t start = i;
    while (i < text.size() && !IsBlank(text[i])) ++i;
    if (i > start) visit(text.substr(start, i - start));
  }
}

// The pieces a splitter visits, counted first so that the vector takes one allocation, not one per doubling: a
// /proc parser splits every line of its file.
template <typename Splitter>
std::vector<std::string_view> Collect(Splitter for_each) {
  size_t count = 0;
  for_each([&count](std::string_view) { ++count; });
  std::vector<std::string_view> pieces;
  pieces.reserve(count);
  for_each([&pieces](std::string_view piece) { pieces.push_back(piece); });
  return pieces;
}

}  // namespace

std::vector<std::string_view> SplitFields(std::string_view text) {
  return Collect([text](auto visit) { ForEachField(text, visit); });
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  return Collect([text, separator](auto visit) { ForEachPiece(text, separator, visit); });
}

std::vector<std::string_view> SplitLines(std::string_view text) {
  return Collect([text](auto visit) {
    for (std::string_view rest = text; !rest.empty();) {
      const size_t end = rest.find('\n');
      visit(rest.substr(0, end));
      if (end == std::string_view::npos) break;
      rest.remove_prefix(end + 1);
    }
  });
}

std::optional<double> ParseDouble(std::string_view text) {
  text = Trim(text);
  if (text.empty()) return std::nullopt;
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<unsigned long long> ParseUnsigned(std::string_view text, int base) {
  text = Trim(text);
  if (base == 16 && (StartsWith(text, "0x") || StartsWith(text, "0X"))) text.remove_prefix(2);
  if (text.empty()) return std::nullopt;
  unsigned long long value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<long long> ParseSigned(std::string_view text) {
  text = Trim(text);
  if (text.empty()) return std::nullopt;
  long long value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool StartsWith(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

namespace {

// ASCII only, without the C library's locale lookup: on a cached scrape, tolower for the header names was most of
// the time spent (bench/README.md).
char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::string ToLower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = AsciiLower(c);
  return lower;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](char x, char y) { return AsciiLower(x) == AsciiLower(y); });
}

}  // namespace hw_exporter

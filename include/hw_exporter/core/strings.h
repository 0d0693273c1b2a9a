#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hw_exporter {

std::string_view Trim(std::string_view text);

// Splits on any run of blanks (spaces, tabs, newlines); no empty fields.
std::vector<std::string_view> SplitFields(std::string_view text);

// Calls each(piece) for every piece of `text` between separators, empty ones included, without allocating.
template <typename Each>
void ForEachPiece(std::string_view text, char separator, Each each) {
  for (size_t start = 0;;) {
    const size_t end = text.find(separator, start);
    each(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return;
    start = end + 1;
  }
}

// Splits on every occurrence of separator; keeps empty fields.
std::vector<std::string_view> Split(std::string_view text, char separator);

// The lines of a text, without their '\n'. A last line without one is a line; a '\n' at the end does not start
// another: "a\nb\n" and "a\nb" are both {"a", "b"}, "" has none, "\n" one empty line. Empty lines in between are
// kept, so that index + 1 is the line's number in the file. A '\r' stays part of its line: the kernel and the
// tools read here end lines with '\n' alone (and SplitFields and Trim take a '\r' for a blank anyway).
std::vector<std::string_view> SplitLines(std::string_view text);

// Whole-string numeric parses: nullopt unless all of the (trimmed) text is the number.
std::optional<double> ParseDouble(std::string_view text);
std::optional<unsigned long long> ParseUnsigned(std::string_view text, int base = 10);
std::optional<long long> ParseSigned(std::string_view text);

bool StartsWith(std::string_view text, std::string_view prefix);
bool EndsWith(std::string_view text, std::string_view suffix);

// ASCII letters lowered; other bytes as they are.
std::string ToLower(std::string_view text);

// Equal but for the case of ASCII letters.
bool EqualsIgnoringCase(std::string_view a, std::string_view b);

}  // namespace hw_exporter

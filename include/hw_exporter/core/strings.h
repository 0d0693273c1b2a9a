#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hw_exporter {

std::string_view Trim(std::string_view text);

// Splits on any run of blanks (spaces, tabs, newlines); no empty fields.
std::vector<std::string_view> SplitFields(std::string_view text);

// Splits on every occurrence of separator; keeps empty fields.
std::vector<std::string_view> Split(std::string_view text, char separator);

// Whole-string numeric parses: nullopt unless all of the (trimmed) text is the number.
std::optional<double> ParseDouble(std::string_view text);
std::optional<unsigned long long> ParseUnsigned(std::string_view text, int base = 10);
std::optional<long long> ParseSigned(std::string_view text);

bool StartsWith(std::string_view text, std::string_view prefix);
bool EndsWith(std::string_view text, std::string_view suffix);

std::string ToLower(std::string_view text);

}  // namespace hw_exporter

#pragma once

// Parsing of setting values, shared by flags (text) and the config file (JSON). Each function throws
// InvalidValue with a reason meant to follow "<where>: ".

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <span>
#include <string>
#include <string_view>

#include "hw_exporter/core/duration.h"

namespace hw_exporter::config_internal {

Duration ParseDurationText(std::string_view text, bool zero_allowed);
bool ParseBoolText(std::string_view text);
// A decimal integer in [minimum, maximum].
std::uint64_t ParseCountText(std::string_view text, std::uint64_t minimum, std::uint64_t maximum);
// Bytes: an integer, optionally followed by KiB, MiB or GiB; at least `minimum`.
std::uint64_t ParseByteSizeText(std::string_view text, std::uint64_t minimum = 1);
// A non-negative decimal number: "0", "0.25", "2".
double ParseFractionText(std::string_view text);
std::string ParseChoiceText(std::string_view text, std::span<const std::string_view> choices);
// host:port, [ipv6]:port or :port.
std::string ParseListenAddressText(std::string_view text);
std::string ParseNonEmptyText(std::string_view text);
// Any text; empty means "none" (an optional path).
std::string ParseAnyText(std::string_view text);
// An HTTP path: starts with '/'.
std::string ParseUrlPathText(std::string_view text);

// JSON values of one expected type, or InvalidValue("expected ..., got ...").
const std::string& JsonString(const nlohmann::json& value);
bool JsonBool(const nlohmann::json& value);
std::uint64_t JsonCount(const nlohmann::json& value, std::uint64_t minimum, std::uint64_t maximum);
// Bytes as a JSON integer or as a string in the text syntax.
std::uint64_t JsonByteSize(const nlohmann::json& value, std::uint64_t minimum = 1);
// A non-negative number, as a JSON number or as a string in the text syntax.
double JsonFraction(const nlohmann::json& value);
// A collector option: a string, or a number or boolean written as the same text a flag would carry.
std::string JsonOptionText(const nlohmann::json& value);

// For --help: 33554432 → "32MiB".
std::string FormatByteSize(std::uint64_t bytes);
// A string value as --help shows it: in double quotes.
std::string Quote(std::string_view text);

}  // namespace hw_exporter::config_internal

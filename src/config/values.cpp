#include "values.h"

#include <arpa/inet.h>

#include <array>
#include <cstdlib>
#include <limits>
#include <nlohmann/json.hpp>

#include "hw_exporter/core/strings.h"
#include "settings.h"

namespace hw_exporter::config_internal {

namespace {

bool IsIpAddress(int family, std::string_view text) {
  unsigned char address[sizeof(in6_addr)];
  return ::inet_pton(family, std::string(text).c_str(), address) == 1;
}

struct SizeUnit {
  std::string_view suffix;
  std::uint64_t bytes;
};

// Largest first, for formatting.
constexpr std::array<SizeUnit, 3> kSizeUnits{{{"GiB", 1ULL << 30}, {"MiB", 1ULL << 20}, {"KiB", 1ULL << 10}}};

bool IsDecimal(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::uint64_t CheckRange(std::uint64_t value, std::uint64_t minimum, std::uint64_t maximum) {
  if (value < minimum)
    throw InvalidValue("must be at least " + std::to_string(minimum) + ", got " + std::to_string(value));
  if (value > maximum)
    throw InvalidValue("must be at most " + std::to_string(maximum) + ", got " + std::to_string(value));
  return value;
}

// "string", "boolean", "number -3", ...: numbers with their value, since "got number" alone would not say
// whether the sign or the fraction was wrong.
std::string Describe(const nlohmann::json& value) {
  if (value.is_number()) return "number " + value.dump();
  return value.type_name();
}

[[noreturn]] void ThrowExpected(std::string_view expected, const nlohmann::json& value) {
  throw InvalidValue("expected " + std::string(expected) + ", got " + Describe(value));
}

}  // namespace

Duration ParseDurationText(std::string_view text, bool zero_allowed) {
  auto duration = ParseDuration(text);
  if (!duration) throw InvalidValue(Quote(text) + " is not a duration (examples: 500ms, 30s, 6h)");
  if (!zero_allowed && *duration <= Duration::zero()) throw InvalidValue("must be greater than 0, got " + Quote(text));
  if (*duration > kLongestDuration) throw InvalidValue("must be at most 1y, got " + Quote(text));
  return *duration;
}

bool ParseBoolText(std::string_view text) {
  if (text == "true") return true;
  if (text == "false") return false;
  throw InvalidValue(Quote(text) + " is not a boolean (true or false)");
}

std::uint64_t ParseCountText(std::string_view text, std::uint64_t minimum, std::uint64_t maximum) {
  auto value = IsDecimal(text) ? ParseUnsigned(text) : std::nullopt;
  if (!value) throw InvalidValue(Quote(text) + " is not a non-negative integer");
  return CheckRange(*value, minimum, maximum);
}

std::uint64_t ParseByteSizeText(std::string_view text, std::uint64_t minimum) {
  std::uint64_t multiplier = 1;
  std::string_view number = text;
  for (const SizeUnit& unit : kSizeUnits) {
    if (EndsWith(text, unit.suffix)) {
      multiplier = unit.bytes;
      number.remove_suffix(unit.suffix.size());
      break;
    }
  }
  auto value = IsDecimal(number) ? ParseUnsigned(number) : std::nullopt;
  if (!value || *value > std::numeric_limits<std::uint64_t>::max() / multiplier)
    throw InvalidValue(Quote(text) + " is not a size in bytes (examples: 1048576, 512KiB, 32MiB, 1GiB)");
  return CheckRange(*value * multiplier, minimum, std::numeric_limits<std::uint64_t>::max());
}

double ParseFractionText(std::string_view text) {
  // Digits, with at most one point among them: no sign, exponent, "inf" or "nan", which strtod would take.
  const std::size_t point = text.find('.');
  std::string digits(text);
  if (point != std::string_view::npos) digits.erase(point, 1);
  if (!IsDecimal(digits) || text.front() == '.' || text.back() == '.')
    throw InvalidValue(Quote(text) + " is not a non-negative decimal number (examples: 0, 0.5, 2)");
  return std::strtod(std::string(text).c_str(), nullptr);
}

std::string ParseChoiceText(std::string_view text, std::span<const std::string_view> choices) {
  std::string listed;
  for (std::string_view choice : choices) {
    if (choice == text) return std::string(text);
    listed += (listed.empty() ? "" : ", ") + std::string(choice);
  }
  throw InvalidValue(Quote(text) + " is not one of " + listed);
}

std::string ParseListenAddressText(std::string_view text) {
  const size_t colon = text.rfind(':');
  const std::string reason = Quote(text) + " is not host:port, [ipv6]:port or :port";
  if (colon == std::string_view::npos) throw InvalidValue(reason);
  const std::string_view host = text.substr(0, colon);
  const std::string_view port = text.substr(colon + 1);
  if (!IsDecimal(port) || port.size() > 5 || *ParseUnsigned(port) > 65535) throw InvalidValue(reason);
  const bool bracketed = StartsWith(host, "[") && EndsWith(host, "]") && host.size() > 2;
  if (!bracketed && host.find_first_of("[]:") != std::string_view::npos) throw InvalidValue(reason);
  // civetweb reads a dotted host octet by octet modulo 256 (256.0.0.0 would bind every interface): a host of
  // digits and dots must be an IPv4 address, a bracketed one an IPv6 address. Other hosts are names to resolve.
  const bool numeric = !host.empty() && host.find_first_not_of("0123456789.") == std::string_view::npos;
  if (numeric && !IsIpAddress(AF_INET, host)) throw InvalidValue(Quote(host) + " is not an IPv4 address");
  if (bracketed && !IsIpAddress(AF_INET6, host.substr(1, host.size() - 2)))
    throw InvalidValue(Quote(host) + " is not an IPv6 address");
  return std::string(text);
}

std::string ParseAnyText(std::string_view text) { return std::string(text); }

std::string ParseNonEmptyText(std::string_view text) {
  if (text.empty()) throw InvalidValue("must not be empty");
  return std::string(text);
}

std::string ParseUrlPathText(std::string_view text) {
  if (!StartsWith(text, "/")) throw InvalidValue("must start with \"/\", got " + Quote(text));
  return std::string(text);
}

const std::string& JsonString(const nlohmann::json& value) {
  if (!value.is_string()) ThrowExpected("a string", value);
  return value.get_ref<const std::string&>();
}

bool JsonBool(const nlohmann::json& value) {
  if (!value.is_boolean()) ThrowExpected("a boolean", value);
  return value.get<bool>();
}

std::uint64_t JsonCount(const nlohmann::json& value, std::uint64_t minimum, std::uint64_t maximum) {
  if (!value.is_number_unsigned()) ThrowExpected("a non-negative integer", value);
  return CheckRange(value.get<std::uint64_t>(), minimum, maximum);
}

std::uint64_t JsonByteSize(const nlohmann::json& value, std::uint64_t minimum) {
  if (value.is_string()) return ParseByteSizeText(value.get_ref<const std::string&>(), minimum);
  if (!value.is_number_unsigned()) ThrowExpected("a size in bytes (an integer, or a string such as \"32MiB\")", value);
  return CheckRange(value.get<std::uint64_t>(), minimum, std::numeric_limits<std::uint64_t>::max());
}

double JsonFraction(const nlohmann::json& value) {
  if (value.is_string()) return ParseFractionText(value.get_ref<const std::string&>());
  if (!value.is_number() || value.get<double>() < 0) ThrowExpected("a non-negative number", value);
  return value.get<double>();
}

std::string JsonOptionText(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean() || value.is_number()) return value.dump();
  ThrowExpected("a string, number or boolean", value);
}

std::string FormatByteSize(std::uint64_t bytes) {
  for (const SizeUnit& unit : kSizeUnits) {
    if (bytes != 0 && bytes % unit.bytes == 0) return std::to_string(bytes / unit.bytes) + std::string(unit.suffix);
  }
  return std::to_string(bytes);
}

std::string Quote(std::string_view text) {
  return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace hw_exporter::config_internal

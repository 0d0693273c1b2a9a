#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include "hw_exporter/core/strings.h"

namespace hw_exporter {

// A kernel file did not have the expected format. The message names the file (source) and, when one line is to
// blame, its 1-based number, so an operator can open the file and look: "/proc/stat:3: expected a number".
class ParseError : public std::runtime_error {
 public:
  ParseError(std::string_view source, std::size_t line_number, std::string_view reason)
      : std::runtime_error(Format(source, line_number, reason)) {}

  // For a problem with the file as a whole rather than one line.
  ParseError(std::string_view source, std::string_view reason) : ParseError(source, 0, reason) {}

 private:
  static std::string Format(std::string_view source, std::size_t line_number, std::string_view reason) {
    std::string message(source);
    if (line_number > 0) message += ":" + std::to_string(line_number);
    message += ": ";
    message += reason;
    return message;
  }
};

// A field that must be a number, or a ParseError that quotes it; what says which value it was meant to be.
inline unsigned long long RequireUnsigned(std::string_view field, std::string_view what, std::string_view source,
                                          std::size_t line_number) {
  auto value = ParseUnsigned(field);
  if (!value)
    throw ParseError(source, line_number, "expected " + std::string(what) + ", got \"" + std::string(field) + "\"");
  return *value;
}

inline double RequireDouble(std::string_view field, std::string_view what, std::string_view source,
                            std::size_t line_number) {
  auto value = ParseDouble(field);
  if (!value)
    throw ParseError(source, line_number, "expected " + std::string(what) + ", got \"" + std::string(field) + "\"");
  return *value;
}

}  // namespace hw_exporter

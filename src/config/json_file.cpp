#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>

#include "hw_exporter/core/fs.h"
#include "hw_exporter/core/strings.h"
#include "settings.h"
#include "values.h"

namespace hw_exporter::config_internal {

namespace {

// RFC 6901: '~' and '/' inside a key are escaped.
std::string PointerToken(const std::string& key) {
  std::string token;
  for (char c : key) {
    if (c == '~') {
      token += "~0";
    } else if (c == '/') {
      token += "~1";
    } else {
      token += c;
    }
  }
  return token;
}

// "3:14" for the byte offset nlohmann reports (1-based, counting the byte it stopped at).
std::string LineColumn(std::string_view text, size_t byte) {
  const std::string_view before = text.substr(0, byte == 0 ? 0 : byte - 1);
  const size_t line = 1 + static_cast<size_t>(std::count(before.begin(), before.end(), '\n'));
  const size_t line_start = before.rfind('\n');
  const size_t column = before.size() - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
  return std::to_string(line) + ":" + std::to_string(column);
}

// nlohmann's message without its "[json.exception.parse_error.101] parse error at line 1, column 2: " prefix,
// since the location is reported separately.
std::string ParseReason(const nlohmann::json::parse_error& error) {
  std::string_view message = error.what();
  const size_t prefix_end = message.find(": ");
  return std::string(prefix_end == std::string_view::npos ? message : message.substr(prefix_end + 2));
}

// "[json.exception.out_of_range.406] number overflow parsing '1e400'" without its bracketed id.
std::string WithoutExceptionId(std::string_view message) {
  const size_t id_end = message.find("] ");
  return std::string(StartsWith(message, "[") && id_end != std::string_view::npos ? message.substr(id_end + 2)
                                                                                  : message);
}

std::string UnknownKeyReason(const std::string& section, const std::string& key) {
  if (section == "/collectors") return "unknown collector " + Quote(key);
  if (StartsWith(section, "/collectors/")) {
    return "unknown option " + Quote(key) + " of collector " + Quote(section.substr(std::strlen("/collectors/")));
  }
  return "unknown key " + Quote(key);
}

void ApplyObject(Draft& draft, const Settings& settings, const nlohmann::json& object, const std::string& section) {
  for (const auto& [key, value] : object.items()) {
    const std::string pointer = section + "/" + PointerToken(key);
    if (const Setting* setting = settings.FindPointer(pointer)) {
      try {
        setting->from_json(draft, value);
      } catch (const InvalidValue& error) {
        throw ConfigError(pointer, error.what());
      }
      draft.loaded.sources[pointer] = pointer;
    } else if (settings.IsSection(pointer)) {
      if (!value.is_object()) throw ConfigError(pointer, std::string("expected an object, got ") + value.type_name());
      ApplyObject(draft, settings, value, pointer);
    } else {
      throw ConfigError(pointer, UnknownKeyReason(section, key));
    }
  }
}

}  // namespace

nlohmann::json ReadJsonFile(const std::string& path) {
  int error_number = 0;
  const auto text = TryReadFile(path, &error_number);
  if (!text) throw ConfigError("--config.file", "cannot read " + path + ": " + std::strerror(error_number));
  try {
    return nlohmann::json::parse(*text);
  } catch (const nlohmann::json::parse_error& error) {
    throw ConfigError(path + ":" + LineColumn(*text, error.byte), ParseReason(error));
  } catch (const nlohmann::json::exception& error) {
    // A number too large for a double (1e400), which the parser reports without a position.
    throw ConfigError(path, WithoutExceptionId(error.what()));
  }
}

void ApplyJson(Draft& draft, const Settings& settings, const nlohmann::json& document, const std::string& path) {
  if (!document.is_object())
    throw ConfigError(path, std::string("expected a JSON object, got ") + document.type_name());
  ApplyObject(draft, settings, document, "");
}

}  // namespace hw_exporter::config_internal

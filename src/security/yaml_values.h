#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// Typed, strict reads of a yaml-cpp tree, each naming the key it failed on. They follow Go's yaml.v2 in
// UnmarshalStrict mode, as exporter-toolkit reads its file: an unknown or repeated key is an error, any scalar can
// be a string, and a null value is the same as no value.
namespace hw_exporter::security_internal {

// A value that cannot be used; what() is the reason, key() the dotted path of its key.
class KeyError : public std::runtime_error {
 public:
  KeyError(std::string key, const std::string& reason) : std::runtime_error(reason), key_(std::move(key)) {}
  const std::string& key() const { return key_; }

 private:
  std::string key_;
};

// "tls_server_config" and "cert_file" → "tls_server_config.cert_file"; "" and "rate_limit" → "rate_limit".
std::string ChildPath(const std::string& path, std::string_view key);

// A mapping's entries, in file order, with string keys that are not repeated. A null node (a section written
// with nothing under it) is an empty mapping.
class Mapping {
 public:
  // Any key allowed (a list of user names or headers).
  Mapping(const YAML::Node& node, std::string path);
  // Only the known keys allowed.
  Mapping(const YAML::Node& node, std::string path, std::initializer_list<std::string_view> known);

  // The value of key, or a null node when the mapping does not have it.
  YAML::Node Get(std::string_view key) const;
  std::string PathOf(std::string_view key) const { return ChildPath(path_, key); }
  const std::vector<std::pair<std::string, YAML::Node>>& entries() const { return entries_; }

 private:
  std::string path_;
  std::vector<std::pair<std::string, YAML::Node>> entries_;
};

// A scalar as written; "" for null.
std::string ReadString(const YAML::Node& node, const std::string& path);

// A list of scalars; empty for null.
std::vector<std::string> ReadStrings(const YAML::Node& node, const std::string& path);

// A YAML 1.1 bool (true/false, yes/no, on/off, y/n, in their spellings), unquoted; nullopt for null.
std::optional<bool> ReadBool(const YAML::Node& node, const std::string& path);

// An unquoted decimal integer; nullopt for null.
std::optional<long long> ReadInteger(const YAML::Node& node, const std::string& path);

}  // namespace hw_exporter::security_internal

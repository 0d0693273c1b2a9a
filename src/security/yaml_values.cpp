#include "yaml_values.h"

#include <algorithm>

#include "hw_exporter/core/strings.h"

namespace hw_exporter::security_internal {

namespace {

std::string TypeName(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null: return "null";
    case YAML::NodeType::Scalar: return "a scalar";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Undefined: break;
  }
  return "nothing";
}

[[noreturn]] void ThrowWrongType(const YAML::Node& node, const std::string& path, const std::string& expected) {
  throw KeyError(path, "expected " + expected + ", got " + TypeName(node));
}

// yaml-cpp tags a quoted scalar "!": "true" in quotes is a string to yaml.v2, which does not make a bool of it.
bool IsQuoted(const YAML::Node& node) { return node.Tag() == "!"; }

std::vector<std::pair<std::string, YAML::Node>> ReadEntries(const YAML::Node& node, const std::string& path) {
  std::vector<std::pair<std::string, YAML::Node>> entries;
  if (node.IsNull()) return entries;
  if (!node.IsMap()) ThrowWrongType(node, path, "a mapping");
  for (const auto& entry : node) {
    // A null key (`~:` or `:`) reads as "" in Go, so it is "" here too; the callers reject what needs a name.
    if (!entry.first.IsScalar() && !entry.first.IsNull()) ThrowWrongType(entry.first, path, "string keys");
    std::string key = entry.first.IsNull() ? "" : entry.first.Scalar();
    const bool repeated = std::any_of(entries.begin(), entries.end(),
                                      [&](const auto& earlier) { return earlier.first == key; });
    if (repeated) throw KeyError(ChildPath(path, key), "repeated key");
    entries.emplace_back(std::move(key), entry.second);
  }
  return entries;
}

}  // namespace

std::string ChildPath(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

Mapping::Mapping(const YAML::Node& node, std::string path) : path_(std::move(path)) {
  entries_ = ReadEntries(node, path_);
}

Mapping::Mapping(const YAML::Node& node, std::string path, std::initializer_list<std::string_view> known)
    : Mapping(node, std::move(path)) {
  for (const auto& [key, value] : entries_) {
    if (std::find(known.begin(), known.end(), key) == known.end()) throw KeyError(PathOf(key), "unknown key");
  }
}

YAML::Node Mapping::Get(std::string_view key) const {
  for (const auto& [name, value] : entries_) {
    if (name == key) return value;
  }
  return YAML::Node();
}

std::string ReadString(const YAML::Node& node, const std::string& path) {
  if (node.IsNull()) return "";
  if (!node.IsScalar()) ThrowWrongType(node, path, "a string");
  return node.Scalar();
}

std::vector<std::string> ReadStrings(const YAML::Node& node, const std::string& path) {
  std::vector<std::string> strings;
  if (node.IsNull()) return strings;
  if (!node.IsSequence()) ThrowWrongType(node, path, "a list of strings");
  for (size_t i = 0; i < node.size(); ++i) {
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    if (!node[i].IsScalar()) ThrowWrongType(node[i], item_path, "a string");
    strings.push_back(node[i].Scalar());
  }
  return strings;
}

std::optional<bool> ReadBool(const YAML::Node& node, const std::string& path) {
  if (node.IsNull()) return std::nullopt;
  if (!node.IsScalar()) ThrowWrongType(node, path, "a bool");
  bool value = false;
  if (IsQuoted(node) || !YAML::convert<bool>::decode(node, value)) {
    throw KeyError(path, "expected a bool (true or false), got " + node.Scalar());
  }
  return value;
}

std::optional<long long> ReadInteger(const YAML::Node& node, const std::string& path) {
  if (node.IsNull()) return std::nullopt;
  if (!node.IsScalar()) ThrowWrongType(node, path, "an integer");
  const std::optional<long long> value = IsQuoted(node) ? std::nullopt : ParseSigned(node.Scalar());
  if (!value) throw KeyError(path, "expected an integer, got " + node.Scalar());
  return value;
}

}  // namespace hw_exporter::security_internal

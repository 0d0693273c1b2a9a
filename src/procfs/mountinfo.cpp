#include "hw_exporter/procfs/mountinfo.h"

#include "hw_exporter/core/parse_error.h"
#include "hw_exporter/core/strings.h"

namespace hw_exporter::procfs {

namespace {

bool IsOctalDigit(char c) { return c >= '0' && c <= '7'; }

// The kernel writes blank, tab, newline and backslash in paths as a backslash and three octal digits.
std::string Unescape(std::string_view text) {
  std::string decoded;
  decoded.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 3 < text.size() && IsOctalDigit(text[i + 1]) && IsOctalDigit(text[i + 2]) &&
        IsOctalDigit(text[i + 3])) {
      decoded += static_cast<char>(((text[i + 1] - '0') << 6) | ((text[i + 2] - '0') << 3) | (text[i + 3] - '0'));
      i += 3;
    } else {
      decoded += text[i];
    }
  }
  return decoded;
}

std::vector<std::string> SplitOptions(std::string_view text) {
  const std::vector<std::string_view> parts = Split(text, ',');
  std::vector<std::string> options;
  options.reserve(parts.size());
  for (std::string_view option : parts) {
    if (!option.empty()) options.emplace_back(option);
  }
  return options;
}

}  // namespace

std::vector<MountInfo> ParseMountInfo(std::string_view text, std::string_view source) {
  std::vector<MountInfo> mounts;
  size_t line_number = 0;
  for (std::string_view line : SplitLines(text)) {
    ++line_number;
    if (Trim(line).empty()) continue;
    // Optional fields of any number come before the separator; the fields after it are separated by exactly one
    // blank, so an empty source still leaves the super options in their place.
    size_t separator = line.find(" - ");
    std::vector<std::string_view> head = SplitFields(line.substr(0, separator));
    if (separator == std::string_view::npos || head.size() < 6) {
      throw ParseError(source, line_number, "expected at least 6 fields before \" - \"");
    }
    std::vector<std::string_view> tail = Split(Trim(line.substr(separator + 3)), ' ');
    if (tail.size() < 3) throw ParseError(source, line_number, "expected type, source and options after \" - \"");
    MountInfo& mount = mounts.emplace_back();
    mount.mount_point = Unescape(head[4]);
    mount.mount_options = SplitOptions(head[5]);
    mount.fs_type = Unescape(tail[0]);
    mount.source = Unescape(tail[1]);
    mount.super_options = SplitOptions(tail[2]);
  }
  return mounts;
}

}  // namespace hw_exporter::procfs

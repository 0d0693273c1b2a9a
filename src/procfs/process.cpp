#include "hw_exporter/procfs/process.h"

#include "hw_exporter/core/parse_error.h"
#include "hw_exporter/core/strings.h"

namespace hw_exporter::procfs {
namespace {

// Field numbers of /proc/<pid>/stat as proc(5) gives them; the state (3) is the first field after the comm.
constexpr size_t kStateField = 3;
constexpr size_t kUserTimeField = 14;
constexpr size_t kSystemTimeField = 15;
constexpr size_t kThreadsField = 20;
constexpr size_t kStartTimeField = 22;
constexpr size_t kVirtualMemoryField = 23;
constexpr size_t kResidentPagesField = 24;

// The fields after the comm, looked up by their proc(5) number.
class StatFields {
 public:
  StatFields(std::string_view after_comm, std::string_view source)
      : fields_(SplitFields(after_comm)), source_(source) {}

  std::string_view At(size_t field) const {
    size_t index = field - kStateField;
    if (index >= fields_.size()) throw ParseError(source_, 1, "field " + std::to_string(field) + " is missing");
    return fields_[index];
  }

  unsigned long long Unsigned(size_t field, std::string_view what) const {
    return RequireUnsigned(At(field), what, source_, 1);
  }

 private:
  std::vector<std::string_view> fields_;
  std::string_view source_;
};

bool IsLimitValue(std::string_view token) { return token == "unlimited" || ParseUnsigned(token).has_value(); }

std::optional<unsigned long long> LimitValue(std::string_view token) {
  if (token == "unlimited") return std::nullopt;
  return ParseUnsigned(token);
}

// The limit's name is the words before its first value: names hold single spaces, and the kernel's column
// widths are not something to rely on.
ResourceLimit ParseLimitRow(std::string_view row, std::string_view source, size_t line_number) {
  std::vector<std::string_view> tokens = SplitFields(row);
  size_t first_value = 0;
  while (first_value < tokens.size() && !IsLimitValue(tokens[first_value])) ++first_value;
  if (first_value == 0 || first_value + 1 >= tokens.size() || !IsLimitValue(tokens[first_value + 1])) {
    throw ParseError(source, line_number, "expected a name, a soft and a hard limit");
  }
  ResourceLimit limit;
  for (size_t i = 0; i < first_value; ++i) {
    if (i > 0) limit.name.push_back(' ');
    limit.name.append(tokens[i]);
  }
  limit.soft = LimitValue(tokens[first_value]);
  limit.hard = LimitValue(tokens[first_value + 1]);
  if (first_value + 2 < tokens.size()) limit.unit = tokens[first_value + 2];
  return limit;
}

}  // namespace

ProcessStat ParseProcessStat(std::string_view text, std::string_view source) {
  // The comm is whatever lies between the first '(' and the last ')': a process may name itself "a) (b".
  size_t open = text.find('(');
  size_t close = text.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
    throw ParseError(source, 1, "no parenthesized command name");
  }
  StatFields fields(text.substr(close + 1), source);
  ProcessStat stat;
  stat.comm = text.substr(open + 1, close - open - 1);
  std::string_view state = fields.At(kStateField);
  if (state.size() != 1) throw ParseError(source, 1, "expected a one-letter state, got \"" + std::string(state) + "\"");
  stat.state = state.front();
  stat.user_ticks = fields.Unsigned(kUserTimeField, "utime");
  stat.system_ticks = fields.Unsigned(kSystemTimeField, "stime");
  stat.threads = fields.Unsigned(kThreadsField, "num_threads");
  stat.start_ticks = fields.Unsigned(kStartTimeField, "starttime");
  stat.virtual_memory_bytes = fields.Unsigned(kVirtualMemoryField, "vsize");
  stat.resident_pages = fields.Unsigned(kResidentPagesField, "rss");
  return stat;
}

std::vector<ResourceLimit> ParseProcessLimits(std::string_view text, std::string_view source) {
  std::vector<ResourceLimit> limits;
  std::vector<std::string_view> lines = SplitLines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = Trim(lines[i]);
    if (line.empty() || StartsWith(line, "Limit ")) continue;  // the column titles
    limits.push_back(ParseLimitRow(line, source, i + 1));
  }
  return limits;
}

const ResourceLimit* FindLimit(const std::vector<ResourceLimit>& limits, std::string_view name) {
  for (const auto& limit : limits) {
    if (limit.name == name) return &limit;
  }
  return nullptr;
}

}  // namespace hw_exporter::procfs

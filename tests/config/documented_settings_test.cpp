// The settings tables of README.md and config/README.md, and the example config/hw_exporter.json, are written by
// hand. These tests hold them to the lists --help prints: the settings table (src/config/settings.cpp) and the
// collector table (src/collectors/table.cpp). A failure points at the Markdown line to fix.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/settings.h"
#include "hw_exporter/collectors/collector_table.h"
#include "hw_exporter/config/config.h"
#include "hw_exporter/core/duration.h"
#include "hw_exporter/core/strings.h"

namespace hw_exporter {
namespace {

using namespace config_internal;

// Flags that the command line handles before the settings table: documented, but no setting of their own.
const std::set<std::string> kFlagsOutsideTheTable = {"-h", "--help", "--version"};

std::string SourcePath(const std::string& relative) { return std::string(HW_EXPORTER_SOURCE_DIR) + "/" + relative; }

std::string ReadText(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  EXPECT_TRUE(file.good()) << "cannot read " << path;
  return text.str();
}

// ---- Markdown tables, read simply: a table is a run of lines starting with '|', its second line the separator.

struct Row {
  int line = 0;
  std::vector<std::string> cells;
};

struct Table {
  std::string file;
  std::string heading;  // the last heading above it
  int line = 0;         // of its header
  std::vector<std::string> columns;
  std::vector<Row> rows;
};

// The cells of a table line: split on the pipes that are not escaped as "\|", trimmed, with "\|" made "|".
std::vector<std::string> Cells(std::string_view line) {
  std::vector<std::string> cells;
  std::string cell;
  for (size_t i = 1; i < line.size(); ++i) {  // line[0] is the leading pipe
    if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '|') {
      cell += '|';
      ++i;
    } else if (line[i] == '|') {
      cells.emplace_back(Trim(cell));
      cell.clear();
    } else {
      cell += line[i];
    }
  }
  return cells;
}

std::vector<Table> ReadTables(const std::string& relative) {
  std::vector<Table> tables;
  std::string heading;
  bool in_code = false;
  bool in_table = false;
  int number = 0;
  std::istringstream text(ReadText(SourcePath(relative)));
  for (std::string line; std::getline(text, line);) {
    ++number;
    if (StartsWith(line, "```")) in_code = !in_code;
    if (in_code) continue;
    if (StartsWith(line, "#")) heading = line;
    if (!StartsWith(line, "|")) {
      in_table = false;
    } else if (in_table) {
      if (StartsWith(line, "|---") || StartsWith(line, "| ---")) continue;
      tables.back().rows.push_back({number, Cells(line)});
    } else {
      in_table = true;
      tables.push_back({relative, heading, number, Cells(line), {}});
    }
  }
  return tables;
}

// The tables whose header starts with these columns.
std::vector<Table> TablesWith(const std::string& relative, const std::vector<std::string>& columns) {
  std::vector<Table> found;
  for (Table& table : ReadTables(relative)) {
    if (table.columns.size() >= columns.size() && std::equal(columns.begin(), columns.end(), table.columns.begin())) {
      found.push_back(std::move(table));
    }
  }
  EXPECT_FALSE(found.empty()) << relative << " has no table with the columns " << columns.front() << ", ...";
  return found;
}

// The contents of the `code spans` of a cell, in order.
std::vector<std::string> CodeSpans(std::string_view cell) {
  std::vector<std::string> spans;
  for (size_t open = cell.find('`'); open != std::string_view::npos; open = cell.find('`', open)) {
    const size_t close = cell.find('`', open + 1);
    if (close == std::string_view::npos) break;
    spans.emplace_back(cell.substr(open + 1, close - open - 1));
    open = close + 1;
  }
  return spans;
}

std::string WithoutBackticks(std::string_view cell) {
  std::string text;
  for (char c : cell) {
    if (c != '`') text += c;
  }
  return text;
}

// A failure at the row's line of the Markdown file, naming the row by its first cell.
#define ROW_FAILURE(table, row) \
  ADD_FAILURE_AT((table).file.c_str(), (row).line) << "| " << (row).cells.front() << " |: "

// ---- The code's defaults, and a documented value checked by the setting's own parser.

Draft FinishedDefaults() {
  Draft draft = DefaultDraft();
  Finish(draft);
  return draft;
}

// Empty when the documented value, stored by apply into a copy of the defaults, leaves the setting's shown
// value as it was; else what differs.
std::string DefaultMismatch(const Setting& setting, const Draft& defaults, const std::function<void(Draft&)>& apply) {
  Draft documented = defaults;
  try {
    apply(documented);
  } catch (const std::exception& error) {
    return "the documented default is not a valid value (" + std::string(error.what()) + "); the code's is " +
           setting.show(defaults);
  }
  const std::string shown = setting.show(documented);
  if (shown == setting.show(defaults)) return "";
  return "the documented default is " + shown + ", the code's " + setting.show(defaults);
}

// A default written as "(none)" or left empty: the code's must be empty too.
bool DocumentsNoDefault(const std::string& cell) { return cell.empty() || cell == "(none)"; }

bool ShowsEmpty(const Setting& setting, const Draft& defaults) {
  const std::string shown = setting.show(defaults);
  return shown.empty() || shown == "\"\"";
}

// ---- One documented row of settings: its flags, JSON pointer and default, whichever document it comes from.

struct DocumentedRow {
  std::vector<std::string> flags;  // as written: "--web.threads", "--[no-]cache.enabled", "--no-cache.enabled"
  bool repeatable = false;
  std::string pointer;  // empty for none
  std::string default_cell;
  std::string type_cell;      // config/README.md only
  bool json_default = false;  // the default is written as a JSON value (config/README.md), else as a flag's text
};

std::string FlagName(const std::string& written) {
  for (const char* prefix : {"--[no-]", "--no-", "--"}) {
    if (StartsWith(written, prefix)) return written.substr(std::string_view(prefix).size());
  }
  return written;
}

bool WrittenNegatable(const std::string& written) {
  return StartsWith(written, "--[no-]") || StartsWith(written, "--no-");
}

// Checks one row against the settings and adds the flags it documents to covered.
class RowChecker {
 public:
  RowChecker() : defaults_(FinishedDefaults()) {}

  void Check(const Table& table, const Row& row, const DocumentedRow& documented) {
    std::set<std::string> names;
    bool outside = true;
    for (const std::string& written : documented.flags) {
      if (kFlagsOutsideTheTable.contains(written)) {
        covered_.insert(written);
        continue;
      }
      outside = false;
      names.insert(FlagName(written));
    }
    if (documented.flags.empty() || names.size() > 1) {
      ROW_FAILURE(table, row) << "expected one flag (in backticks), found " << documented.flags.size();
      return;
    }
    if (outside) {
      if (!documented.pointer.empty()) ROW_FAILURE(table, row) << "a command-line-only flag has a config key";
      return;
    }
    const std::string& name = *names.begin();
    if (name.find("<name>") != std::string::npos) {
      CheckTemplate(table, row, documented, name);
      return;
    }
    const Setting* setting = settings_.FindFlag(name);
    if (!setting) {
      ROW_FAILURE(table, row) << "--" << name << " is documented, but the code has no such flag";
      return;
    }
    covered_.insert(name);
    CheckFlagAndPointer(table, row, documented, *setting, documented.pointer);
    CheckDefault(table, row, documented, *setting);
    CheckType(table, row, documented, *setting);
  }

  // Every setting, and every flag outside the table, must have been documented by some row.
  void ExpectAllCovered(const Table& table) const {
    for (const std::string& flag : kFlagsOutsideTheTable) {
      if (flag != "-h" && !covered_.contains(flag)) {
        ADD_FAILURE_AT(table.file.c_str(), table.line) << flag << " is not documented in this table";
      }
    }
    for (const Setting& setting : settings_.all()) {
      if (!covered_.contains(setting.flag)) {
        ADD_FAILURE_AT(table.file.c_str(), table.line)
            << "--" << setting.flag << " (" << (setting.pointer.empty() ? "no config key" : setting.pointer)
            << ") is not documented in these tables";
      }
    }
  }

 private:
  // Each check returns false after reporting a difference.
  bool CheckFlagAndPointer(const Table& table, const Row& row, const DocumentedRow& documented, const Setting& setting,
                           const std::string& pointer) {
    bool ok = true;
    if (setting.pointer != pointer) {
      ROW_FAILURE(table, row) << "--" << setting.flag << ": the config key is documented as "
                              << (pointer.empty() ? "none" : pointer) << ", the code's is "
                              << (setting.pointer.empty() ? "none" : setting.pointer);
      ok = false;
    }
    for (const std::string& written : documented.flags) {
      if (WrittenNegatable(written) && !setting.is_bool) {
        ROW_FAILURE(table, row) << written << ": --" << setting.flag << " is not a boolean, it has no --no- form";
        ok = false;
      }
    }
    if (documented.repeatable != setting.repeatable) {
      ROW_FAILURE(table, row) << "--" << setting.flag << " is " << (setting.repeatable ? "" : "not ")
                              << "repeatable in the code; say \"(repeatable)\" exactly when it is";
      ok = false;
    }
    return ok;
  }

  void CheckDefault(const Table& table, const Row& row, const DocumentedRow& documented, const Setting& setting) {
    const std::string& cell = documented.default_cell;
    if (DocumentsNoDefault(cell)) {
      if (!ShowsEmpty(setting, defaults_)) {
        ROW_FAILURE(table, row) << "no default documented, the code's is " << setting.show(defaults_);
      }
      return;
    }
    const std::vector<std::string> spans = CodeSpans(cell);
    std::function<void(Draft&)> apply;
    if (documented.json_default && !spans.empty()) {
      const nlohmann::json value = nlohmann::json::parse(spans.front(), nullptr, /*allow_exceptions=*/false);
      if (value.is_discarded()) {
        ROW_FAILURE(table, row) << "the default `" << spans.front() << "` is not a JSON value";
        return;
      }
      apply = [&setting, value](Draft& draft) { setting.from_json(draft, value); };
    } else if (!documented.json_default && (!spans.empty() || cell == "on" || cell == "off")) {
      const std::string text = spans.empty() ? (cell == "on" ? "true" : "false") : spans.front();
      apply = [&setting, text](Draft& draft) { setting.from_flags(draft, {text}); };
    } else {
      ROW_FAILURE(table, row) << "the default \"" << cell << "\" is not a value (write it in backticks"
                              << (documented.json_default ? "" : ", or on/off") << ")";
      return;
    }
    const std::string mismatch = DefaultMismatch(setting, defaults_, apply);
    if (!mismatch.empty()) ROW_FAILURE(table, row) << "--" << setting.flag << ": " << mismatch;
  }

  // The type column of config/README.md, as far as the code can confirm it: booleans, lower bounds, choices.
  bool CheckType(const Table& table, const Row& row, const DocumentedRow& documented, const Setting& setting) {
    const std::string& type = documented.type_cell;
    if (type.empty()) return true;
    bool ok = true;
    if ((type == "boolean") != setting.is_bool) {
      ROW_FAILURE(table, row) << "--" << setting.flag << " is " << (setting.is_bool ? "" : "not ")
                              << "a boolean in the code, the type column says " << type;
      ok = false;
    }
    auto accepts = [&](const std::string& text) {
      Draft draft = defaults_;
      try {
        setting.from_flags(draft, {text});
        return true;
      } catch (const InvalidValue&) {
        return false;
      }
    };
    const size_t at_least = type.find(" ≥ ");
    if (StartsWith(type, "duration")) {
      const bool zero_documented = at_least != std::string::npos;
      if (accepts("0") != zero_documented) {
        ROW_FAILURE(table, row) << "--" << setting.flag << (zero_documented ? " rejects" : " accepts")
                                << " 0 in the code, the type column says " << type;
        ok = false;
      }
    } else if (at_least != std::string::npos) {
      const auto minimum = ParseUnsigned(type.substr(at_least + std::string_view(" ≥ ").size()));
      if (!minimum || *minimum == 0 || !accepts(std::to_string(*minimum)) || accepts(std::to_string(*minimum - 1))) {
        ROW_FAILURE(table, row) << "--" << setting.flag << ": the code's lower bound is not the type column's (" << type
                                << ")";
        ok = false;
      }
    }
    for (const std::string& choice : CodeSpans(type)) {
      if (!accepts(choice)) {
        ROW_FAILURE(table, row) << "--" << setting.flag << " rejects `" << choice << "`";
        ok = false;
      }
    }
    return ok;
  }

  // A default written as a multiple of the ttl: "4 × TTL".
  bool CheckTtlMultiple(const Table& table, const Row& row, const DocumentedRow& documented, const Setting& setting,
                        const CollectorInfo& info) {
    const size_t times = documented.default_cell.find(" ×");
    if (times == std::string::npos) return true;
    const auto factor = ParseUnsigned(std::string_view(documented.default_cell).substr(0, times));
    const Duration ttl = defaults_.loaded.config.collectors.at(info.name).ttl;
    if (factor && setting.show(defaults_) == FormatDuration(static_cast<int>(*factor) * ttl)) return true;
    ROW_FAILURE(table, row) << "--" << setting.flag << ": the code's default is " << setting.show(defaults_)
                            << ", the ttl is " << FormatDuration(ttl);
    return false;
  }

  // A row written once for every collector (--collector.<name>.ttl) or every option (--collector.<name>.<option>).
  // Only its first difference is reported: the others are the same one, collector after collector. A repeatable
  // option (a list, an array in the file) is not a string like the others: it needs a row of its own.
  void CheckTemplate(const Table& table, const Row& row, const DocumentedRow& documented, const std::string& name) {
    int expanded = 0;
    bool failed = false;
    auto replace = [](std::string text, const std::string& placeholder, const std::string& value) {
      const size_t at = text.find(placeholder);
      return at == std::string::npos ? text : text.replace(at, placeholder.size(), value);
    };
    for (const CollectorInfo& info : CollectorTable()) {
      std::vector<std::string> keys = {""};
      if (name.find("<option>") != std::string::npos) {
        keys.clear();
        for (const CollectorOption& option : info.options)
          if (!option.repeatable) keys.push_back(option.name);
      }
      for (const std::string& key : keys) {
        const std::string flag = replace(replace(name, "<name>", info.name), "<option>", key);
        const std::string pointer = replace(replace(documented.pointer, "<name>", info.name), "<option>", key);
        const Setting* setting = settings_.FindFlag(flag);
        if (!setting) {
          if (!failed) ROW_FAILURE(table, row) << "--" << flag << " is documented, but the code has no such flag";
          failed = true;
          continue;
        }
        ++expanded;
        covered_.insert(flag);
        if (failed) continue;
        failed = !CheckFlagAndPointer(table, row, documented, *setting, pointer) ||
                 !CheckType(table, row, documented, *setting) ||
                 !CheckTtlMultiple(table, row, documented, *setting, info);
      }
    }
    if (expanded == 0) ROW_FAILURE(table, row) << "--" << name << " stands for no flag of the code";
  }

  const Settings settings_;
  const Draft defaults_;
  std::set<std::string> covered_;
};

std::vector<std::string> WrittenFlags(const std::string& cell) {
  std::vector<std::string> flags;
  for (const std::string& span : CodeSpans(cell)) {
    if (StartsWith(span, "-")) flags.push_back(span);
  }
  return flags;
}

TEST(DocumentedSettings, ReadmeFlagsTableMatchesTheSettings) {
  RowChecker checker;
  const std::vector<Table> tables = TablesWith("README.md", {"flag", "config key", "default", "meaning"});
  for (const Table& table : tables) {
    for (const Row& row : table.rows) {
      ASSERT_GE(row.cells.size(), 3u) << table.file << ":" << row.line;
      const std::vector<std::string> pointer = CodeSpans(row.cells[1]);
      checker.Check(table, row,
                    {.flags = WrittenFlags(row.cells[0]),
                     .repeatable = row.cells[0].find("(repeatable)") != std::string::npos,
                     .pointer = pointer.empty() ? "" : pointer.front(),
                     .default_cell = row.cells[2],
                     .type_cell = "",
                     .json_default = false});
    }
  }
  if (!tables.empty()) checker.ExpectAllCovered(tables.front());
}

TEST(DocumentedSettings, ConfigReadmeTablesMatchTheSettings) {
  RowChecker checker;
  const std::vector<Table> tables = TablesWith("config/README.md", {"key", "flag", "type", "default", "meaning"});
  for (const Table& table : tables) {
    // The section is the heading's code span ("### `web`: the HTTP server"); "### General" has none.
    const std::vector<std::string> section = CodeSpans(table.heading);
    for (const Row& row : table.rows) {
      ASSERT_GE(row.cells.size(), 4u) << table.file << ":" << row.line;
      const std::vector<std::string> key = CodeSpans(row.cells[0]);
      std::string pointer;
      if (!key.empty()) pointer = (section.empty() ? "" : "/" + section.front()) + "/" + key.front();
      checker.Check(table, row,
                    {.flags = WrittenFlags(row.cells[1]),
                     .repeatable = row.cells[1].find("(repeatable)") != std::string::npos,
                     .pointer = pointer,
                     .default_cell = row.cells[3],
                     .type_cell = row.cells[2],
                     .json_default = true});
    }
  }
  if (!tables.empty()) checker.ExpectAllCovered(tables.front());
}

TEST(DocumentedSettings, ExampleConfigSetsEverySettingToItsDefault) {
  const std::string path = SourcePath("config/hw_exporter.json");
  const Settings settings;
  const Draft defaults = FinishedDefaults();
  Draft example = DefaultDraft();
  try {
    ApplyJson(example, settings, ReadJsonFile(path), path);
  } catch (const ConfigError& error) {
    FAIL() << path << ": " << error.where() << ": " << error.what();
  }
  Finish(example);
  for (const Setting& setting : settings.all()) {
    if (setting.pointer.empty()) continue;
    if (!example.loaded.sources.contains(setting.pointer)) {
      ADD_FAILURE() << path << ": " << setting.pointer << " is missing (the code's default is "
                    << setting.show(defaults) << ")";
    } else if (setting.show(example) != setting.show(defaults)) {
      ADD_FAILURE() << path << ": " << setting.pointer << " is " << setting.show(example) << ", the code's default is "
                    << setting.show(defaults);
    }
  }
}

// ---- The collectors: defaults, TTLs, timeouts and options.

// The collector a row names in its first cell, or nullptr after reporting it; seen collects the names.
const CollectorInfo* RowCollector(const Table& table, const Row& row, std::set<std::string>& seen) {
  const std::string name = WithoutBackticks(row.cells.front());
  const CollectorInfo* info = FindCollector(name);
  if (!info) {
    ROW_FAILURE(table, row) << "no collector \"" << name << "\" in the collector table";
  } else if (!seen.insert(name).second) {
    ROW_FAILURE(table, row) << "collector " << name << " is documented twice";
  }
  return info;
}

void ExpectEveryCollector(const Table& table, const std::set<std::string>& seen) {
  for (const CollectorInfo& info : CollectorTable()) {
    if (!seen.contains(info.name)) {
      ADD_FAILURE_AT(table.file.c_str(), table.line) << "collector " << info.name << " has no row";
    }
  }
}

void ExpectOnOff(const Table& table, const Row& row, const std::string& cell, const CollectorInfo& info) {
  const std::string code = info.enabled_by_default ? "on" : "off";
  if (cell != code) ROW_FAILURE(table, row) << "default \"" << cell << "\", the code's is " << code;
}

void ExpectDuration(const Table& table, const Row& row, const std::string& what, const std::string& cell,
                    Duration code) {
  const std::optional<Duration> documented = ParseDuration(WithoutBackticks(cell));
  if (documented != code) {
    ROW_FAILURE(table, row) << what << " \"" << cell << "\", the code's is " << FormatDuration(code);
  }
}

// The options cell of README.md's collector table: "`guest` (true), `flags-include`, `bugs-include` (empty;
// either implies info), `device-exclude` (`^lo$`)". A parenthesis gives the default of the names since the last
// one: a value in backticks, "empty", or one bare word; any other text is prose and states no default. A name
// without a parenthesis defaults to empty.
std::vector<std::pair<std::string, std::optional<std::string>>> ReadmeOptions(std::string_view cell) {
  std::vector<std::pair<std::string, std::optional<std::string>>> options;
  size_t run_start = 0;  // first option of the names waiting for a default
  for (size_t i = 0; i < cell.size(); ++i) {
    if (cell[i] == '`') {
      const size_t close = cell.find('`', i + 1);
      if (close == std::string_view::npos) break;
      options.emplace_back(std::string(cell.substr(i + 1, close - i - 1)), "");
      i = close;
    } else if (cell[i] == '(') {
      // To the matching parenthesis, skipping those inside code spans.
      size_t end = i + 1;
      for (int depth = 1; end < cell.size(); ++end) {
        if (cell[end] == '`') {
          end = cell.find('`', end + 1);
          if (end == std::string_view::npos) return options;
        } else if (cell[end] == '(') {
          ++depth;
        } else if (cell[end] == ')' && --depth == 0) {
          break;
        }
      }
      const std::string_view inside = cell.substr(i + 1, end - i - 1);
      const std::string_view note = Trim(inside.substr(0, inside.find(';')));
      std::optional<std::string> value;
      const std::vector<std::string> spans = CodeSpans(note);
      if (note == "empty") {
        value = "";
      } else if (spans.size() == 1 && note.size() == spans.front().size() + 2) {
        value = spans.front();
      } else if (!note.empty() && note.find(' ') == std::string_view::npos) {
        value = std::string(note);
      }
      for (size_t k = run_start; k < options.size(); ++k) options[k].second = value;
      run_start = options.size();
      i = end;
    }
  }
  return options;
}

void ExpectOptions(const Table& table, const Row& row, const CollectorInfo& info,
                   const std::vector<std::pair<std::string, std::optional<std::string>>>& documented) {
  std::set<std::string> seen;
  for (const auto& [name, value] : documented) {
    auto option = std::find_if(info.options.begin(), info.options.end(),
                               [&](const CollectorOption& o) { return o.name == name; });
    if (option == info.options.end()) {
      ROW_FAILURE(table, row) << "option " << name << " is documented, but " << info.name << " has none such";
      continue;
    }
    seen.insert(name);
    if (value && *value != option->default_value) {
      ROW_FAILURE(table, row) << "option " << name << ": the documented default is \"" << *value << "\", the code's \""
                              << option->default_value << "\"";
    }
  }
  for (const CollectorOption& option : info.options) {
    if (!seen.contains(option.name)) ROW_FAILURE(table, row) << "option " << option.name << " is not documented";
  }
}

TEST(DocumentedSettings, ReadmeCollectorTableMatchesTheCollectorTable) {
  const std::vector<Table> tables = TablesWith("README.md", {"collector", "default", "TTL", "timeout"});
  ASSERT_EQ(tables.size(), 1u);
  const Table& table = tables.front();
  const size_t options_column = table.columns.size() - 1;
  ASSERT_TRUE(StartsWith(table.columns[options_column], "options")) << table.columns[options_column];
  std::set<std::string> seen;
  for (const Row& row : table.rows) {
    ASSERT_EQ(row.cells.size(), table.columns.size()) << table.file << ":" << row.line;
    const CollectorInfo* info = RowCollector(table, row, seen);
    if (!info) continue;
    ExpectOnOff(table, row, row.cells[1], *info);
    ExpectDuration(table, row, "TTL", row.cells[2], info->default_ttl);
    ExpectDuration(table, row, "timeout", row.cells[3], info->default_timeout);
    ExpectOptions(table, row, *info, ReadmeOptions(row.cells[options_column]));
  }
  ExpectEveryCollector(table, seen);
}

TEST(DocumentedSettings, ConfigReadmeCollectorTablesMatchTheCollectorTable) {
  const std::vector<Table> defaults = TablesWith("config/README.md", {"collector", "default", "ttl", "timeout"});
  ASSERT_EQ(defaults.size(), 1u);
  const Table& table = defaults.front();
  std::set<std::string> seen;
  for (const Row& row : table.rows) {
    ASSERT_EQ(row.cells.size(), 6u) << table.file << ":" << row.line;
    const CollectorInfo* info = RowCollector(table, row, seen);
    if (!info) continue;
    ExpectOnOff(table, row, row.cells[1], *info);
    ExpectDuration(table, row, "ttl", row.cells[2], info->default_ttl);
    ExpectDuration(table, row, "timeout", row.cells[3], info->default_timeout);
    ExpectDuration(table, row, "max_staleness", row.cells[4], 4 * info->default_ttl);
    if (row.cells[5] != info->help) ROW_FAILURE(table, row) << "the source is not the collector's help: " << info->help;
  }
  ExpectEveryCollector(table, seen);

  const std::vector<Table> options = TablesWith("config/README.md", {"collector", "option", "default", "meaning"});
  ASSERT_EQ(options.size(), 1u);
  std::map<std::string, std::vector<std::pair<std::string, std::optional<std::string>>>> documented;
  std::map<std::string, const Row*> first_row;
  for (const Row& row : options.front().rows) {
    ASSERT_EQ(row.cells.size(), 4u) << options.front().file << ":" << row.line;
    const std::string collector = WithoutBackticks(row.cells[0]);
    const std::string option = WithoutBackticks(row.cells[1]);
    const std::vector<std::string> spans = CodeSpans(row.cells[2]);
    std::string value = row.cells[2];
    if (value == "(empty)") {
      value.clear();
    } else if (!spans.empty()) {
      value = spans.front();
    }
    documented[collector].emplace_back(option, value);
    first_row.emplace(collector, &row);
    const CollectorInfo* info = FindCollector(collector);
    if (!info) continue;
    for (const CollectorOption& known : info->options) {
      if (known.name == option && row.cells[3] != known.help) {
        ROW_FAILURE(options.front(), row) << "the meaning is not the option's help: " << known.help;
      }
    }
  }
  for (const auto& [collector, rows] : documented) {
    const CollectorInfo* info = FindCollector(collector);
    if (!info) {
      ROW_FAILURE(options.front(), *first_row.at(collector)) << "no collector \"" << collector << "\"";
      continue;
    }
    ExpectOptions(options.front(), *first_row.at(collector), *info, rows);
  }
  for (const CollectorInfo& info : CollectorTable()) {
    if (!info.options.empty() && !documented.contains(info.name)) {
      ADD_FAILURE_AT(options.front().file.c_str(), options.front().line)
          << "the options of " << info.name << " are not documented";
    }
  }
}

}  // namespace
}  // namespace hw_exporter

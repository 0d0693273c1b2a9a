#include "hw_exporter/core/log.h"

#include <spdlog/formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <time.h>

#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace hw_exporter::log {

namespace {

// Indexed by Level and Format.
constexpr std::array<std::string_view, 4> kLevelNames{"debug", "info", "warn", "error"};
constexpr std::array<std::string_view, 2> kFormatNames{"logfmt", "json"};

// The fields of the event Log() is writing on this thread. spdlog's message carries only text, and a
// synchronous logger formats on the calling thread, so this is how the fields reach the formatter. Plain
// spdlog calls find it empty.
thread_local std::span<const Field> current_fields;

class CurrentFields {
 public:
  explicit CurrentFields(std::span<const Field> fields) { current_fields = fields; }
  ~CurrentFields() { current_fields = {}; }
  CurrentFields(const CurrentFields&) = delete;
  CurrentFields& operator=(const CurrentFields&) = delete;
};

spdlog::level::level_enum ToSpdlog(Level level) {
  switch (level) {
    case Level::kDebug: return spdlog::level::debug;
    case Level::kInfo: return spdlog::level::info;
    case Level::kWarn: return spdlog::level::warn;
    case Level::kError: return spdlog::level::err;
  }
  return spdlog::level::err;
}

// spdlog has six levels; trace reads as debug and critical as error.
Level FromSpdlog(spdlog::level::level_enum level) {
  if (level <= spdlog::level::debug) return Level::kDebug;
  if (level == spdlog::level::info) return Level::kInfo;
  if (level == spdlog::level::warn) return Level::kWarn;
  return Level::kError;
}

std::string Timestamp(std::chrono::system_clock::time_point time) {
  using namespace std::chrono;
  const auto since_epoch = duration_cast<milliseconds>(time.time_since_epoch());
  const time_t seconds = static_cast<time_t>(floor<std::chrono::seconds>(since_epoch).count());
  const long long millis = since_epoch.count() - static_cast<long long>(seconds) * 1000;
  tm utc{};
  gmtime_r(&seconds, &utc);
  char text[64];  // wide enough for any int fields, as -Wformat-truncation checks
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03lldZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, millis);
  return text;
}

// The event's own keys win: a field that reuses one is renamed rather than shadowing it.
std::string FieldKey(std::string_view key) {
  if (key == "ts" || key == "level" || key == "msg") return "field_" + std::string(key);
  return std::string(key);
}

// logfmt (as go-logfmt reads it): a bare word unless it holds blanks, control characters, '=' or '"'.
bool NeedsQuotes(std::string_view value) {
  if (value.empty()) return true;
  for (char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= ' ' || byte == 0x7f || c == '=' || c == '"') return true;
  }
  return false;
}

void AppendLogfmtValue(std::string& line, std::string_view value) {
  if (!NeedsQuotes(value)) {
    line += value;
    return;
  }
  line += '"';
  for (char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"': line += "\\\""; break;
      case '\\': line += "\\\\"; break;
      case '\n': line += "\\n"; break;
      case '\r': line += "\\r"; break;
      case '\t': line += "\\t"; break;
      default:
        if (byte < ' ' || byte == 0x7f) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(byte));
          line += escaped;
        } else {
          line += c;
        }
    }
  }
  line += '"';
}

// Keys come from code, but a stray blank or '=' would make the whole line unreadable.
void AppendLogfmtKey(std::string& line, std::string_view key) {
  if (key.empty()) key = "_";
  for (char c : key) {
    const auto byte = static_cast<unsigned char>(c);
    line += (byte <= ' ' || byte == 0x7f || c == '=' || c == '"') ? '_' : c;
  }
}

void AppendLogfmtPair(std::string& line, std::string_view key, std::string_view value) {
  if (!line.empty()) line += ' ';
  AppendLogfmtKey(line, key);
  line += '=';
  AppendLogfmtValue(line, value);
}

// Invalid UTF-8 is replaced rather than thrown on: a log line must always come out.
void AppendJsonString(std::string& line, std::string_view text) {
  line += nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void AppendJsonPair(std::string& line, std::string_view key, std::string_view value) {
  line += line.size() > 1 ? "," : "";
  AppendJsonString(line, key);
  line += ':';
  AppendJsonString(line, value);
}

class EventFormatter final : public spdlog::formatter {
 public:
  explicit EventFormatter(Format format) : format_(format) {}

  void format(const spdlog::details::log_msg& message, spdlog::memory_buf_t& destination) override {
    const std::string line = FormatEvent(format_, message.time, FromSpdlog(message.level),
                                         std::string_view(message.payload.data(), message.payload.size()),
                                         current_fields);
    destination.append(line.data(), line.data() + line.size());
    destination.push_back('\n');
  }

  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<EventFormatter>(format_); }

 private:
  Format format_;
};

// One logger for the whole process, made on first use with the defaults (info, logfmt, stderr), and installed
// as spdlog's default so that direct spdlog calls share its sink and format.
spdlog::logger& ProcessLogger() {
  static const std::shared_ptr<spdlog::logger> logger = [] {
    auto created = std::make_shared<spdlog::logger>("hw_exporter", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    created->set_formatter(std::make_unique<EventFormatter>(Format::kLogfmt));
    created->set_level(spdlog::level::info);
    spdlog::set_default_logger(created);
    return created;
  }();
  return *logger;
}

template <typename Enum, size_t N>
std::optional<Enum> FindName(const std::array<std::string_view, N>& names, std::string_view name) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

}  // namespace

std::span<const std::string_view> LevelNames() { return kLevelNames; }
std::span<const std::string_view> FormatNames() { return kFormatNames; }

std::optional<Level> ParseLevel(std::string_view name) { return FindName<Level>(kLevelNames, name); }
std::optional<Format> ParseFormat(std::string_view name) { return FindName<Format>(kFormatNames, name); }

std::string FormatEvent(Format format, std::chrono::system_clock::time_point time, Level level,
                        std::string_view message, std::span<const Field> fields) {
  const std::string_view level_name = kLevelNames[static_cast<size_t>(level)];
  std::string line;
  if (format == Format::kLogfmt) {
    AppendLogfmtPair(line, "ts", Timestamp(time));
    AppendLogfmtPair(line, "level", level_name);
    AppendLogfmtPair(line, "msg", message);
    for (const auto& [key, value] : fields) AppendLogfmtPair(line, FieldKey(key), value);
    return line;
  }
  line += '{';
  AppendJsonPair(line, "ts", Timestamp(time));
  AppendJsonPair(line, "level", level_name);
  AppendJsonPair(line, "msg", message);
  for (const auto& [key, value] : fields) AppendJsonPair(line, FieldKey(key), value);
  line += '}';
  return line;
}

void ConfigureLogging(Level level, Format format) {
  ConfigureLogging(level, format, std::make_shared<spdlog::sinks::stderr_sink_mt>());
}

void ConfigureLogging(Level level, Format format, std::shared_ptr<spdlog::sinks::sink> sink) {
  spdlog::logger& logger = ProcessLogger();
  logger.sinks() = {std::move(sink)};
  logger.set_formatter(std::make_unique<EventFormatter>(format));
  logger.set_level(ToSpdlog(level));
}

void Reconfigure(Level level, Format format) {
  spdlog::logger& logger = ProcessLogger();
  logger.set_formatter(std::make_unique<EventFormatter>(format));  // each sink swaps it under its own lock
  logger.set_level(ToSpdlog(level));
}

bool Enabled(Level level) { return ProcessLogger().should_log(ToSpdlog(level)); }

void Log(Level level, std::string_view message, Fields fields) {
  spdlog::logger& logger = ProcessLogger();
  if (!logger.should_log(ToSpdlog(level))) return;
  CurrentFields scope({fields.begin(), fields.size()});
  logger.log(ToSpdlog(level), spdlog::string_view_t(message.data(), message.size()));
}

Logger::Logger(Fields bound) : bound_(bound.begin(), bound.end()) {}

void Logger::Log(Level level, std::string_view message, Fields fields) const {
  spdlog::logger& logger = ProcessLogger();
  if (!logger.should_log(ToSpdlog(level))) return;
  std::vector<Field> all;
  all.reserve(bound_.size() + fields.size());
  for (const auto& [key, value] : bound_) all.emplace_back(key, value);
  all.insert(all.end(), fields.begin(), fields.end());
  CurrentFields scope(all);
  logger.log(ToSpdlog(level), spdlog::string_view_t(message.data(), message.size()));
}

}  // namespace hw_exporter::log

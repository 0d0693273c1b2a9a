#pragma once

// Structured logging: one line per event on stderr, as logfmt
//   ts=2026-11-21T16:45:57.123Z level=info msg=listening address=[::]:9877
// or as JSON
//   {"ts":"2026-11-21T16:45:57.123Z","level":"info","msg":"listening","address":"[::]:9877"}
// The format is chosen once at start. Calls are thread-safe. Plain spdlog calls elsewhere (spdlog::warn(...))
// come out in the same format, with their text as msg.

#include <chrono>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spdlog::sinks {
class sink;
}

namespace hw_exporter::log {

enum class Level { kDebug, kInfo, kWarn, kError };
enum class Format { kLogfmt, kJson };

// The names the configuration accepts, in order of severity / declaration.
std::span<const std::string_view> LevelNames();   // debug, info, warn, error
std::span<const std::string_view> FormatNames();  // logfmt, json

std::optional<Level> ParseLevel(std::string_view name);
std::optional<Format> ParseFormat(std::string_view name);

// A key and its value, e.g. {"collector", "cpu"}. Keys are chosen by the code; values may be anything.
using Field = std::pair<std::string_view, std::string>;
using Fields = std::initializer_list<Field>;

// Replaces the destination, threshold and format of every later event. Call it at start, before other
// threads log; the sink overload lets tests capture lines.
void ConfigureLogging(Level level, Format format);
void ConfigureLogging(Level level, Format format, std::shared_ptr<spdlog::sinks::sink> sink);
// Changes the level and format while other threads log (a reload); the sinks stay.
void Reconfigure(Level level, Format format);

// False when events of this level are filtered out: skip building expensive fields.
bool Enabled(Level level);

void Log(Level level, std::string_view message, Fields fields = {});
inline void Debug(std::string_view message, Fields fields = {}) { Log(Level::kDebug, message, fields); }
inline void Info(std::string_view message, Fields fields = {}) { Log(Level::kInfo, message, fields); }
inline void Warn(std::string_view message, Fields fields = {}) { Log(Level::kWarn, message, fields); }
inline void Error(std::string_view message, Fields fields = {}) { Log(Level::kError, message, fields); }

// Events of one component, each carrying the fields bound at construction first (collector=cpu ...), so that
// every line of that component can be found by them.
class Logger {
 public:
  Logger() = default;
  explicit Logger(Fields bound);

  void Log(Level level, std::string_view message, Fields fields = {}) const;
  void Debug(std::string_view message, Fields fields = {}) const { Log(Level::kDebug, message, fields); }
  void Info(std::string_view message, Fields fields = {}) const { Log(Level::kInfo, message, fields); }
  void Warn(std::string_view message, Fields fields = {}) const { Log(Level::kWarn, message, fields); }
  void Error(std::string_view message, Fields fields = {}) const { Log(Level::kError, message, fields); }

 private:
  std::vector<std::pair<std::string, std::string>> bound_;
};

// One event as a line without the newline; what the sink receives. Exposed for tests.
std::string FormatEvent(Format format, std::chrono::system_clock::time_point time, Level level,
                        std::string_view message, std::span<const Field> fields);

}  // namespace hw_exporter::log

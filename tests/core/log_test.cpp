#include "hw_exporter/core/log.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>
#include <vector>

#include "hw_exporter/core/strings.h"

namespace hw_exporter::log {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

const system_clock::time_point kTime = sys_days{year{2026} / November / 21} + 16h + 45min + 57s + 123ms;

std::string Logfmt(std::string_view message, Fields fields = {}) {
  return FormatEvent(Format::kLogfmt, kTime, Level::kInfo, message, {fields.begin(), fields.size()});
}

std::string Json(std::string_view message, Fields fields = {}) {
  return FormatEvent(Format::kJson, kTime, Level::kInfo, message, {fields.begin(), fields.size()});
}

TEST(LogNames, ParseEveryNameTheyList) {
  ASSERT_EQ(LevelNames().size(), 4u);
  EXPECT_EQ(ParseLevel("debug"), Level::kDebug);
  EXPECT_EQ(ParseLevel("info"), Level::kInfo);
  EXPECT_EQ(ParseLevel("warn"), Level::kWarn);
  EXPECT_EQ(ParseLevel("error"), Level::kError);
  EXPECT_EQ(ParseFormat("logfmt"), Format::kLogfmt);
  EXPECT_EQ(ParseFormat("json"), Format::kJson);
  for (std::string_view name : LevelNames()) EXPECT_TRUE(ParseLevel(name)) << name;
  for (std::string_view name : FormatNames()) EXPECT_TRUE(ParseFormat(name)) << name;
  EXPECT_EQ(ParseLevel("warning"), std::nullopt);
  EXPECT_EQ(ParseLevel("INFO"), std::nullopt);
  EXPECT_EQ(ParseFormat("text"), std::nullopt);
}

TEST(FormatEvent, LogfmtLeavesPlainValuesBare) {
  EXPECT_EQ(Logfmt("listening", {{"address", "[::]:9877"}}),
            "ts=2026-11-21T16:45:57.123Z level=info msg=listening address=[::]:9877");
}

TEST(FormatEvent, LogfmtQuotesAndEscapesWhereNeeded) {
  EXPECT_EQ(Logfmt("collector failed", {{"err", "open /proc/stat: No such file"}}),
            R"(ts=2026-11-21T16:45:57.123Z level=info msg="collector failed" err="open /proc/stat: No such file")");
  EXPECT_EQ(Logfmt("m", {{"k", "a=b"}}), R"(ts=2026-11-21T16:45:57.123Z level=info msg=m k="a=b")");
  EXPECT_EQ(Logfmt("m", {{"k", R"(say "hi")"}}), R"(ts=2026-11-21T16:45:57.123Z level=info msg=m k="say \"hi\"")");
  EXPECT_EQ(Logfmt("m", {{"k", "a\\b c"}}), R"(ts=2026-11-21T16:45:57.123Z level=info msg=m k="a\\b c")");
  EXPECT_EQ(Logfmt("m", {{"k", "one\ntwo\tthree\r"}}),
            R"(ts=2026-11-21T16:45:57.123Z level=info msg=m k="one\ntwo\tthree\r")");
  EXPECT_EQ(Logfmt("m", {{"k", std::string("bell\x07", 5)}}),
            R"(ts=2026-11-21T16:45:57.123Z level=info msg=m k="bell\u0007")");
  EXPECT_EQ(Logfmt("m", {{"k", ""}}), R"(ts=2026-11-21T16:45:57.123Z level=info msg=m k="")");
  // A lone backslash needs no quotes: only blanks, '=' and '"' end a bare value.
  EXPECT_EQ(Logfmt("m", {{"k", R"(C:\x)"}}), R"(ts=2026-11-21T16:45:57.123Z level=info msg=m k=C:\x)");
}

TEST(FormatEvent, LogfmtKeysCannotBreakTheLine) {
  EXPECT_EQ(Logfmt("m", {{"a key=x", "v"}}), "ts=2026-11-21T16:45:57.123Z level=info msg=m a_key_x=v");
}

TEST(FormatEvent, FieldsCannotShadowTheEventsOwnKeys) {
  EXPECT_EQ(Logfmt("m", {{"msg", "v"}, {"level", "x"}}),
            "ts=2026-11-21T16:45:57.123Z level=info msg=m field_msg=v field_level=x");
  auto parsed = nlohmann::json::parse(Json("m", {{"ts", "x"}}));
  EXPECT_EQ(parsed["ts"], "2026-11-21T16:45:57.123Z");
  EXPECT_EQ(parsed["field_ts"], "x");
}

TEST(FormatEvent, JsonKeepsOrderAndEscapes) {
  EXPECT_EQ(Json("listening", {{"address", "[::]:9877"}}),
            R"({"ts":"2026-11-21T16:45:57.123Z","level":"info","msg":"listening","address":"[::]:9877"})");
  const std::string tricky = "quote\" backslash\\ newline\n tab\t nul" + std::string(1, '\0') + " =x";
  auto parsed = nlohmann::json::parse(Json("m \"x\"", {{"err", tricky}}));
  EXPECT_EQ(parsed["msg"], "m \"x\"");
  EXPECT_EQ(parsed["err"], tricky);
}

TEST(FormatEvent, JsonSurvivesInvalidUtf8) {
  const std::string line = Json("m", {{"raw", "\xff\xfe ok"}});
  auto parsed = nlohmann::json::parse(line);
  EXPECT_TRUE(EndsWith(parsed["raw"].get<std::string>(), " ok")) << line;
}

TEST(FormatEvent, TimestampIsUtcWithMilliseconds) {
  EXPECT_TRUE(StartsWith(FormatEvent(Format::kLogfmt, system_clock::time_point{}, Level::kError, "m", {}),
                         "ts=1970-01-01T00:00:00.000Z level=error "));
  EXPECT_TRUE(StartsWith(FormatEvent(Format::kLogfmt, system_clock::time_point{} + 1001ms, Level::kWarn, "m", {}),
                         "ts=1970-01-01T00:00:01.001Z level=warn "));
}

// Routes the process logger into a string for the test's duration, then back to stderr.
class CapturedLog : public ::testing::Test {
 protected:
  void Capture(Level level, Format format) {
    ConfigureLogging(level, format, std::make_shared<spdlog::sinks::ostream_sink_mt>(stream_));
  }
  void TearDown() override { ConfigureLogging(Level::kInfo, Format::kLogfmt); }

  std::vector<std::string> Lines() const {
    std::vector<std::string> lines;
    std::istringstream input(stream_.str());
    for (std::string line; std::getline(input, line);) lines.push_back(line);
    return lines;
  }

  std::ostringstream stream_;
};

TEST_F(CapturedLog, FiltersBelowTheConfiguredLevel) {
  Capture(Level::kWarn, Format::kLogfmt);
  EXPECT_FALSE(Enabled(Level::kInfo));
  EXPECT_TRUE(Enabled(Level::kError));
  Debug("hidden debug");
  Info("hidden info");
  Warn("shown", {{"collector", "cpu"}});
  Error("also shown", {{"err", "boom"}});
  auto lines = Lines();
  ASSERT_EQ(lines.size(), 2u) << stream_.str();
  EXPECT_TRUE(EndsWith(lines[0], " level=warn msg=shown collector=cpu")) << lines[0];
  EXPECT_TRUE(EndsWith(lines[1], R"( level=error msg="also shown" err=boom)")) << lines[1];
  EXPECT_TRUE(StartsWith(lines[0], "ts=")) << lines[0];
}

TEST_F(CapturedLog, DebugLevelShowsEverything) {
  Capture(Level::kDebug, Format::kLogfmt);
  Debug("d");
  Info("i");
  EXPECT_EQ(Lines().size(), 2u) << stream_.str();
}

TEST_F(CapturedLog, JsonLinesParseBack) {
  Capture(Level::kInfo, Format::kJson);
  Info("listening", {{"address", "[::]:9877"}});
  Error("collector failed", {{"collector", "smartctl"}, {"err", "exit status 2: \"no device\"\n"}});
  auto lines = Lines();
  ASSERT_EQ(lines.size(), 2u) << stream_.str();
  auto first = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(first["level"], "info");
  EXPECT_EQ(first["msg"], "listening");
  EXPECT_EQ(first["address"], "[::]:9877");
  EXPECT_TRUE(first["ts"].is_string());
  auto second = nlohmann::json::parse(lines[1]);
  EXPECT_EQ(second["level"], "error");
  EXPECT_EQ(second["err"], "exit status 2: \"no device\"\n");
}

TEST_F(CapturedLog, PlainSpdlogCallsComeOutInTheSameFormat) {
  Capture(Level::kInfo, Format::kJson);
  spdlog::warn("from {} directly", "spdlog");
  auto lines = Lines();
  ASSERT_EQ(lines.size(), 1u) << stream_.str();
  auto parsed = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(parsed["level"], "warn");
  EXPECT_EQ(parsed["msg"], "from spdlog directly");
  EXPECT_EQ(parsed.size(), 3u) << lines[0];
}

TEST_F(CapturedLog, ConcurrentEventsStayWholeLines) {
  Capture(Level::kInfo, Format::kJson);
  constexpr int kThreads = 4;
  constexpr int kEvents = 200;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t] {
      for (int i = 0; i < kEvents; ++i) Info("event", {{"thread", std::to_string(t)}, {"i", std::to_string(i)}});
    });
  }
  for (auto& thread : threads) thread.join();
  auto lines = Lines();
  ASSERT_EQ(lines.size(), static_cast<size_t>(kThreads * kEvents));
  std::vector<int> per_thread(kThreads);
  for (const auto& line : lines) {
    auto parsed = nlohmann::json::parse(line);
    ++per_thread.at(std::stoul(parsed["thread"].get<std::string>()));
  }
  for (int count : per_thread) EXPECT_EQ(count, kEvents);
}

}  // namespace
}  // namespace hw_exporter::log

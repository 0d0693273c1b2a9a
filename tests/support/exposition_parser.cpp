#include "support/exposition_parser.h"

#include <cerrno>
#include <cstdlib>

namespace hw_exporter::testing {

namespace {

bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

// Reads one line's tokens left to right; every failure names the line.
class LineReader {
 public:
  LineReader(std::string_view line, size_t number) : line_(line), number_(number) {}

  [[noreturn]] void Fail(const std::string& reason) const {
    throw ExpositionParseError("line " + std::to_string(number_) + ": " + reason + ": " + std::string(line_));
  }

  bool AtEnd() const { return position_ >= line_.size(); }
  char Peek() const { return AtEnd() ? '\0' : line_[position_]; }
  void SkipBlanks() {
    while (!AtEnd() && (Peek() == ' ' || Peek() == '\t')) ++position_;
  }
  void Expect(char c) {
    if (Peek() != c) Fail(std::string("expected '") + c + "'");
    ++position_;
  }

  // A metric name ([a-zA-Z_:][a-zA-Z0-9_:]*) or, without colons, a label name.
  std::string Name(bool colons_allowed) {
    size_t start = position_;
    auto allowed = [&](char c, bool first) {
      return (first ? IsNameStart(c) : IsNameChar(c)) || (colons_allowed && c == ':');
    };
    while (!AtEnd() && allowed(Peek(), position_ == start)) ++position_;
    if (position_ == start) Fail(colons_allowed ? "expected a metric name" : "expected a label name");
    return std::string(line_.substr(start, position_ - start));
  }

  // The rest of a token up to the next blank.
  std::string_view Token() {
    size_t start = position_;
    while (!AtEnd() && Peek() != ' ' && Peek() != '\t') ++position_;
    return line_.substr(start, position_ - start);
  }

  std::string_view Rest() const { return line_.substr(std::min(position_, line_.size())); }

  // A double-quoted label value with \\, \" and \n escapes.
  std::string QuotedValue() {
    Expect('"');
    std::string value;
    for (;;) {
      if (AtEnd()) Fail("unterminated label value");
      char c = line_[position_++];
      if (c == '"') return value;
      if (c != '\\') {
        value += c;
        continue;
      }
      if (AtEnd()) Fail("unterminated escape");
      char escaped = line_[position_++];
      if (escaped == 'n') value += '\n';
      else if (escaped == '\\' || escaped == '"') value += escaped;
      else Fail(std::string("invalid escape \\") + escaped);
    }
  }

  SeriesLabels Labels() {
    SeriesLabels labels;
    Expect('{');
    SkipBlanks();
    while (Peek() != '}') {
      std::string name = Name(false);
      SkipBlanks();
      Expect('=');
      SkipBlanks();
      std::string value = QuotedValue();
      if (!labels.emplace(name, std::move(value)).second) Fail("label " + name + " repeated");
      SkipBlanks();
      if (Peek() == ',') {
        ++position_;
        SkipBlanks();
      } else if (Peek() != '}') {
        Fail("expected ',' or '}'");
      }
    }
    Expect('}');
    return labels;
  }

 private:
  std::string_view line_;
  size_t number_;
  size_t position_ = 0;
};

// Go's ParseFloat spellings that the format uses: decimal and exponent forms, NaN, +Inf, -Inf.
double ParseValue(std::string_view token, LineReader& reader) {
  if (token.empty()) reader.Fail("expected a value");
  std::string text(token);
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) reader.Fail("not a number: " + text);
  return value;
}

std::string UnescapeHelp(std::string_view text, LineReader& reader) {
  std::string help;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      help += text[i];
      continue;
    }
    if (++i == text.size()) reader.Fail("HELP ends in a lone backslash");
    if (text[i] == 'n') help += '\n';
    else if (text[i] == '\\') help += '\\';
    else if (text[i] == '"') help += '"';  // OpenMetrics
    else reader.Fail(std::string("invalid escape in HELP \\") + text[i]);
  }
  return help;
}

void ParseComment(LineReader& reader, ParsedExposition& exposition) {
  reader.Expect('#');
  reader.SkipBlanks();
  std::string_view keyword = reader.Token();
  if (keyword != "HELP" && keyword != "TYPE") return;  // any other comment
  reader.SkipBlanks();
  std::string name = reader.Name(true);
  if (!reader.AtEnd() && reader.Peek() != ' ' && reader.Peek() != '\t') reader.Fail("invalid metric name");
  if (keyword == "HELP") {
    reader.SkipBlanks();
    if (!exposition.help.emplace(name, UnescapeHelp(reader.Rest(), reader)).second) reader.Fail("second HELP");
    return;
  }
  reader.SkipBlanks();
  std::string type(reader.Token());
  reader.SkipBlanks();
  if (!reader.AtEnd()) reader.Fail("text after the type");
  if (type != "counter" && type != "gauge" && type != "untyped" && type != "unknown" && type != "summary" &&
      type != "histogram") {
    reader.Fail("unknown type " + type);
  }
  if (!exposition.type.emplace(name, type).second) reader.Fail("second TYPE");
}

ParsedSample ParseSample(LineReader& reader) {
  ParsedSample sample;
  sample.name = reader.Name(true);
  bool blank = reader.Peek() == ' ' || reader.Peek() == '\t';
  reader.SkipBlanks();
  if (reader.Peek() == '{') {
    sample.labels = reader.Labels();
    blank = true;  // the closing brace separates as well as a blank does
    reader.SkipBlanks();
  }
  if (!blank) reader.Fail("expected a blank before the value");
  sample.value = ParseValue(reader.Token(), reader);
  reader.SkipBlanks();
  if (!reader.AtEnd()) {
    std::string timestamp(reader.Token());
    char* end = nullptr;
    errno = 0;
    long long milliseconds = std::strtoll(timestamp.c_str(), &end, 10);
    if (timestamp.empty() || end != timestamp.c_str() + timestamp.size() || errno != 0) {
      reader.Fail("not a timestamp: " + timestamp);
    }
    sample.timestamp_ms = milliseconds;
    reader.SkipBlanks();
    if (!reader.AtEnd()) reader.Fail("text after the timestamp");
  }
  return sample;
}

}  // namespace

ParsedExposition ParseExposition(std::string_view text) {
  ParsedExposition exposition;
  size_t number = 0;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++number;
    LineReader reader(line, number);
    reader.SkipBlanks();
    if (reader.AtEnd()) continue;
    if (reader.Peek() == '#') {
      ParseComment(reader, exposition);
    } else {
      exposition.samples.push_back(ParseSample(reader));
    }
  }
  return exposition;
}

std::string SeriesKey(const std::string& name, const SeriesLabels& labels) {
  std::string key = name + "{";
  bool first = true;
  for (const auto& [label, value] : labels) {
    if (!first) key += ',';
    first = false;
    key += label + "=\"";
    for (char c : value) {
      if (c == '\\' || c == '"') key += '\\';
      key += c == '\n' ? std::string("\\n") : std::string(1, c);
    }
    key += '"';
  }
  return key + "}";
}

}  // namespace hw_exporter::testing

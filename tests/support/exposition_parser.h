#pragma once

// A parser of the Prometheus text exposition format (0.0.4), for tests that check what an exporter serves: our
// own serializer's output, or node_exporter's for comparison. It reads the sample lines of OpenMetrics as well
// (its "unknown" type, \" in HELP; "# EOF" and "# UNIT" are comments here), but not its timestamps in seconds.

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace hw_exporter::testing {

using SeriesLabels = std::map<std::string, std::string>;

// One sample line: name, labels (unescaped, by name) and value; NaN and ±Inf are parsed as such.
struct ParsedSample {
  std::string name;
  SeriesLabels labels;
  double value = 0;
  std::optional<std::int64_t> timestamp_ms;
};

struct ParsedExposition {
  std::vector<ParsedSample> samples;        // in the order of the text
  std::map<std::string, std::string> help;  // family name -> HELP text, unescaped
  std::map<std::string, std::string> type;  // family name -> counter, gauge, untyped, summary, histogram
};

// The text is not valid exposition format; what() names the 1-based line and the reason.
class ExpositionParseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses a whole exposition. Comments other than HELP and TYPE, and blank lines, are skipped. Throws
// ExpositionParseError on a malformed line, an invalid metric or label name, a label repeated in one sample, a bad
// escape or a value that is not a number.
ParsedExposition ParseExposition(std::string_view text);

// name{a="x",b="y"} with the label values escaped again, for messages and as a map key.
std::string SeriesKey(const std::string& name, const SeriesLabels& labels);

}  // namespace hw_exporter::testing

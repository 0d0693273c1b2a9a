#pragma once

// The parser of the textfile collector's files: what cron jobs and scripts write for node_exporter, in the text
// exposition format 0.0.4 or in OpenMetrics 1.0 text.

#include <string_view>

#include "hw_exporter/core/family_set.h"

namespace hw_exporter {

// The families of one file, in the order their names first appear; a family without HELP has an empty help.
//
// The text is OpenMetrics when its last line is "# EOF", and the text format 0.0.4 otherwise. OpenMetrics families
// become what the text format would carry: a counter `x` is the counter `x_total`, an info `x` the gauge `x_info`,
// a stateset a gauge with one series per state, unknown is untyped; UNIT lines, `_created` samples and exemplars
// are left out, and gaugehistogram is refused.
//
// Anything a scraper would refuse is a ParseError naming `source` and the line: a syntax error, an invalid
// name or escape, a second HELP or TYPE for one name, a TYPE after the family's samples, a series given twice,
// a histogram or summary line of a family declared otherwise, a missing newline at the end (the file was being
// written), and a sample with a timestamp (node_exporter refuses those: a textfile's samples are as of the scrape).
Families ParseTextfile(std::string_view text, std::string_view source);

}  // namespace hw_exporter

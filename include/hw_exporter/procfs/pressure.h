#pragma once

#include <optional>
#include <string_view>

namespace hw_exporter::procfs {

// One line of a /proc/pressure/<resource> file: stall averages in percent, and the total stall time in
// microseconds.
struct PressureLine {
  double avg10 = 0;
  double avg60 = 0;
  double avg300 = 0;
  unsigned long long total_microseconds = 0;
};

// "some": at least one task stalled on the resource; "full": all non-idle tasks stalled at once. The cpu file has
// no "full" line before Linux 5.13.
struct Pressure {
  std::optional<PressureLine> some;
  std::optional<PressureLine> full;
};

// Parses the text of /proc/pressure/cpu, io or memory; source names the file in error messages.
// Throws ParseError.
Pressure ParsePressure(std::string_view text, std::string_view source);

}  // namespace hw_exporter::procfs

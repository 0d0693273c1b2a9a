#pragma once

#include <string_view>

namespace hw_exporter::procfs {

// The first three fields of /proc/loadavg: run-queue averages over 1, 5 and 15 minutes.
struct LoadAverage {
  double load1 = 0;
  double load5 = 0;
  double load15 = 0;
};

// Parses the text of /proc/loadavg; source names the file in error messages. Throws ParseError.
LoadAverage ParseLoadavg(std::string_view text, std::string_view source);

}  // namespace hw_exporter::procfs

#include "hw_exporter/procfs/netdev.h"

#include "hw_exporter/core/parse_error.h"
#include "hw_exporter/core/strings.h"

namespace hw_exporter::procfs {

std::vector<NetDevStats> ParseNetDev(std::string_view text, std::string_view source) {
  std::vector<NetDevStats> interfaces;
  size_t line_number = 0;
  for (std::string_view line : SplitLines(text)) {
    ++line_number;
    // The headers are the only lines without a colon, and interface names cannot contain one, so the first colon
    // ends the name even where old kernels print no blank after it.
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::vector<std::string_view> fields = SplitFields(line.substr(colon + 1));
    NetDevStats& stats = interfaces.emplace_back();
    stats.device = Trim(line.substr(0, colon));
    const size_t columns = stats.receive.size() + stats.transmit.size();
    if (stats.device.empty() || fields.size() != columns) {
      throw ParseError(source, line_number, "expected an interface name and " + std::to_string(columns) + " counters");
    }
    for (size_t i = 0; i < stats.receive.size(); ++i) {
      stats.receive[i] = RequireUnsigned(fields[i], "a counter", source, line_number);
      stats.transmit[i] = RequireUnsigned(fields[stats.receive.size() + i], "a counter", source, line_number);
    }
  }
  return interfaces;
}

}  // namespace hw_exporter::procfs

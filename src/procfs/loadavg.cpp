#include "hw_exporter/procfs/loadavg.h"

#include "hw_exporter/core/parse_error.h"
#include "hw_exporter/core/strings.h"

namespace hw_exporter::procfs {

LoadAverage ParseLoadavg(std::string_view text, std::string_view source) {
  auto fields = SplitFields(text);
  if (fields.size() < 3) throw ParseError(source, 1, "expected three load averages");
  return {
      .load1 = RequireDouble(fields[0], "a load average", source, 1),
      .load5 = RequireDouble(fields[1], "a load average", source, 1),
      .load15 = RequireDouble(fields[2], "a load average", source, 1),
  };
}

}  // namespace hw_exporter::procfs

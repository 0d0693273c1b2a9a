#include "hw_exporter/probe/sel_info.h"

#include "colon_fields.h"
#include "hw_exporter/core/parse_error.h"

namespace hw_exporter {

namespace {

SelInfo ParseSelInfo(std::string_view text, std::string_view source, std::string_view entries_key,
                     std::string_view free_key) {
  const std::vector<ColonField> fields = ColonFields(text);
  const ColonField& entries = RequireField(fields, entries_key, source);
  SelInfo info;
  info.entries = static_cast<double>(RequireUnsigned(entries.value, "a number of entries", source, entries.line));
  info.free_bytes = RequireQuantity(RequireField(fields, free_key, source), "bytes", source);
  return info;
}

}  // namespace

SelInfo ParseFreeipmiSelInfo(std::string_view text) {
  return ParseSelInfo(text, "ipmi-sel", "Number of log entries", "Free space remaining");
}

SelInfo ParseIpmitoolSelInfo(std::string_view text) {
  return ParseSelInfo(text, "ipmitool sel info", "Entries", "Free Space");
}

}  // namespace hw_exporter

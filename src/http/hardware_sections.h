#pragma once

// The hardware sections of /hardware, one function each: what series each reads, and the limits it judges them by.

#include "hardware_report.h"
#include "series_index.h"

namespace hw_exporter {

Section TemperatureSection(const SeriesIndex& index);
Section FanSection(const SeriesIndex& index);
Section DiskSection(const SeriesIndex& index);
Section EdacSection(const SeriesIndex& index);
Section IpmiSection(const SeriesIndex& index);
Section PowerSupplySection(const SeriesIndex& index);
Section FilesystemSection(const SeriesIndex& index);

// Shared by the sections: a cell of plain text; a cell showing a series (a dash without one); raising a row's
// severity with the reason.
Field TextField(std::string text);
template <typename Format>
Field SeriesField(const std::optional<SeriesRef>& ref, Format format) {
  if (!ref) return TextField("—");
  return {MakeReading(*ref, format(ref->Value())), {}};
}
void Judge(Row& row, Severity severity, const std::string& finding);

}  // namespace hw_exporter

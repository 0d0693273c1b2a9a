#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hw_exporter::sysfs {

// Error counts of one chip-select row of a memory controller (csrow<N>/ce_count, ue_count).
struct EdacCsrow {
  std::string number;  // the <N> of csrow<N>
  std::uint64_t correctable = 0;
  std::uint64_t uncorrectable = 0;
};

// Error counts of one memory controller (mc<N>): totals, and the errors the driver could not attribute to a row.
struct EdacController {
  std::string number;  // the <N> of mc<N>
  std::uint64_t correctable = 0;
  std::uint64_t uncorrectable = 0;
  std::uint64_t correctable_without_row = 0;    // ce_noinfo_count
  std::uint64_t uncorrectable_without_row = 0;  // ue_noinfo_count
  std::vector<EdacCsrow> csrows;
};

// Reads every mc<N> of a devices/system/edac/mc directory; an absent directory gives no controllers.
// A missing or malformed count throws (FsError or std::runtime_error naming the file).
std::vector<EdacController> ReadEdacControllers(const std::string& mc_directory);

}  // namespace hw_exporter::sysfs

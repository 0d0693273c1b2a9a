#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hw_exporter/sysfs/file_reader.h"

namespace hw_exporter::sysfs {

// The frequencies of one CPU's cpufreq directory, in kHz as the kernel gives them; nullopt where the file is
// absent, root-only (cpuinfo_cur_freq) or unavailable.
struct CpuFrequency {
  std::string cpu;  // the number after "cpu"
  std::optional<unsigned long long> cpuinfo_cur_khz;
  std::optional<unsigned long long> cpuinfo_min_khz;
  std::optional<unsigned long long> cpuinfo_max_khz;
  std::optional<unsigned long long> scaling_cur_khz;
  std::optional<unsigned long long> scaling_min_khz;
  std::optional<unsigned long long> scaling_max_khz;
};

// Every cpu<N> of a devices/system/cpu directory that has a cpufreq directory, in directory-name order. A value
// that is not a number, or another read error, throws.
std::vector<CpuFrequency> ReadCpuFrequencies(const std::string& cpu_directory,
                                             const FileReader& read_file = RealFileReader());

}  // namespace hw_exporter::sysfs

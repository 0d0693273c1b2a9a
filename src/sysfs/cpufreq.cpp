#include "hw_exporter/sysfs/cpufreq.h"

#include "hw_exporter/core/fs.h"
#include "hw_exporter/core/parse_error.h"
#include "hw_exporter/core/strings.h"
#include "hw_exporter/sysfs/sensor_attribute.h"

namespace hw_exporter::sysfs {

namespace {

std::optional<unsigned long long> ReadKhz(const std::string& cpufreq_directory, const char* file,
                                          const FileReader& read_file) {
  std::string path = ChildPath(cpufreq_directory, file);
  auto text = ReadSensorAttribute(path, read_file);
  if (!text) return std::nullopt;
  auto value = ParseUnsigned(*text);
  if (!value) throw ParseError(path, "expected a frequency in kHz, got \"" + *text + "\"");
  return value;
}

}  // namespace

std::vector<CpuFrequency> ReadCpuFrequencies(const std::string& cpu_directory, const FileReader& read_file) {
  std::vector<CpuFrequency> cpus;
  for (const auto& [path, cpu] : ListNumberedEntries(cpu_directory, "cpu")) {
    std::string cpufreq = path + "/cpufreq";
    if (!PathExists(cpufreq)) continue;
    cpus.push_back({cpu, ReadKhz(cpufreq, "cpuinfo_cur_freq", read_file),
                    ReadKhz(cpufreq, "cpuinfo_min_freq", read_file), ReadKhz(cpufreq, "cpuinfo_max_freq", read_file),
                    ReadKhz(cpufreq, "scaling_cur_freq", read_file), ReadKhz(cpufreq, "scaling_min_freq", read_file),
                    ReadKhz(cpufreq, "scaling_max_freq", read_file)});
  }
  return cpus;
}

}  // namespace hw_exporter::sysfs

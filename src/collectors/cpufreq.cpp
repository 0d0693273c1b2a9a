// node_cpu_frequency_* and node_cpu_scaling_frequency_*: per-CPU frequencies of cpufreq, as node_exporter 1.5
// exposes them (it has no governor metric yet).
#include <optional>

#include "collectors.h"
#include "hw_exporter/sysfs/cpufreq.h"

namespace hw_exporter {

namespace {

class CpufreqCollector : public Collector {
 public:
  explicit CpufreqCollector(std::string cpu_directory) : cpu_directory_(std::move(cpu_directory)) {}

  Families Collect() override {
    FamilySet families;
    for (const sysfs::CpuFrequency& cpu : sysfs::ReadCpuFrequencies(cpu_directory_)) {
      Labels labels{{"cpu", cpu.cpu}};
      auto add = [&](const char* name, const char* help, std::optional<unsigned long long> khz) {
        if (khz) families.Gauge(name, help, static_cast<double>(*khz) * 1000.0, labels);
      };
      add("node_cpu_frequency_hertz", "Current cpu thread frequency in hertz.", cpu.cpuinfo_cur_khz);
      add("node_cpu_frequency_min_hertz", "Minimum cpu thread frequency in hertz.", cpu.cpuinfo_min_khz);
      add("node_cpu_frequency_max_hertz", "Maximum cpu thread frequency in hertz.", cpu.cpuinfo_max_khz);
      add("node_cpu_scaling_frequency_hertz", "Current scaled CPU thread frequency in hertz.", cpu.scaling_cur_khz);
      add("node_cpu_scaling_frequency_min_hertz", "Minimum scaled CPU thread frequency in hertz.", cpu.scaling_min_khz);
      add("node_cpu_scaling_frequency_max_hertz", "Maximum scaled CPU thread frequency in hertz.", cpu.scaling_max_khz);
    }
    return families.Take();
  }

 private:
  std::string cpu_directory_;
};

}  // namespace

std::unique_ptr<Collector> MakeCpufreqCollector(const CollectorContext& context) {
  return std::make_unique<CpufreqCollector>(context.paths.Sys("devices/system/cpu"));
}

}  // namespace hw_exporter

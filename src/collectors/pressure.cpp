// node_exporter's pressure collector: pressure stall information (PSI) from /proc/pressure.
#include "hw_exporter/procfs/pressure.h"

#include <cerrno>
#include <string>

#include "collectors.h"
#include "hw_exporter/core/fs.h"

namespace hw_exporter {

namespace {

// The series node_exporter 1.5 exports per resource; which lines exist follows the kernel's files.
struct Resource {
  const char* file;
  const char* waiting_name;  // from the "some" line
  const char* waiting_help;
  const char* stalled_name;  // from the "full" line; nullptr where node_exporter exports none
  const char* stalled_help;
};

constexpr Resource kResources[] = {
    {"cpu", "node_pressure_cpu_waiting_seconds_total", "Total time in seconds that processes have waited for CPU time",
     nullptr, nullptr},
    {"io", "node_pressure_io_waiting_seconds_total",
     "Total time in seconds that processes have waited due to IO congestion", "node_pressure_io_stalled_seconds_total",
     "Total time in seconds no process could make progress due to IO congestion"},
    {"memory", "node_pressure_memory_waiting_seconds_total",
     "Total time in seconds that processes have waited for memory", "node_pressure_memory_stalled_seconds_total",
     "Total time in seconds no process could make progress due to memory congestion"},
};

// In the same operations as node_exporter, so that the values are equal to the last bit.
double Seconds(unsigned long long microseconds) { return static_cast<double>(microseconds) / 1000.0 / 1000.0; }

class PressureCollector : public Collector {
 public:
  explicit PressureCollector(const Paths& paths) : paths_(paths) {}

  Families Collect() override {
    FamilySet families;
    for (const Resource& resource : kResources) {
      const std::string path = paths_.Proc(std::string("pressure/") + resource.file);
      int error_number = 0;
      auto text = TryReadFile(path, &error_number);
      // No file: a kernel without CONFIG_PSI (or older than 4.20). EOPNOTSUPP: PSI built in but switched off
      // (psi=0). Neither is a failure of the collector; there is just nothing to export.
      if (!text && (error_number == ENOENT || error_number == EOPNOTSUPP)) continue;
      if (!text) throw FsError(path, error_number);
      AddResource(families, resource, procfs::ParsePressure(*text, path));
    }
    return families.Take();
  }

 private:
  static void AddResource(FamilySet& families, const Resource& resource, const procfs::Pressure& pressure) {
    if (pressure.some)
      families.Counter(resource.waiting_name, resource.waiting_help, Seconds(pressure.some->total_microseconds));
    if (pressure.full && resource.stalled_name)
      families.Counter(resource.stalled_name, resource.stalled_help, Seconds(pressure.full->total_microseconds));
  }

  const Paths paths_;
};

}  // namespace

std::unique_ptr<Collector> MakePressureCollector(const CollectorContext& context) {
  return std::make_unique<PressureCollector>(context.paths);
}

}  // namespace hw_exporter

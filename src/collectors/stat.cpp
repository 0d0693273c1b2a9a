// node_exporter's stat collector: kernel activity counters from /proc/stat.
#include "hw_exporter/procfs/stat.h"

#include <algorithm>
#include <iterator>
#include <string>

#include "collector_options.h"
#include "collectors.h"
#include "hw_exporter/core/fs.h"

namespace hw_exporter {

namespace {

class StatCollector : public Collector {
 public:
  StatCollector(const Paths& paths, bool softirq) : path_(paths.Proc("stat")), softirq_(softirq) {}

  Families Collect() override {
    procfs::Stat stat = procfs::ParseStat(ReadFile(path_), path_);
    FamilySet families;
    AddIfPresent(families, Type::kCounter, "node_intr_total", "Total number of interrupts serviced.", stat.interrupts);
    AddIfPresent(families, Type::kCounter, "node_context_switches_total", "Total number of context switches.",
                 stat.context_switches);
    AddIfPresent(families, Type::kCounter, "node_forks_total", "Total number of forks.", stat.forks);
    AddIfPresent(families, Type::kGauge, "node_boot_time_seconds", "Node boot time, in unixtime.", stat.boot_time);
    AddIfPresent(families, Type::kGauge, "node_procs_running", "Number of processes in runnable state.",
                 stat.procs_running);
    AddIfPresent(families, Type::kGauge, "node_procs_blocked",
                 "Number of processes blocked waiting for I/O to complete.", stat.procs_blocked);
    if (softirq_) AddSoftirqs(families, stat.softirqs);
    return families.Take();
  }

 private:
  enum class Type { kCounter, kGauge };

  // A line the kernel did not print gives no series rather than a made-up 0.
  static void AddIfPresent(FamilySet& families, Type type, const char* name, const char* help,
                           const std::optional<unsigned long long>& value) {
    if (!value) return;
    if (type == Type::kCounter) {
      families.Counter(name, help, static_cast<double>(*value));
    } else {
      families.Gauge(name, help, static_cast<double>(*value));
    }
  }

  static void AddSoftirqs(FamilySet& families, const std::vector<unsigned long long>& counts) {
    const size_t known = std::min(counts.size(), std::size(procfs::kSoftirqVectors));
    for (size_t i = 0; i < known; ++i) {
      families.Counter("node_softirqs_total", "Number of softirq calls.", static_cast<double>(counts[i]),
                       {{"vector", std::string(procfs::kSoftirqVectors[i])}});
    }
  }

  const std::string path_;
  const bool softirq_;
};

}  // namespace

std::unique_ptr<Collector> MakeStatCollector(const CollectorContext& context) {
  return std::make_unique<StatCollector>(context.paths, BoolOption(context, "softirq"));
}

}  // namespace hw_exporter

// The collector table: every collector that exists, with its defaults. Keep it in name order.
#include <chrono>

#include "hw_exporter/collector.h"
#include "hw_exporter/collectors.h"

namespace hw_exporter {

using namespace std::chrono_literals;

const std::vector<CollectorInfo>& CollectorTable() {
  static const std::vector<CollectorInfo> table = {
      // name, on by default, TTL, timeout, help, options, factory
      {"cpu", true, 5s, 2s, "CPU time per mode from /proc/stat",
       {{"guest", "true", "Export node_cpu_guest_seconds_total"}},
       MakeCpuCollector},
      {"loadavg", true, 5s, 2s, "Load averages from /proc/loadavg", {}, MakeLoadavgCollector},
      {"meminfo", true, 5s, 2s, "Memory statistics from /proc/meminfo", {}, MakeMeminfoCollector},
  };
  return table;
}

}  // namespace hw_exporter

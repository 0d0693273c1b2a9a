#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "hw_exporter/core/family_set.h"
#include "hw_exporter/procfs/process.h"

namespace hw_exporter {

// What the process_* families are computed from.
struct ProcessSources {
  procfs::ProcessStat stat;                   // <proc>/self/stat
  std::vector<procfs::ResourceLimit> limits;  // <proc>/self/limits
  size_t open_fds = 0;                        // entries of <proc>/self/fd
  unsigned long long boot_time_seconds = 0;   // btime of <proc>/stat
};

// The units /proc counts in on this system: sysconf(_SC_CLK_TCK) and sysconf(_SC_PAGESIZE).
struct SystemUnits {
  long ticks_per_second;
  long page_size_bytes;

  static SystemUnits OfThisSystem();
};

// The exporter's own process, with the names, types and meaning Prometheus client libraries give theirs
// (process_cpu_seconds_total, process_resident_memory_bytes, process_open_fds ...).
Families ProcessFamilies(const ProcessSources& sources, const SystemUnits& units);

// Reads <proc_root>/self and <proc_root>/stat and returns ProcessFamilies() of them. Give it the real /proc, not
// --path.procfs (that one is the observed host's tree; this describes the exporter itself). Throws FsError or
// std::runtime_error when a file cannot be read or parsed.
Families ReadProcessFamilies(std::string_view proc_root = "/proc");

// btime of <proc_root>/stat: when the host booted, a constant while it runs. Throws as ReadProcessFamilies does.
unsigned long long ReadBootTime(std::string_view proc_root = "/proc");

// ReadProcessFamilies with the boot time already known (ReadBootTime), for a caller that reads often: /proc/stat
// grows with the CPUs and interrupts of the host, and the kernel formats all of it for each read.
Families ReadProcessFamilies(std::string_view proc_root, unsigned long long boot_time_seconds);

// hw_exporter_build_info{compiler,revision,version} 1
Families BuildInfoFamilies();

}  // namespace hw_exporter

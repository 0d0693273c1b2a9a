#include "hw_exporter/diagnostics/cpu_profiler.h"

#include <mutex>
#include <utility>

#ifndef HW_EXPORTER_NO_PROFILER
#include <gperftools/profiler.h>
#endif

namespace hw_exporter {

namespace {

std::mutex profile_mutex;
std::optional<std::string> running_path;  // under profile_mutex

}  // namespace

#ifdef HW_EXPORTER_NO_PROFILER
bool CpuProfilerAvailable() { return false; }
bool StartCpuProfile(const std::string&) { return false; }
#else
bool CpuProfilerAvailable() { return true; }

bool StartCpuProfile(const std::string& path) {
  std::lock_guard lock(profile_mutex);
  if (running_path || !ProfilerStart(path.c_str())) return false;
  running_path = path;
  return true;
}
#endif

std::optional<std::string> StopCpuProfile() {
  std::lock_guard lock(profile_mutex);
  if (!running_path) return std::nullopt;
#ifndef HW_EXPORTER_NO_PROFILER
  ProfilerStop();
#endif
  return std::exchange(running_path, std::nullopt);
}

bool CpuProfileRunning() {
  std::lock_guard lock(profile_mutex);
  return running_path.has_value();
}

}  // namespace hw_exporter

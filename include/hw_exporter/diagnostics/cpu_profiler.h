#pragma once

#include <optional>
#include <string>

namespace hw_exporter {

// gperftools' CPU profiler (libprofiler), which samples every thread through a process-wide SIGPROF timer: hence
// one profile at a time in the process. The files are in pprof's legacy CPU format, which google-pprof and
// `go tool pprof` read. Builds with sanitizers leave the profiler out, since its signal handler walks stacks the
// sanitizers do not expect to be walked: there nothing is profiled and Start returns false.

// False when this build has no CPU profiler.
bool CpuProfilerAvailable();

// Starts profiling into `path`; false when a profile is already under way or the file cannot be written.
bool StartCpuProfile(const std::string& path);

// Stops the profile under way and flushes its file: the file's path, or nullopt when none was under way.
std::optional<std::string> StopCpuProfile();

// True while a profile is under way.
bool CpuProfileRunning();

}  // namespace hw_exporter

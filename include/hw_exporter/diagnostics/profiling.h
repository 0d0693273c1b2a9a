#pragma once

#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>

#include "hw_exporter/core/clock.h"
#include "hw_exporter/core/duration.h"
#include "hw_exporter/diagnostics/capture_directory.h"

namespace hw_exporter {

// Profiles of the exporter taken on demand: by SIGUSR2 into the capture directory, or by /debug/pprof/profile
// straight to the client.
class Profiling {
 public:
  explicit Profiling(CaptureDirectory directory, Clock& clock = Clock::Real());
  ~Profiling();
  Profiling(const Profiling&) = delete;
  Profiling& operator=(const Profiling&) = delete;

  // SIGUSR2: starts a CPU profile into the directory, or stops the one under way and writes a heap report beside
  // it. The log names the files.
  void Toggle();

  // A CPU profile of `length`, cut short when Stop() is called: the profile's bytes, or nullopt when a profile is
  // already under way (or this build has no profiler).
  std::optional<std::string> Profile(Duration length);

  // A CPU profile of `length` (cut short by Stop()) and a heap report, kept in the directory and named in the log:
  // false when a profile is already under way (or this build has no profiler).
  bool Capture(Duration length);

  // Writes the heap report into the directory; returns its path, or "" when it cannot be written.
  std::string WriteHeapReport();

  // Ends a Profile() under way, so that the exporter need not wait for it to stop.
  void Stop();

  const CaptureDirectory& directory() const { return directory_; }

 private:
  // Waits `length`, or until Stop().
  void Wait(Duration length);

  CaptureDirectory directory_;
  Clock& clock_;
  std::mutex mutex_;
  std::condition_variable stopped_;
  bool stopping_ = false;
};

}  // namespace hw_exporter

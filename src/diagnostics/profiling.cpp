#include "hw_exporter/diagnostics/profiling.h"

#include <unistd.h>

#include <cstdio>

#include "hw_exporter/core/fs.h"
#include "hw_exporter/core/log.h"
#include "hw_exporter/diagnostics/cpu_profiler.h"
#include "hw_exporter/diagnostics/heap_report.h"

namespace hw_exporter {

namespace {

// A profile is a few hundred kilobytes at most: a handful of seconds of 100 samples a second.
constexpr std::size_t kMaxProfileBytes = 64u << 20;

bool WriteText(const std::string& path, const std::string& text) {
  FILE* file = std::fopen(path.c_str(), "we");
  if (!file) return false;
  const bool written = std::fwrite(text.data(), 1, text.size(), file) == text.size();
  return std::fclose(file) == 0 && written;
}

}  // namespace

Profiling::Profiling(CaptureDirectory directory, Clock& clock) : directory_(std::move(directory)), clock_(clock) {}

Profiling::~Profiling() { Stop(); }

void Profiling::Toggle() {
  if (std::optional<std::string> cpu = StopCpuProfile()) {
    const std::string heap = WriteHeapReport();
    log::Info("profiling stopped", {{"cpu_profile", *cpu}, {"heap_report", heap}});
    directory_.Prune();
    return;
  }
  if (!CpuProfilerAvailable()) {
    log::Warn("profiling asked for, but this build has no CPU profiler", {});
    return;
  }
  const std::string path = directory_.NewPath("cpu", "prof", clock_.WallNow());
  if (!StartCpuProfile(path)) {
    log::Error("cannot start profiling", {{"file", path}});
    return;
  }
  log::Info("profiling started; send SIGUSR2 again to stop", {{"cpu_profile", path}});
}

std::optional<std::string> Profiling::Profile(Duration length) {
  const std::string path = directory_.NewPath("cpu", "prof", clock_.WallNow());
  if (!StartCpuProfile(path)) return std::nullopt;
  Wait(length);
  StopCpuProfile();
  std::optional<std::string> bytes = TryReadFile(path, nullptr, kMaxProfileBytes);
  unlink(path.c_str());  // the client has it
  return bytes.value_or("");
}

bool Profiling::Capture(Duration length) {
  const std::string cpu = directory_.NewPath("cpu", "prof", clock_.WallNow());
  if (!StartCpuProfile(cpu)) {
    log::Warn("no profile captured: another is under way, or this build has no profiler", {});
    return false;
  }
  Wait(length);
  StopCpuProfile();
  const std::string heap = WriteHeapReport();
  log::Info("profiles captured", {{"cpu_profile", cpu}, {"heap_report", heap}});
  directory_.Prune();
  return true;
}

void Profiling::Wait(Duration length) {
  std::unique_lock lock(mutex_);
  stopped_.wait_for(lock, length, [this] { return stopping_; });
}

std::string Profiling::WriteHeapReport() {
  const std::string path = directory_.NewPath("heap", "txt", clock_.WallNow());
  return WriteText(path, HeapReport()) ? path : "";
}

void Profiling::Stop() {
  std::lock_guard lock(mutex_);
  stopping_ = true;
  stopped_.notify_all();
}

}  // namespace hw_exporter

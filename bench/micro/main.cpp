// The microbenchmarks run with the allocator set up as the daemon sets it, since what a render costs depends on it.
#include <benchmark/benchmark.h>

#include "hw_exporter/core/malloc_tuning.h"

int main(int argc, char** argv) {
  hw_exporter::TuneMalloc();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

// A full refresh of the node collectors on the shared tree, and each collector alone.
#include <benchmark/benchmark.h>

#include "node_tree.h"

namespace hw_exporter::bench {
namespace {

// The series one collection gives; a collector the tree cannot feed still costs its attempt.
size_t CollectOnce(const SlotSettings& slot) {
  size_t series = 0;
  try {
    for (const auto& family : slot.refresh()) series += family.metric.size();
  } catch (const std::exception&) {
  }
  return series;
}

size_t CollectAll(const std::vector<SlotSettings>& slots) {
  size_t series = 0;
  for (const auto& slot : slots) series += CollectOnce(slot);
  return series;
}

void BM_RefreshNodeCollectors(benchmark::State& state) {
  ProcessRunner process_runner(2);
  std::vector<SlotSettings> slots = NodeCollectorSlots(process_runner);
  if (slots.empty()) {
    state.SkipWithError("the shared node_exporter tree is absent (set HW_EXPORTER_BENCH_TREE)");
    return;
  }
  size_t series = 0;
  for (auto _ : state) series = CollectAll(slots);
  state.counters["collectors"] = static_cast<double>(slots.size());
  state.counters["series"] = static_cast<double>(series);
}
BENCHMARK(BM_RefreshNodeCollectors)->Unit(benchmark::kMicrosecond);

// One benchmark per collector, registered at start-up since the list comes from the collector table.
const bool kPerCollectorRegistered = [] {
  static ProcessRunner process_runner(2);
  static std::vector<SlotSettings> slots = NodeCollectorSlots(process_runner);
  for (const auto& slot : slots) {
    benchmark::RegisterBenchmark(("BM_Collect/" + slot.name).c_str(), [&slot](benchmark::State& state) {
      for (auto _ : state) benchmark::DoNotOptimize(CollectOnce(slot));
    })->Unit(benchmark::kMicrosecond);
  }
  return true;
}();

}  // namespace
}  // namespace hw_exporter::bench

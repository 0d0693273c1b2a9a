#include "node_tree.h"

#include <cstdlib>
#include <filesystem>

#include "hw_exporter/config/config.h"
#include "hw_exporter/core/log.h"
#include "hw_exporter/daemon/slots.h"
#include "hw_exporter/exposition/self_metrics.h"
#include "hw_exporter/exposition/text_format.h"

namespace hw_exporter::bench {
namespace {

// A collector the capture cannot feed says so at every refresh; the benchmarks' output is their table only.
const bool kQuietLogs = [] {
  log::ConfigureLogging(log::Level::kError, log::Format::kLogfmt);
  return true;
}();

}  // namespace

std::string NodeTree() {
  const char* overridden = std::getenv("HW_EXPORTER_BENCH_TREE");
  std::string tree = overridden ? overridden : HW_EXPORTER_NODE_TREE;
  return std::filesystem::is_directory(tree + "/proc") ? tree : std::string();
}

std::vector<SlotSettings> NodeSlots(ProcessRunner& process_runner) {
  std::string tree = NodeTree();
  if (tree.empty()) return {};
  LoadedConfig loaded = LoadConfig({"--path.procfs=" + tree + "/proc", "--path.sysfs=" + tree + "/sys",
                                    "--path.rootfs=" + tree, "--path.udev.data=" + tree + "/udev/data"});
  return BuildSlots(loaded, process_runner);
}

std::vector<SlotSettings> NodeCollectorSlots(ProcessRunner& process_runner) {
  std::vector<SlotSettings> slots = NodeSlots(process_runner);
  std::erase_if(slots, [](const SlotSettings& slot) { return !slot.is_collector; });
  return slots;
}

std::unique_ptr<FamilyCache> RefreshedNodeCache(ProcessRunner& process_runner) {
  auto cache = std::make_unique<FamilyCache>(NodeSlots(process_runner));
  cache->Tick();
  cache->WaitIdle(std::chrono::seconds(30));
  return cache;
}

Families MergedNodeFamilies(ProcessRunner& process_runner) {
  std::vector<Families> parts;
  for (auto& slot : NodeCollectorSlots(process_runner)) {
    try {
      parts.push_back(slot.refresh());
    } catch (const std::exception&) {
      // A collector the capture cannot feed contributes nothing, as in a scrape.
    }
  }
  parts.push_back(BuildInfoFamilies());
  return MergeFamilies(std::move(parts));
}

}  // namespace hw_exporter::bench

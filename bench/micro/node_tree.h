#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "hw_exporter/cache/family_cache.h"
#include "hw_exporter/core/family_set.h"
#include "hw_exporter/probe/process_runner.h"

namespace hw_exporter::bench {

// The node_exporter capture (procfs, sysfs, udev) the benchmarks collect from, or "" when it is absent: the one
// unpacked into the build tree, or HW_EXPORTER_BENCH_TREE when set (bench/run.sh --tree).
std::string NodeTree();

// The exporter's slots on its defaults, pointed at NodeTree(): every collector that is on by default, in table
// order, and the process slot. Empty when the tree is absent.
std::vector<SlotSettings> NodeSlots(ProcessRunner& process_runner);

// The same without the process slot: the collectors alone.
std::vector<SlotSettings> NodeCollectorSlots(ProcessRunner& process_runner);

// A FamilyCache of NodeSlots() after one refresh of each, and no scheduler running: its generation holds
// still, so a response cache in front of it keeps hitting.
std::unique_ptr<FamilyCache> RefreshedNodeCache(ProcessRunner& process_runner);

// The bulk of a /metrics body: the node collectors' families and the build info, merged (no process_*
// families: they change from one call to the next).
Families MergedNodeFamilies(ProcessRunner& process_runner);

}  // namespace hw_exporter::bench

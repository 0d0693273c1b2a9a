// On every fixture tree, the file-reading collectors of the table together expose each series once, under valid
// metric and label names: a repeat would make a scrape invalid, whichever collectors it comes from.
#include <gtest/gtest.h>
#include <prometheus/check_names.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>

#include "collectors/table_run.h"
#include "support/exposition_parser.h"
#include "support/test_support.h"

namespace hw_exporter::testing {
namespace {

namespace fs = std::filesystem;

// These start smartctl, ipmitool or FreeIPMI rather than read a tree.
const std::set<std::string> kProbeCollectors = {"ipmi",      "ipmi_bmc", "ipmi_chassis",
                                                "ipmi_dcmi", "ipmi_sel", "smartctl"};

struct Tree {
  std::string name;
  Paths paths;
};

bool IsDirectory(const fs::path& path) {
  std::error_code ignored;
  return fs::is_directory(path, ignored);
}

// A root nothing lives under, for the kinds of tree a fixture does not have.
std::string Absent(const fs::path& directory) { return (directory / "absent").string(); }

// The project's trees: a directory holding proc/ or sys/ is a whole host (as node_exporter's fixture is); one holding
// class/ or devices/ is a sysfs root, one holding stat or meminfo a procfs root. Other directories are searched.
void FindProjectTrees(const fs::path& directory, int depth, std::vector<Tree>& trees) {
  std::string name = "project_" + fs::relative(directory, Fixture("")).string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  if (IsDirectory(directory / "proc") || IsDirectory(directory / "sys")) {
    trees.push_back({name, TreePaths(directory.string())});
    return;
  }
  if (IsDirectory(directory / "class") || IsDirectory(directory / "devices")) {
    Paths paths = TreePaths(Absent(directory));
    paths.sysfs = directory.string();
    trees.push_back({name, paths});
    return;
  }
  if (fs::exists(directory / "stat") || fs::exists(directory / "meminfo")) {
    Paths paths = TreePaths(Absent(directory));
    paths.procfs = directory.string();
    trees.push_back({name, paths});
    return;
  }
  if (depth == 0) return;
  for (const auto& entry : fs::directory_iterator(directory)) {
    if (entry.is_directory()) FindProjectTrees(entry.path(), depth - 1, trees);
  }
}

std::vector<Tree> FixtureTrees() {
  std::vector<Tree> trees;
  std::string shared = NodeTree();
  if (!shared.empty() && IsDirectory(shared)) trees.push_back({"shared_node_exporter", TreePaths(shared)});
  std::vector<Tree> project;
  for (const auto& entry : fs::directory_iterator(Fixture(""))) {
    if (entry.is_directory()) FindProjectTrees(entry.path(), 2, project);
  }
  std::sort(project.begin(), project.end(), [](const Tree& a, const Tree& b) { return a.name < b.name; });
  trees.insert(trees.end(), project.begin(), project.end());
  return trees;
}

class NoDuplicates : public ::testing::TestWithParam<Tree> {};

TEST_P(NoDuplicates, EverySeriesOnceWithValidNames) {
  const Tree& tree = GetParam();
  std::map<std::string, std::string> first_collector;  // series key -> the collector that exposed it first
  std::vector<std::string> problems;
  size_t series = 0;
  for (const CollectorInfo& info : CollectorTable()) {
    if (kProbeCollectors.count(info.name)) continue;
    Families families;
    try {
      families = CollectFromTable(info, tree.paths);
    } catch (const std::exception&) {
      continue;  // this tree lacks the collector's files
    }
    for (const prometheus::MetricFamily& family : families) {
      if (!prometheus::CheckMetricName(family.name)) problems.push_back(info.name + ": bad metric name " + family.name);
      for (const prometheus::ClientMetric& metric : family.metric) {
        SeriesLabels labels;
        for (const prometheus::ClientMetric::Label& label : metric.label) {
          if (!prometheus::CheckLabelName(label.name)) {
            problems.push_back(info.name + ": bad label name " + label.name + " in " + family.name);
          }
          if (!labels.emplace(label.name, label.value).second) {
            problems.push_back(info.name + ": label " + label.name + " twice in one series of " + family.name);
          }
        }
        std::string key = SeriesKey(family.name, labels);
        auto [found, inserted] = first_collector.emplace(key, info.name);
        if (!inserted) problems.push_back(key + " exposed by " + found->second + " and again by " + info.name);
        ++series;
      }
    }
  }
  EXPECT_GT(series, 0u) << "no collector found anything in " << tree.name << ": is it a procfs/sysfs tree?";
  std::string listing;
  for (size_t i = 0; i < problems.size() && i < 25; ++i) listing += "\n  " + problems[i];
  EXPECT_TRUE(problems.empty()) << problems.size() << " problems on " << tree.name << ":" << listing;
}

INSTANTIATE_TEST_SUITE_P(FixtureTrees, NoDuplicates, ::testing::ValuesIn(FixtureTrees()),
                         [](const ::testing::TestParamInfo<Tree>& param) { return param.param.name; });

}  // namespace
}  // namespace hw_exporter::testing

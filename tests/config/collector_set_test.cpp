#include "hw_exporter/config/collector_set.h"

#include <gtest/gtest.h>

#include "hw_exporter/probe/process_runner.h"

namespace hw_exporter {
namespace {

using namespace std::chrono_literals;

class StubCollector : public Collector {
 public:
  Families Collect() override { return {}; }
};

// What the stub factory saw, to check the context it was given.
struct Seen {
  std::string procfs;
  std::string option;
};

std::vector<CollectorInfo> StubTable(Seen& seen) {
  auto good = [&seen](const CollectorContext& context) -> std::unique_ptr<Collector> {
    seen.procfs = context.paths.procfs;
    seen.option = context.Option("mode");
    return std::make_unique<StubCollector>();
  };
  auto bad = [](const CollectorContext& context) -> std::unique_ptr<Collector> {
    throw CollectorOptionError("pattern", "\"" + context.Option("pattern") + "\" is not a valid regexp");
  };
  auto broken = [](const CollectorContext&) -> std::unique_ptr<Collector> { throw std::runtime_error("no luck"); };
  return {
      {"bad", false, 5s, 1s, "throws for its option", {{"pattern", "(", "a regexp"}}, bad},
      {"broken", false, 5s, 1s, "throws something else", {}, broken},
      {"good", true, 5s, 1s, "builds", {{"mode", "fast", "a mode"}}, good},
      {"other", true, 5s, 1s, "builds", {}, [](const CollectorContext&) { return std::make_unique<StubCollector>(); }},
  };
}

LoadedConfig StubConfig() {
  LoadedConfig loaded;
  loaded.config.paths.procfs = "/fixture/proc";
  loaded.config.collectors["bad"] = {false, 5s, 1s, 20s, {{"pattern", "("}}};
  loaded.config.collectors["broken"] = {false, 5s, 1s, 20s, {}};
  loaded.config.collectors["good"] = {true, 5s, 1s, 20s, {{"mode", "slow"}}};
  loaded.config.collectors["other"] = {true, 5s, 1s, 20s, {}};
  return loaded;
}

class BuildCollectorsTest : public ::testing::Test {
 protected:
  ConfigError ErrorOf(const LoadedConfig& loaded) {
    try {
      BuildCollectors(loaded, runner_, table_);
    } catch (const ConfigError& error) {
      return error;
    }
    ADD_FAILURE() << "no error";
    return ConfigError("", "");
  }

  Seen seen_;
  std::vector<CollectorInfo> table_ = StubTable(seen_);
  ProcessRunner runner_{1};
};

TEST_F(BuildCollectorsTest, BuildsTheEnabledCollectorsInTableOrder) {
  const BuiltCollectors built = BuildCollectors(StubConfig(), runner_, table_);
  ASSERT_EQ(built.size(), 2u);
  EXPECT_EQ(built[0].first, "good");
  EXPECT_EQ(built[1].first, "other");
  EXPECT_NE(built[0].second, nullptr);
  EXPECT_EQ(seen_.procfs, "/fixture/proc");
  EXPECT_EQ(seen_.option, "slow");
}

TEST_F(BuildCollectorsTest, ABadOptionNamesItsFlagByDefault) {
  LoadedConfig loaded = StubConfig();
  loaded.config.collectors["bad"].enabled = true;
  const ConfigError error = ErrorOf(loaded);
  EXPECT_EQ(error.where(), "--collector.bad.pattern");
  EXPECT_STREQ(error.what(), "\"(\" is not a valid regexp");
}

TEST_F(BuildCollectorsTest, ABadOptionNamesWhereItWasSet) {
  LoadedConfig loaded = StubConfig();
  loaded.config.collectors["bad"].enabled = true;
  loaded.sources["/collectors/bad/pattern"] = "/collectors/bad/pattern";
  EXPECT_EQ(ErrorOf(loaded).where(), "/collectors/bad/pattern");
  loaded.sources["/collectors/bad/pattern"] = "--collector.bad.pattern";
  EXPECT_EQ(ErrorOf(loaded).where(), "--collector.bad.pattern");
}

TEST_F(BuildCollectorsTest, OtherFailuresPassThrough) {
  LoadedConfig loaded = StubConfig();
  loaded.config.collectors["broken"].enabled = true;
  EXPECT_THROW(BuildCollectors(loaded, runner_, table_), std::runtime_error);
}

// Every collector of the real table builds from its defaults: a default option value a factory rejects is a bug.
TEST(BuildCollectorsFromTheTable, EveryCollectorBuildsWithItsDefaults) {
  std::vector<std::string> arguments;
  for (const CollectorInfo& info : CollectorTable()) arguments.push_back("--collector." + info.name);
  const LoadedConfig loaded = LoadConfig(arguments);
  ProcessRunner runner(1);
  const BuiltCollectors built = BuildCollectors(loaded, runner);
  ASSERT_EQ(built.size(), CollectorTable().size());
  for (size_t i = 0; i < built.size(); ++i) {
    EXPECT_EQ(built[i].first, CollectorTable()[i].name);
    EXPECT_NE(built[i].second, nullptr) << built[i].first;
  }
}

TEST(BuildCollectorsFromTheTable, DisabledCollectorsAreNotBuilt) {
  const LoadedConfig loaded = LoadConfig({"--collector.disable-defaults", "--collector.loadavg"});
  ProcessRunner runner(1);
  const BuiltCollectors built = BuildCollectors(loaded, runner);
  ASSERT_EQ(built.size(), 1u);
  EXPECT_EQ(built[0].first, "loadavg");
}

}  // namespace
}  // namespace hw_exporter

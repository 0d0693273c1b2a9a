#include "collectors/remembered_search.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "collectors/name_filter.h"

namespace hw_exporter {
namespace {

TEST(RememberedSearch, AnswersAsRegexSearchDoes) {
  const RememberedSearch search(std::regex("^(ram|loop)\\d+$"));
  EXPECT_TRUE(search.Matches("loop0"));
  EXPECT_TRUE(search.Matches("ram12"));
  EXPECT_FALSE(search.Matches("sda"));
  EXPECT_FALSE(search.Matches("loop0p1"));
  const RememberedSearch anywhere(std::regex("pg.*fault"));
  EXPECT_TRUE(anywhere.Matches("pgmajfault"));
  EXPECT_FALSE(anywhere.Matches("pgfree"));
}

TEST(RememberedSearch, AnswersTheSameTheSecondTimeFromMemory) {
  const RememberedSearch search(std::regex("^sd"));
  EXPECT_TRUE(search.Matches("sda"));
  EXPECT_FALSE(search.Matches("nvme0n1"));
  EXPECT_EQ(search.Size(), 2u);
  EXPECT_TRUE(search.Matches("sda"));
  EXPECT_FALSE(search.Matches("nvme0n1"));
  EXPECT_EQ(search.Size(), 2u);
}

TEST(RememberedSearch, NamesThatNeverRepeatKeepNoMoreThanTheBound) {
  const RememberedSearch search(std::regex("^veth"));
  for (std::size_t i = 0; i < 3 * RememberedSearch::kMostNames; ++i) {
    EXPECT_EQ(search.Matches("veth" + std::to_string(i)), true);
    ASSERT_LE(search.Size(), RememberedSearch::kMostNames);
  }
  EXPECT_FALSE(search.Matches("eth0"));  // still answers right after starting over
}

TEST(RememberedSearch, AMovedSearchKeepsItsPatternAndAnswers) {
  RememberedSearch first(std::regex("^eth"));
  EXPECT_TRUE(first.Matches("eth0"));
  const RememberedSearch moved(std::move(first));
  EXPECT_EQ(moved.Size(), 1u);
  EXPECT_TRUE(moved.Matches("eth1"));
  EXPECT_FALSE(moved.Matches("wlan0"));
}

TEST(RememberedSearch, ThreadsAskingAtOnceGetTheRightAnswers) {
  const RememberedSearch search(std::regex("[02468]$"));
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i)
        if (search.Matches("dev" + std::to_string(i % 300)) != (i % 300 % 2 == 0)) ++wrong[t];
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong, std::vector<int>(4, 0));
  EXPECT_EQ(search.Size(), 300u);
}

TEST(Remembered, AnAbsentPatternIsNoSearch) {
  EXPECT_FALSE(Remembered(std::nullopt).has_value());
  EXPECT_TRUE(Remembered(std::regex("x"))->Matches("box"));
}

TEST(NameFilter, ExcludeAndIncludeWithRememberedAnswers) {
  const NameFilter exclude(std::regex("^loop"), std::nullopt);
  for (int round = 0; round < 2; ++round) {
    EXPECT_TRUE(exclude.Ignored("loop3"));
    EXPECT_FALSE(exclude.Ignored("sda"));
  }
  const NameFilter include(std::nullopt, std::regex("^nvme"));
  for (int round = 0; round < 2; ++round) {
    EXPECT_FALSE(include.Ignored("nvme0n1"));
    EXPECT_TRUE(include.Ignored("sda"));
  }
  EXPECT_FALSE(NameFilter().Ignored("anything"));
}

}  // namespace
}  // namespace hw_exporter

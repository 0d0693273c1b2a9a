#include "hw_exporter/core/family_set.h"

#include <gtest/gtest.h>

namespace hw_exporter {
namespace {

TEST(FamilySet, GroupsSamplesByNameInFirstSeenOrder) {
  FamilySet set;
  set.Gauge("b", "B help", 1, {{"x", "1"}});
  set.Counter("a", "A help", 2);
  set.Gauge("b", "ignored", 3, {{"x", "2"}});
  Families families = set.Take();
  ASSERT_EQ(families.size(), 2u);
  EXPECT_EQ(families[0].name, "b");
  EXPECT_EQ(families[0].help, "B help");
  ASSERT_EQ(families[0].metric.size(), 2u);
  EXPECT_EQ(families[0].metric[1].gauge.value, 3);
  EXPECT_EQ(families[0].metric[1].label[0].value, "2");
  EXPECT_EQ(families[1].type, prometheus::MetricType::Counter);
  EXPECT_EQ(families[1].metric[0].counter.value, 2);
  EXPECT_TRUE(set.empty());
}

TEST(FamilySet, DropsDeclaredButEmptyFamilies) {
  FamilySet set;
  set.Family("declared", "never filled", prometheus::MetricType::Gauge);
  set.Gauge("filled", "h", 1);
  Families families = set.Take();
  ASSERT_EQ(families.size(), 1u);
  EXPECT_EQ(families[0].name, "filled");
}

}  // namespace
}  // namespace hw_exporter

#include <gtest/gtest.h>

#include "collectors/collector_harness.h"
#include "support/test_support.h"

namespace hw_exporter::testing {
namespace {

std::map<std::string, std::string> LabelMap(const prometheus::ClientMetric& metric) {
  std::map<std::string, std::string> labels;
  for (const auto& label : metric.label) labels[label.name] = label.value;
  return labels;
}

TEST(DmiCollector, LabelsTheInfoSeriesWithNodeExporterNames) {
  CollectorHarness harness(Fixture("platform"));
  Families families = harness.Make("dmi")->Collect();
  const prometheus::MetricFamily* info = FindFamily(families, "node_dmi_info");
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->type, prometheus::MetricType::Gauge);
  ASSERT_EQ(info->metric.size(), 1u);
  EXPECT_EQ(info->metric[0].gauge.value, 1);
  auto labels = LabelMap(info->metric[0]);
  EXPECT_EQ(labels.at("system_vendor"), "LENOVO");  // from sys_vendor
  EXPECT_EQ(labels.at("bios_vendor"), "LENOVO");    // trimmed
  EXPECT_EQ(labels.at("board_asset_tag"), "");      // present, empty
  EXPECT_EQ(labels.count("chassis_type"), 0u);      // not one of node_exporter's labels
  EXPECT_EQ(labels.count("product_serial"), 0u);    // absent in the tree
  EXPECT_EQ(labels.size(), 16u);                    // as node_exporter 1.5 labels this tree
}

TEST(DmiCollector, ReplacesEachRunOfInvalidUtf8WithOneReplacementCharacter) {
  CollectorHarness harness(Fixture("platform"));
  Families families = harness.Make("dmi")->Collect();
  // The file holds "Think\xffPad \xc3(\"X1\"\\": a stray byte, and a lead byte whose continuation is missing.
  EXPECT_EQ(LabelMap(FindFamily(families, "node_dmi_info")->metric[0]).at("product_version"),
            "Think\xEF\xBF\xBDPad \xEF\xBF\xBD(\"X1\"\\");
}

TEST(DmiCollector, KeepsValidMultibyteText) {
  TempDir root;
  root.Write("sys/class/dmi/id/sys_vendor", "Fujitsu Technology Solutions \xE2\x84\xA2 \xF0\x9F\x92\xBB\n");
  root.Write("sys/class/dmi/id/product_name", "\xED\xA0\x80\xC0\xAF!\n");  // a surrogate and an overlong '/'
  CollectorHarness harness(root.path());
  Families families = harness.Make("dmi")->Collect();
  auto labels = LabelMap(FindFamily(families, "node_dmi_info")->metric[0]);
  EXPECT_EQ(labels.at("system_vendor"), "Fujitsu Technology Solutions \xE2\x84\xA2 \xF0\x9F\x92\xBB");
  EXPECT_EQ(labels.at("product_name"), "\xEF\xBF\xBD!");
}

TEST(DmiCollector, NoDmiMeansNoSeries) {
  TempDir root;
  CollectorHarness harness(root.path());
  EXPECT_TRUE(harness.Make("dmi")->Collect().empty());
}

}  // namespace
}  // namespace hw_exporter::testing

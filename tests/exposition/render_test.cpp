#include "hw_exporter/exposition/render.h"

#include <gtest/gtest.h>

#include "hw_exporter/exposition/text_format.h"
#include "support/gunzip.h"

namespace hw_exporter {
namespace {

using namespace std::chrono_literals;

Families OneGauge(const std::string& name, double value, Labels labels = {}) {
  FamilySet set;
  set.Gauge(name, "A value.", value, labels);
  return set.Take();
}

SlotState Slot(const std::string& name, std::shared_ptr<const Families> families, bool is_collector = true) {
  SlotState slot;
  slot.name = name;
  slot.is_collector = is_collector;
  slot.ttl = 5s;
  slot.families = std::move(families);
  slot.attempted = true;
  slot.success = static_cast<bool>(slot.families);
  return slot;
}

std::shared_ptr<const Families> Prepared(Families families) {
  return std::make_shared<const Families>(PrepareFamilies(std::move(families), 5s));
}

TEST(PrepareFamilies, SlowCollectorsSayInTheirHelpThatTheyAreCached) {
  EXPECT_EQ(PrepareFamilies(OneGauge("test_value", 1), 30min).at(0).help,
            "A value. (cached by hw_exporter: refreshed every 30m)");
  EXPECT_EQ(PrepareFamilies(OneGauge("test_value", 1), 1min).at(0).help,
            "A value. (cached by hw_exporter: refreshed every 1m)");
  EXPECT_EQ(PrepareFamilies(OneGauge("test_value", 1), 59s).at(0).help, "A value.");
}

TEST(PrepareFamilies, NormalizesOnce) {
  Families families = OneGauge("test_b", 1, {{"z", "1"}, {"a", "2"}});
  Families more = OneGauge("test_a", 2);
  families.insert(families.end(), more.begin(), more.end());
  Families again = OneGauge("test_b", 3, {{"a", "2"}, {"z", "1"}});
  families.insert(families.end(), again.begin(), again.end());

  Families prepared = PrepareFamilies(std::move(families), 5s);
  ASSERT_EQ(prepared.size(), 2u);
  EXPECT_EQ(prepared[0].name, "test_a");
  EXPECT_EQ(prepared[1].name, "test_b");
  ASSERT_EQ(prepared[1].metric.size(), 1u) << "a repeated label set keeps its first series";
  EXPECT_EQ(prepared[1].metric[0].label.at(0).name, "a") << "labels sorted by name";
  EXPECT_EQ(prepared[1].metric[0].gauge.value, 1);
}

class RenderTest : public ::testing::Test {
 protected:
  RenderTest() {
    snapshot.generation = 7;
    snapshot.slots.push_back(Slot("beta", Prepared(OneGauge("test_beta", 2))));
    snapshot.slots.push_back(Slot("alpha", Prepared(OneGauge("test_alpha", 1))));
    snapshot.slots.push_back(Slot("broken", nullptr));
    snapshot.slots.push_back(Slot("process", Prepared(OneGauge("process_threads", 9)), /*is_collector=*/false));
  }

  FamilySnapshot snapshot;
};

TEST_F(RenderTest, MergesTheSlotsTheCollectorMetricsAndTheCallersOwn) {
  const std::string body = Render(snapshot, OneGauge("own_value", 4), Format::kText, ContentEncoding::kIdentity);
  for (const char* line : {"test_alpha 1\n", "test_beta 2\n", "process_threads 9\n", "own_value 4\n",
                           "hw_exporter_collector_success{collector=\"alpha\"} 1\n",
                           "hw_exporter_collector_success{collector=\"broken\"} 0\n"})
    EXPECT_NE(body.find(line), std::string::npos) << line << " in\n" << body;
  EXPECT_EQ(body.find("collector=\"process\""), std::string::npos) << "the process slot is not a collector";
  EXPECT_NE(body.find("hw_exporter_build_info{"), std::string::npos);
  EXPECT_LT(body.find("test_alpha"), body.find("test_beta")) << "families in name order";
}

TEST_F(RenderTest, GzipIsTheSameExpositionCompressed) {
  const std::string identity = Render(snapshot, {}, Format::kText, ContentEncoding::kIdentity);
  const std::string gzip = Render(snapshot, {}, Format::kText, ContentEncoding::kGzip);
  EXPECT_EQ(testing::Gunzip(gzip), identity);
}

TEST(ContentType, OfTheTextFormat) {
  EXPECT_EQ(ContentType(Format::kText), kTextContentType);
  EXPECT_EQ(EncodingName(ContentEncoding::kGzip), "gzip");
  EXPECT_EQ(EncodingName(ContentEncoding::kIdentity), "identity");
}

}  // namespace
}  // namespace hw_exporter

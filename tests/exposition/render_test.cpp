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

// The ages of the collectors' samples move with the moment a response is rendered for; the rest of the body, rendered
// once, is the same for every moment.
TEST_F(RenderTest, TheAgesComeFirstAndTheRestIsTheSameForEveryMoment) {
  snapshot.taken_at = Clock::SteadyTime(100s);
  for (SlotState& slot : snapshot.slots) slot.collected_at = Clock::SteadyTime(98s);
  FamilySnapshot later = snapshot;
  later.taken_at += 7500ms;
  const std::string ages_now =
      "# HELP hw_exporter_collector_cache_age_seconds Age of the collector's samples in this response: they come "
      "from the family cache.\n# TYPE hw_exporter_collector_cache_age_seconds gauge\n"
      "hw_exporter_collector_cache_age_seconds{collector=\"alpha\"} 2\n"
      "hw_exporter_collector_cache_age_seconds{collector=\"beta\"} 2\n";
  const std::string ages_later =
      "# HELP hw_exporter_collector_cache_age_seconds Age of the collector's samples in this response: they come "
      "from the family cache.\n# TYPE hw_exporter_collector_cache_age_seconds gauge\n"
      "hw_exporter_collector_cache_age_seconds{collector=\"alpha\"} 9.5\n"
      "hw_exporter_collector_cache_age_seconds{collector=\"beta\"} 9.5\n";

  const BodyRest rest(snapshot, OneGauge("own_value", 4), Format::kText, ContentEncoding::kIdentity);
  const std::string now = rest.Complete(snapshot);
  const std::string then = rest.Complete(later);
  ASSERT_EQ(now.substr(0, ages_now.size()), ages_now) << now;
  ASSERT_EQ(then.substr(0, ages_later.size()), ages_later) << then;
  EXPECT_EQ(now.substr(ages_now.size()), then.substr(ages_later.size()));
  EXPECT_EQ(now, Render(snapshot, OneGauge("own_value", 4), Format::kText, ContentEncoding::kIdentity));
  EXPECT_NE(now.find("own_value 4\n"), std::string::npos);
  EXPECT_EQ(now.find("hw_exporter_collector_cache_age_seconds", ages_now.size()), std::string::npos) << "the ages once";
}

TEST_F(RenderTest, TheLastBodyOfARestIsTheSameAsAnyOther) {
  FamilySnapshot later = snapshot;
  later.taken_at += 7500ms;
  for (ContentEncoding encoding : {ContentEncoding::kIdentity, ContentEncoding::kGzip}) {
    BodyRest rest(snapshot, {}, Format::kOpenMetrics, encoding);
    const std::string copied = rest.Complete(later);
    EXPECT_EQ(std::move(rest).Complete(later), copied) << EncodingName(encoding);
  }
}

TEST_F(RenderTest, EveryMomentsGzipIsItsExpositionCompressed) {
  FamilySnapshot later = snapshot;
  later.taken_at += 7500ms;
  for (Format format : {Format::kText, Format::kOpenMetrics}) {
    const BodyRest identity(snapshot, {}, format, ContentEncoding::kIdentity);
    const BodyRest gzip(snapshot, {}, format, ContentEncoding::kGzip);
    for (const FamilySnapshot* as_of : {&snapshot, &later})
      EXPECT_EQ(testing::Gunzip(gzip.Complete(*as_of)), identity.Complete(*as_of));
  }
}

// The ages are the exporter's, written apart from the rest: a collector's family of that name, or a counter that
// OpenMetrics would declare under it, would make a second family of the name.
TEST_F(RenderTest, ACollectorsFamilyNamedAsTheAgesIsLeftOut) {
  FamilySet clashing;
  clashing.Gauge("hw_exporter_collector_cache_age_seconds", "Not the exporter's.", 1, {{"collector", "textfile"}});
  clashing.Counter("hw_exporter_collector_cache_age_seconds_total", "Not the exporter's.", 2);
  snapshot.slots.push_back(Slot("textfile", Prepared(clashing.Take())));
  const std::string body = Render(snapshot, {}, Format::kOpenMetrics, ContentEncoding::kIdentity);
  const std::string declaration = "# TYPE hw_exporter_collector_cache_age_seconds ";
  EXPECT_EQ(body.find(declaration), 0u) << body;
  EXPECT_EQ(body.find(declaration, 1), std::string::npos) << body;
  EXPECT_EQ(body.find("Not the exporter's."), std::string::npos) << body;
}

TEST(ContentType, OfTheTextFormat) {
  EXPECT_EQ(ContentType(Format::kText), kTextContentType);
  EXPECT_EQ(EncodingName(ContentEncoding::kGzip), "gzip");
  EXPECT_EQ(EncodingName(ContentEncoding::kIdentity), "identity");
}

}  // namespace
}  // namespace hw_exporter

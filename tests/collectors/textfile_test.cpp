#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>

#include "collectors/collector_harness.h"
#include "support/test_support.h"

namespace hw_exporter::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Sets a file's mtime, so that node_textfile_mtime_seconds has a known value.
void SetMtime(const std::string& path, long seconds, long microseconds = 0) {
  const timeval times[2] = {{seconds, microseconds}, {seconds, microseconds}};
  ASSERT_EQ(utimes(path.c_str(), times), 0) << path;
}

// Writes a file as the documented convention does: under a temporary name, then renamed into place.
void WriteAtomically(const TempDir& dir, const std::string& name, const std::string& contents) {
  const std::string temporary = dir.Write(name + ".tmp" + std::to_string(getpid()), contents);
  ASSERT_EQ(std::rename(temporary.c_str(), (dir.path() + "/" + name).c_str()), 0);
}

class TextfileCollectorTest : public ::testing::Test {
 protected:
  std::unique_ptr<Collector> Make(std::map<std::string, std::string> options = {}) {
    options.emplace("directory", dir_.path());
    return harness_.Make("textfile", options);
  }

  TempDir dir_;
  TempDir root_;
  CollectorHarness harness_{root_.path()};
};

TEST_F(TextfileCollectorTest, ReadsPromFilesOnlyAndNotSubdirectories) {
  SetMtime(dir_.Write("raid.prom", "# HELP node_md_state State of the array.\nnode_md_state{device=\"md0\"} 1\n"),
           1'700'000'000, 123'456);
  dir_.Write("notes.txt", "not_read 1\n");
  dir_.Write("raid.prom.1234", "half_written 1\n");
  dir_.Write("sub/deeper.prom", "not_read 1\n");
  auto collector = Make();
  const Families families = collector->Collect();
  EXPECT_EQ(SampleValue(families, "node_md_state", {{"device", "md0"}}), 1);
  EXPECT_EQ(FindFamily(families, "node_md_state")->help, "State of the array.");
  EXPECT_EQ(FindFamily(families, "not_read"), nullptr);
  EXPECT_EQ(FindFamily(families, "half_written"), nullptr);
  EXPECT_EQ(SampleValue(families, "node_textfile_mtime_seconds", {{"file", dir_.path() + "/raid.prom"}}),
            1'700'000'000);  // whole seconds, as node_exporter 1.5 has it
  EXPECT_EQ(SampleValue(families, "node_textfile_scrape_error"), 0);
  EXPECT_EQ(SampleValue(families, "hw_exporter_textfile_file_error", {{"file", dir_.path() + "/raid.prom"}}), 0);
  EXPECT_THAT(collector->Problems(), IsEmpty());
}

TEST_F(TextfileCollectorTest, WithoutADirectoryItOnlySaysThereWasNoError) {
  auto collector = harness_.Make("textfile");
  const Families families = collector->Collect();
  ASSERT_EQ(families.size(), 1u);
  EXPECT_EQ(SampleValue(families, "node_textfile_scrape_error"), 0);
}

TEST_F(TextfileCollectorTest, ABrokenFileHidesOnlyItself) {
  dir_.Write("a_good.prom", "backup_ok 1\n");
  const std::string broken = dir_.Write("b_broken.prom", "backup_age_seconds 1\nbackup_size{ 3\n");
  dir_.Write("c_good.prom", "apt_upgrades_pending 4\n");
  auto collector = Make();
  const Families families = collector->Collect();
  EXPECT_EQ(SampleValue(families, "backup_ok"), 1);
  EXPECT_EQ(SampleValue(families, "apt_upgrades_pending"), 4);
  EXPECT_EQ(FindFamily(families, "backup_age_seconds"), nullptr);  // the whole broken file, not only its bad line
  EXPECT_EQ(SampleValue(families, "node_textfile_scrape_error"), 1);
  EXPECT_EQ(SampleValue(families, "hw_exporter_textfile_file_error", {{"file", broken}}), 1);
  EXPECT_EQ(SampleValue(families, "node_textfile_mtime_seconds", {{"file", broken}}), std::nullopt);
  EXPECT_THAT(collector->Problems(), ElementsAre(HasSubstr(broken + ":2: expected a label name")));
}

TEST_F(TextfileCollectorTest, AFamilySpreadOverFilesIsMerged) {
  dir_.Write("home.prom",
             "# HELP backup_ok Last backup succeeded.\n# TYPE backup_ok gauge\nbackup_ok{job=\"home\"} 1\n");
  dir_.Write("mail.prom", "# TYPE backup_ok gauge\nbackup_ok{job=\"mail\"} 0\n");
  const Families families = Make()->Collect();
  const auto* family = FindFamily(families, "backup_ok");
  ASSERT_NE(family, nullptr);
  EXPECT_EQ(family->help, "Last backup succeeded.");
  EXPECT_EQ(family->metric.size(), 2u);
  EXPECT_EQ(SampleValue(families, "backup_ok", {{"job", "mail"}}), 0);
}

TEST_F(TextfileCollectorTest, AFileThatContradictsAnEarlierOneIsRefused) {
  dir_.Write("a.prom", "# TYPE backup_ok gauge\nbackup_ok{job=\"home\"} 1\nother 1\n");
  const std::string retyped = dir_.Write("b.prom", "# TYPE backup_ok counter\nbackup_ok{job=\"mail\"} 1\n");
  const std::string repeated = dir_.Write("c.prom", "# TYPE backup_ok gauge\nbackup_ok{job=\"home\"} 0\nfrom_c 1\n");
  const std::string own = dir_.Write("d.prom", "node_textfile_scrape_error 0\n");
  auto collector = Make();
  const Families families = collector->Collect();
  EXPECT_EQ(SampleValue(families, "backup_ok", {{"job", "home"}}), 1);
  EXPECT_EQ(SampleValue(families, "backup_ok", {{"job", "mail"}}), std::nullopt);
  EXPECT_EQ(FindFamily(families, "from_c"), nullptr);
  EXPECT_EQ(SampleValue(families, "node_textfile_scrape_error"), 1);
  EXPECT_THAT(collector->Problems(),
              ElementsAre(retyped + ": the family backup_ok has another type in " + dir_.path() + "/a.prom",
                          repeated + ": a series of backup_ok is also in " + dir_.path() + "/a.prom",
                          own + ": the family node_textfile_scrape_error is the textfile collector's own"));
}

TEST_F(TextfileCollectorTest, AFamilyWithoutHelpSaysWhereItCameFrom) {
  const std::string file = dir_.Write("x.prom", "x 1\n");
  EXPECT_EQ(FindFamily(Make()->Collect(), "x")->help, "Metric read from " + file);
}

TEST_F(TextfileCollectorTest, SeveralDirectoriesAndGlobPatterns) {
  TempDir other;
  dir_.Write("jobs/a/one.prom", "one 1\n");
  dir_.Write("jobs/b/two.prom", "two 2\n");
  other.Write("three.prom", "three 3\n");
  auto collector = harness_.Make("textfile", {{"directory", dir_.path() + "/jobs/*\n" + other.path()}});
  const Families families = collector->Collect();
  EXPECT_EQ(SampleValue(families, "one"), 1);
  EXPECT_EQ(SampleValue(families, "two"), 2);
  EXPECT_EQ(SampleValue(families, "three"), 3);
  EXPECT_EQ(SampleValue(families, "node_textfile_scrape_error"), 0);
}

TEST_F(TextfileCollectorTest, AMissingDirectoryIsAnError) {
  auto collector = harness_.Make("textfile", {{"directory", dir_.path() + "/missing"}});
  EXPECT_EQ(SampleValue(collector->Collect(), "node_textfile_scrape_error"), 1);
  EXPECT_THAT(collector->Problems(), ElementsAre(dir_.path() + "/missing: No such file or directory"));
}

TEST_F(TextfileCollectorTest, BoundsPerFileAndPerDirectory) {
  dir_.Write("a.prom", "a 1\n");                                   // 4 bytes
  const std::string large = dir_.Write("b.prom", "b 12345678\n");  // 11 bytes
  const std::string past = dir_.Write("c.prom", "c 12\n");         // 5 bytes
  dir_.Write("d.prom", "d 1\n");
  dir_.Write("e.prom", "e 1\n");
  auto collector = Make({{"max-file-size", "10"}, {"max-directory-size", "8"}, {"max-files", "4"}});
  const Families families = collector->Collect();
  EXPECT_EQ(SampleValue(families, "a"), 1);
  EXPECT_EQ(FindFamily(families, "b"), nullptr);
  EXPECT_EQ(FindFamily(families, "c"), nullptr);
  EXPECT_EQ(SampleValue(families, "d"), 1);
  EXPECT_EQ(FindFamily(families, "e"), nullptr);
  EXPECT_THAT(collector->Problems(),
              ElementsAre(dir_.path() +
                              ": 5 files, more than max-files (4): those after the first by name are not read",
                          large + ": larger than max-file-size (10 bytes)",
                          past + ": the directory's files would exceed max-directory-size (8 bytes) with this one"));
}

TEST_F(TextfileCollectorTest, WhatIsNotARegularFileIsRefusedWithoutBlocking) {
  ASSERT_EQ(mkfifo((dir_.path() + "/pipe.prom").c_str(), 0600), 0);
  ASSERT_EQ(symlink("/dev/zero", (dir_.path() + "/zero.prom").c_str()), 0);
  auto collector = Make();
  EXPECT_EQ(SampleValue(collector->Collect(), "node_textfile_scrape_error"), 1);
  EXPECT_THAT(collector->Problems(), ElementsAre(dir_.path() + "/pipe.prom: not a regular file",
                                                 dir_.path() + "/zero.prom: not a regular file"));
}

// A file that does not hold still while it is read (written in place): /proc/self/status stands in for one, its
// size (0) never being what a read returns.
TEST_F(TextfileCollectorTest, AFileThatChangesWhileItIsReadIsRefused) {
  ASSERT_EQ(symlink("/proc/self/status", (dir_.path() + "/moving.prom").c_str()), 0);
  auto collector = Make();
  EXPECT_EQ(SampleValue(collector->Collect(), "node_textfile_scrape_error"), 1);
  EXPECT_THAT(collector->Problems(), ElementsAre(dir_.path() + "/moving.prom: changed while it was read: write it "
                                                               "under another name and rename it into place"));
}

TEST_F(TextfileCollectorTest, TimestampsAreRefusedAsNodeExporterDoes) {
  const std::string file = dir_.Write("t.prom", "with_time 1 1700000000000\n");
  auto collector = Make();
  EXPECT_EQ(FindFamily(collector->Collect(), "with_time"), nullptr);
  EXPECT_THAT(collector->Problems(), ElementsAre(HasSubstr(file + ":1: a timestamp on a sample")));
}

TEST_F(TextfileCollectorTest, OptionsAreChecked) {
  EXPECT_THROW(Make({{"max-file-size", "1MB"}}), CollectorOptionError);
  EXPECT_THROW(Make({{"max-directory-size", "0"}}), CollectorOptionError);
  EXPECT_THROW(Make({{"max-files", "-1"}}), CollectorOptionError);
  EXPECT_NO_THROW(Make({{"max-file-size", "64KiB"}, {"max-directory-size", "1GiB"}, {"max-files", "5"}}));
}

// The watch: a file renamed into place, or removed, is announced at once; the refresh that follows reads it.
TEST_F(TextfileCollectorTest, AWatchAnnouncesFilesRenamedIntoPlace) {
  auto collector = Make();
  std::atomic<int> announced{0};
  collector->WatchSources([&] { ++announced; });
  EXPECT_EQ(FindFamily(collector->Collect(), "fresh"), nullptr);  // the first refresh starts watching

  WriteAtomically(dir_, "fresh.prom", "fresh 1\n");
  ASSERT_TRUE(Eventually([&] { return announced.load() > 0; }, std::chrono::seconds(10)));
  EXPECT_EQ(SampleValue(collector->Collect(), "fresh"), 1);

  const int before = announced.load();
  std::filesystem::remove(dir_.path() + "/fresh.prom");
  ASSERT_TRUE(Eventually([&] { return announced.load() > before; }, std::chrono::seconds(10)));
  EXPECT_EQ(FindFamily(collector->Collect(), "fresh"), nullptr);
}

}  // namespace
}  // namespace hw_exporter::testing

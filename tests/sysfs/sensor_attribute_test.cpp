#include "hw_exporter/sysfs/sensor_attribute.h"

#include <gtest/gtest.h>

#include <cerrno>

#include "support/test_support.h"
#include "sysfs/failing_reader.h"

namespace hw_exporter::sysfs {
namespace {

TEST(IsValueUnavailable, DriverErrorsOnly) {
  for (int error : {EAGAIN, ENODATA, EIO, ENODEV, ENXIO, EOPNOTSUPP, EINVAL}) EXPECT_TRUE(IsValueUnavailable(error));
  for (int error : {0, ENOENT, EACCES, ENOMEM, EISDIR}) EXPECT_FALSE(IsValueUnavailable(error));
}

TEST(ReadSensorAttribute, TrimsContents) {
  testing::TempDir tree;
  std::string path = tree.Write("temp", " 42000\n");
  EXPECT_EQ(ReadSensorAttribute(path, RealFileReader()), "42000");
}

TEST(ReadSensorAttribute, AbsentRootOnlyAndUnavailableAreNullopt) {
  testing::TempDir tree;
  EXPECT_EQ(ReadSensorAttribute(tree.path() + "/missing", RealFileReader()), std::nullopt);
  std::string path = tree.Write("temp", "1\n");
  for (int error : {EACCES, EAGAIN, ENODATA, EIO}) {
    testing::FailingReader failing;
    failing.Fail("/temp", error);
    EXPECT_EQ(ReadSensorAttribute(path, failing.Reader()), std::nullopt) << "errno " << error;
  }
}

TEST(ReadSensorAttribute, OtherErrorsThrow) {
  testing::TempDir tree;
  std::string path = tree.Write("temp", "1\n");
  testing::FailingReader failing;
  failing.Fail("/temp", ENOMEM);
  EXPECT_THROW(ReadSensorAttribute(path, failing.Reader()), FsError);
}

TEST(ListNumberedEntries, PrefixFollowedByADigit) {
  testing::TempDir tree;
  for (const char* name : {"cpu0/online", "cpu12/online", "cpufreq/boost", "cpu/x", "cpuidle/y"}) tree.Write(name, "1");
  auto entries = ListNumberedEntries(tree.path(), "cpu");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].path, tree.path() + "/cpu0");
  EXPECT_EQ(entries[0].number, "0");
  EXPECT_EQ(entries[1].number, "12");
}

}  // namespace
}  // namespace hw_exporter::sysfs

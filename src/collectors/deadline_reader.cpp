#include "deadline_reader.h"

#include <cerrno>
#include <optional>

namespace hw_exporter {

DeadlineReader::DeadlineReader(sysfs::FileReader read_file, Duration timeout, const Clock& clock, log::Logger log)
    : read_file_(std::make_shared<const sysfs::FileReader>(std::move(read_file))),
      log_(std::move(log)),
      watch_("hwmon-read", timeout, kMaxHungReads, clock) {}

bool DeadlineReader::Run(const Collection& collection) {
  for (const std::string& path : watch_.TakeReturned())
    log_.Info("a file whose read hung returned; it is read again", {{"path", path}});
  const std::optional<std::string> hung_path = watch_.Run([collection,
                                                           read_file = read_file_](const HangWatch::Calls& calls) {
    collection([&](const std::string& path, int* error_number) -> std::optional<std::string> {
      std::optional<std::string> contents;
      if (calls.Make(path, [&] { contents = (*read_file)(path, error_number); })) return contents;
      if (error_number) *error_number = ETIMEDOUT;
      return std::nullopt;
    });
  });
  if (!hung_path) return true;
  log_.Warn("a file read did not return in time; the file is skipped until it does",
            {{"path", *hung_path}, {"timeout", FormatDuration(watch_.timeout())}});
  return false;
}

}  // namespace hw_exporter

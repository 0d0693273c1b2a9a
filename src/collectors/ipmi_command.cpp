#include "ipmi_command.h"

#include "collector_options.h"
#include "hw_exporter/core/strings.h"

namespace hw_exporter {

namespace {

// ipmitool and FreeIPMI print a few lines at most; a sensor list a few hundred.
constexpr size_t kMaxOutputBytes = 4 * 1024 * 1024;
constexpr size_t kQuotedOutput = 200;

IpmiBackend BackendOption(const CollectorContext& context) {
  const std::string& value = context.Option("backend");
  if (value == "ipmitool") return IpmiBackend::kIpmitool;
  if (value == "freeipmi") return IpmiBackend::kFreeipmi;
  throw CollectorOptionError("backend", "expected \"ipmitool\" or \"freeipmi\", got \"" + value + "\"");
}

}  // namespace

IpmiCommand::IpmiCommand(const CollectorContext& context, const std::vector<std::string>& ipmitool_arguments,
                         const std::vector<std::string>& freeipmi_arguments)
    : runner_(context.process_runner),
      log_(context.log),
      backend_(BackendOption(context)),
      timeout_(PositiveDurationOption(context, "command-timeout")) {
  std::vector<std::string> extra;
  for (std::string_view argument : SplitFields(context.Option("args"))) extra.emplace_back(argument);
  const bool ipmitool = backend_ == IpmiBackend::kIpmitool;
  argv_.push_back(context.Option(ipmitool ? "path" : "freeipmi-path"));
  const std::vector<std::string>& first = ipmitool ? extra : freeipmi_arguments;
  const std::vector<std::string>& second = ipmitool ? ipmitool_arguments : extra;
  argv_.insert(argv_.end(), first.begin(), first.end());
  argv_.insert(argv_.end(), second.begin(), second.end());
}

ProcessResult IpmiCommand::Run() const {
  ProcessResult result = runner_.Run(argv_, timeout_, kMaxOutputBytes);
  if (!result.error.empty()) throw std::runtime_error(argv_.front() + ": " + result.error);
  return result;
}

std::string IpmiCommand::DescribeExit(const ProcessResult& result) const {
  std::string message = argv_.front() + " exited with status " + std::to_string(result.exit_status);
  // What it said on stderr; or, when it failed without a word there, the start of what it printed.
  std::string said;
  const std::string& text = result.error_output.empty() && result.exit_status != 0 ? result.output
                                                                                   : result.error_output;
  for (std::string_view line : SplitLines(text)) {
    if (Trim(line).empty()) continue;
    said += (said.empty() ? "" : " / ") + std::string(Trim(line));
  }
  if (!said.empty()) message += ": " + said.substr(0, kQuotedOutput);
  return message;
}

void IpmiCommand::WarnExitStatus(const ProcessResult& result) const {
  log_.Warn("the IPMI tool exited with an error but printed what is needed; that is kept",
            {{"program", argv_.front()},
             {"exit_status", std::to_string(result.exit_status)},
             {"stderr", std::string(Trim(result.error_output).substr(0, kQuotedOutput))}});
}

}  // namespace hw_exporter

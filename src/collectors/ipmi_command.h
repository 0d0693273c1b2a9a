#pragma once

// How the IPMI collectors (ipmi, ipmi_bmc, ipmi_chassis, ipmi_dcmi, ipmi_sel) run their tool, from the options
// they share: `backend` (ipmitool or freeipmi), `path` (ipmitool), `freeipmi-path` (the collector's FreeIPMI
// program), `args` and `command-timeout`. Every run goes through the shared ProcessRunner, so the
// --probe.max-processes bound holds over all of them.

#include <stdexcept>
#include <string>
#include <vector>

#include "hw_exporter/collectors/collector.h"
#include "hw_exporter/core/duration.h"
#include "hw_exporter/probe/process_runner.h"

namespace hw_exporter {

enum class IpmiBackend { kIpmitool, kFreeipmi };

class IpmiCommand {
 public:
  // ipmitool runs as `<path> <args> <ipmitool_arguments>` (options before the subcommand), a FreeIPMI tool as
  // `<freeipmi-path> <freeipmi_arguments> <args>` (ipmi_exporter's flags first, as it runs them). A bad option
  // throws CollectorOptionError.
  IpmiCommand(const CollectorContext& context, const std::vector<std::string>& ipmitool_arguments,
              const std::vector<std::string>& freeipmi_arguments);

  IpmiBackend backend() const { return backend_; }
  const std::vector<std::string>& argv() const { return argv_; }

  // Runs the tool; throws when it could not start or was killed (its timeout).
  ProcessResult Run() const;

  // Runs the tool and reads its output with the backend's parser. A parser's error throws, with the tool's exit
  // status and the start of its stderr. Output that parses is used even when the tool exited non-zero (bmc-info
  // does when a BMC lacks an optional command), with a warning.
  template <typename Parsed>
  Parsed Read(Parsed (*parse_ipmitool)(std::string_view), Parsed (*parse_freeipmi)(std::string_view)) const {
    ProcessResult result = Run();
    Parsed parsed = ParseOrThrow(result, backend_ == IpmiBackend::kIpmitool ? parse_ipmitool : parse_freeipmi);
    if (result.exit_status != 0) WarnExitStatus(result);
    return parsed;
  }

  // "<program> exited with status <n>: <start of stderr, else of stdout>", for errors.
  std::string DescribeExit(const ProcessResult& result) const;
  void WarnExitStatus(const ProcessResult& result) const;

 private:
  template <typename Parsed>
  Parsed ParseOrThrow(const ProcessResult& result, Parsed (*parse)(std::string_view)) const {
    try {
      return parse(result.output);
    } catch (const std::runtime_error& error) {
      throw std::runtime_error(DescribeExit(result) + "; " + error.what());
    }
  }

  ProcessRunner& runner_;
  log::Logger log_;
  IpmiBackend backend_;
  Duration timeout_;
  std::vector<std::string> argv_;
};

}  // namespace hw_exporter

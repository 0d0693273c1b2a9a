// libFuzzer's entry points for every parser of untrusted text: kernel files, probe output (smartctl, ipmitool,
// FreeIPMI), HTTP request parts, the
// web-config file, the textfile collector's files.
// One binary for all of them; HW_EXPORTER_FUZZ_PARSER names the parser a run exercises (fuzz/run.sh sets it).

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/textfile_format.h"
#include "http/first_request.h"
#include "hw_exporter/http/negotiation.h"
#include "hw_exporter/http/percent_decoding.h"
#include "hw_exporter/http/scrape_query.h"
#include "hw_exporter/probe/bmc_info.h"
#include "hw_exporter/probe/chassis_status.h"
#include "hw_exporter/probe/dcmi_power.h"
#include "hw_exporter/probe/ipmimonitoring.h"
#include "hw_exporter/probe/ipmitool_sensor.h"
#include "hw_exporter/probe/sel_info.h"
#include "hw_exporter/probe/smartctl_json.h"
#include "hw_exporter/procfs/cpuinfo.h"
#include "hw_exporter/procfs/diskstats.h"
#include "hw_exporter/procfs/loadavg.h"
#include "hw_exporter/procfs/meminfo.h"
#include "hw_exporter/procfs/mountinfo.h"
#include "hw_exporter/procfs/netdev.h"
#include "hw_exporter/procfs/pressure.h"
#include "hw_exporter/procfs/process.h"
#include "hw_exporter/procfs/stat.h"
#include "hw_exporter/procfs/vmstat.h"
#include "hw_exporter/security/web_config_file.h"
#include "hw_exporter/sysfs/cpu_topology.h"
#include "hw_exporter/sysfs/udev.h"
#include "security/basic_credentials.h"

namespace hw_exporter {
namespace {

using Parser = void (*)(std::string_view);

const std::vector<std::string> kEnabledCollectors{"cpu", "hwmon", "meminfo"};

// clang-format off
const std::map<std::string_view, Parser> kParsers{
    {"cpuinfo", [](std::string_view text) { procfs::ParseCpuInfo(text, "cpuinfo"); }},
    {"diskstats", [](std::string_view text) { procfs::ParseDiskstats(text, "diskstats"); }},
    {"loadavg", [](std::string_view text) { procfs::ParseLoadavg(text, "loadavg"); }},
    {"meminfo", [](std::string_view text) { procfs::ParseMeminfo(text, "meminfo"); }},
    {"mountinfo", [](std::string_view text) { procfs::ParseMountInfo(text, "mountinfo"); }},
    {"netdev", [](std::string_view text) { procfs::ParseNetDev(text, "net/dev"); }},
    {"pressure", [](std::string_view text) { procfs::ParsePressure(text, "pressure"); }},
    {"process_stat", [](std::string_view text) { procfs::ParseProcessStat(text, "self/stat"); }},
    {"process_limits", [](std::string_view text) { procfs::ParseProcessLimits(text, "self/limits"); }},
    {"stat", [](std::string_view text) { procfs::ParseStat(text, "stat"); }},
    {"vmstat", [](std::string_view text) { procfs::ParseVmstat(text, "vmstat"); }},
    {"cpulist", [](std::string_view text) { sysfs::ParseCpuList(text, "isolated"); }},
    {"udev", [](std::string_view text) { sysfs::ParseUdevProperties(text); }},
    {"smartctl", [](std::string_view text) { ParseSmartctlReport(text); }},
    {"smartctl_scan", [](std::string_view text) { ParseSmartctlScan(text); }},
    {"ipmitool", [](std::string_view text) { ParseIpmitoolSensor(text); }},
    {"ipmimonitoring", [](std::string_view text) { ParseIpmimonitoring(text); }},
    {"freeipmi_bmc_info", [](std::string_view text) { ParseFreeipmiBmcInfo(text); }},
    {"ipmitool_bmc_info", [](std::string_view text) { ParseIpmitoolBmcInfo(text); }},
    {"freeipmi_chassis", [](std::string_view text) { ParseFreeipmiChassisStatus(text); }},
    {"ipmitool_chassis", [](std::string_view text) { ParseIpmitoolChassisStatus(text); }},
    {"freeipmi_dcmi", [](std::string_view text) { ParseFreeipmiDcmiPower(text); }},
    {"ipmitool_dcmi", [](std::string_view text) { ParseIpmitoolDcmiPower(text); }},
    {"freeipmi_sel", [](std::string_view text) { ParseFreeipmiSelInfo(text); }},
    {"ipmitool_sel", [](std::string_view text) { ParseIpmitoolSelInfo(text); }},
    {"scrape_query", [](std::string_view text) { ParseScrapeQuery(text, kEnabledCollectors); }},
    {"accept_encoding", [](std::string_view text) { NegotiateEncoding(text); }},
    {"path", [](std::string_view text) { PercentDecodePath(text); }},
    {"request_head", [](std::string_view text) { HttpRequestArrival(text, 8192); TlsHelloArrival(text, text.size()); }},
    {"basic_credentials", [](std::string_view text) { ParseBasicCredentials(text); }},
    {"web_config", [](std::string_view text) { ParseWebConfig(std::string(text), "web.yml"); }},
    {"textfile", [](std::string_view text) { ParseTextfile(text, "x.prom"); }},
};
// clang-format on

Parser selected = nullptr;

}  // namespace
}  // namespace hw_exporter

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* name = std::getenv("HW_EXPORTER_FUZZ_PARSER");
  auto found = name ? hw_exporter::kParsers.find(name) : hw_exporter::kParsers.end();
  if (found == hw_exporter::kParsers.end()) {
    std::fprintf(stderr, "set HW_EXPORTER_FUZZ_PARSER to one of:");
    for (const auto& [parser, _] : hw_exporter::kParsers)
      std::fprintf(stderr, " %.*s", int(parser.size()), parser.data());
    std::fprintf(stderr, "\n");
    std::exit(2);
  }
  hw_exporter::selected = found->second;
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    hw_exporter::selected(std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const std::bad_alloc&) {
    throw;  // unbounded memory is a finding, not an answer
  } catch (const std::exception&) {
    // A clear error is the expected answer to bad input.
  }
  return 0;
}

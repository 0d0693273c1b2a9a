// The collector table: every collector that exists, with its defaults. Keep it in name order.
#include "hw_exporter/collectors/collector_table.h"

#include <algorithm>
#include <chrono>

#include "collectors.h"

namespace hw_exporter {

using namespace std::chrono_literals;

namespace {

// The options every IPMI collector has, then its own: which tool runs, and how.
std::vector<CollectorOption> IpmiOptions(const std::string& freeipmi_program, std::vector<CollectorOption> own = {}) {
  std::vector<CollectorOption> options = {
      {"backend", "ipmitool", "Tool to run: ipmitool or freeipmi"},
      {"path", "ipmitool", "ipmitool to run: an absolute path, or a name looked up in /usr/sbin:/usr/bin:/sbin:/bin"},
      {"freeipmi-path", freeipmi_program,
       "FreeIPMI's " + freeipmi_program + " to run: an absolute path, or a name looked up in the same directories"},
      {"args", "", "Extra arguments for the tool, split on blanks (no shell), e.g. \"-I open\" or \"-D openipmi\""},
      {"command-timeout", "25s",
       "How long the tool may run before it is killed (keep it below the collector's timeout)"}};
  options.insert(options.end(), own.begin(), own.end());
  return options;
}

}  // namespace

const std::vector<CollectorInfo>& CollectorTable() {
  // A table, one row per collector, reads best as written.
  // clang-format off
  static const std::vector<CollectorInfo> table = {
      // name, on by default, TTL, timeout, help, options, factory
      {"cpu", true, 5s, 2s,
       "CPU time per mode from /proc/stat, thermal throttles and isolation from /sys/devices/system/cpu",
       {{"guest", "true", "Export node_cpu_guest_seconds_total"},
        {"info", "false", "Export node_cpu_info from /proc/cpuinfo"},
        {"flags-include", "", "Regexp of /proc/cpuinfo flags to export as node_cpu_flag_info (implies info)"},
        {"bugs-include", "", "Regexp of /proc/cpuinfo bugs to export as node_cpu_bug_info (implies info)"}},
       MakeCpuCollector},
      {"cpufreq", true, 60s, 10s,
       "CPU frequencies from /sys/devices/system/cpu/cpu*/cpufreq; cached longer because reading scaling_cur_freq "
       "can take ~20 ms per CPU on some kernels",
       {}, MakeCpufreqCollector},
      {"diskstats", true, 5s, 2s, "Block device I/O statistics from /proc/diskstats, with udev properties",
       {{"device-exclude", "^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\\d+n\\d+p)\\d+$",
         "Regexp of devices to exclude (mutually exclusive to device-include)"},
        {"device-include", "", "Regexp of devices to include (mutually exclusive to device-exclude)"}},
       MakeDiskstatsCollector},
      {"dmi", true, 1h, 5s, "Machine identification from /sys/class/dmi/id", {}, MakeDmiCollector},
      {"edac", true, 15s, 5s, "Memory error counters from /sys/devices/system/edac/mc", {}, MakeEdacCollector},
      {"filesystem", true, 15s, 5s, "Filesystem usage of the mount points in /proc/1/mountinfo, by statfs(2)",
       {{"mount-points-exclude",
         "^/(dev|proc|run|sys|mnt|media|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)",
         "Regexp of mount points to exclude"},
        {"fs-types-exclude",
         "^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|"
         "overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs|tracefs)$",
         "Regexp of filesystem types to exclude"},
        {"statfs-timeout", "2s",
         "How long to wait for a mount point's statfs; one that takes longer is reported as failed and skipped "
         "until its call returns"}},
       MakeFilesystemCollector},
      {"hwmon", true, 15s, 5s, "Hardware sensors (temperatures, fans, voltages, power ...) from /sys/class/hwmon",
       {{"chip-include", "", "Regexp of hwmon chips (the chip label) to include"},
        {"chip-exclude", "", "Regexp of hwmon chips (the chip label) to exclude"},
        {"read-timeout", "1s",
         "How long to wait for the read of a sensor file; one that takes longer is skipped until its read returns"}},
       MakeHwmonCollector},
      {"ipmi", false, 60s, 30s,
       "IPMI sensors (temperatures, fans, voltages, power ...) from `ipmitool sensor` or FreeIPMI's `ipmimonitoring`",
       IpmiOptions("ipmimonitoring",
                   {{"sdr-cache-directory", "",
                     "Directory of ipmimonitoring's SDR cache (--sdr-cache-directory); empty: FreeIPMI's default, "
                     "~/.freeipmi"}}),
       MakeIpmiCollector, /*yields_names=*/false, /*runs_programs=*/true},
      {"ipmi_bmc", false, 1h, 30s,
       "The BMC's firmware and manufacturer from `ipmitool bmc info` or FreeIPMI's `bmc-info`",
       IpmiOptions("bmc-info"), MakeIpmiBmcCollector, /*yields_names=*/false, /*runs_programs=*/true},
      {"ipmi_chassis", false, 60s, 30s,
       "Chassis power and fault states from `ipmitool chassis status` or `ipmi-chassis --get-chassis-status`",
       IpmiOptions("ipmi-chassis"), MakeIpmiChassisCollector, /*yields_names=*/false, /*runs_programs=*/true},
      {"ipmi_dcmi", false, 30s, 30s,
       "Power consumption measured by the BMC from `ipmitool dcmi power reading` or "
       "`ipmi-dcmi --get-system-power-statistics`",
       IpmiOptions("ipmi-dcmi"), MakeIpmiDcmiCollector, /*yields_names=*/false, /*runs_programs=*/true},
      {"ipmi_sel", false, 60s, 30s,
       "System Event Log entries and free space from `ipmitool sel info` or `ipmi-sel --info`",
       IpmiOptions("ipmi-sel"), MakeIpmiSelCollector, /*yields_names=*/false, /*runs_programs=*/true},
      {"loadavg", true, 5s, 2s, "Load averages from /proc/loadavg", {}, MakeLoadavgCollector},
      {"meminfo", true, 5s, 2s, "Memory statistics from /proc/meminfo", {}, MakeMeminfoCollector},
      {"netdev", true, 5s, 2s, "Network interface counters from /proc/net/dev and properties from /sys/class/net",
       {{"device-exclude", "^lo$", "Regexp of net devices to exclude (mutually exclusive to device-include)"},
        {"device-include", "", "Regexp of net devices to include (mutually exclusive to device-exclude)"},
        {"netclass-ignored-devices", "", "Regexp of net devices whose /sys/class/net properties are not exported"}},
       MakeNetdevCollector},
      {"nvme", true, 15s, 5s, "NVMe controller identity and state from /sys/class/nvme", {}, MakeNvmeCollector},
      {"powersupplyclass", true, 15s, 5s, "Batteries and power supplies from /sys/class/power_supply",
       {{"ignored-supplies", "^$", "Regexp of power supplies to ignore"}},
       MakePowerSupplyClassCollector},
      {"pressure", true, 5s, 2s, "Pressure stall information (PSI) from /proc/pressure; none when PSI is off", {},
       MakePressureCollector},
      {"rapl", true, 15s, 5s, "RAPL energy counters from /sys/class/powercap (root-only since kernel 5.10)",
       {{"enable-zone-label", "false",
         "Name the zone in a rapl_zone label of node_rapl_joules_total instead of in the metric name"}},
       MakeRaplCollector},
      {"smartctl", false, 30min, 2min, "SMART health and attributes of disks from `smartctl --json`",
       {{"path", "smartctl", "smartctl to run: an absolute path, or a name looked up in /usr/sbin:/usr/bin:/sbin:/bin"},
        {"device-include", "", "Regexp of device labels (sda, nvme0, bus_0_megaraid_1) to include"},
        {"device-exclude", "", "Regexp of device labels to exclude (mutually exclusive to device-include)"},
        {"scan-ttl", "1h", "How often `smartctl --scan-open` looks for added or removed disks"},
        {"device-timeout", "30s",
         "How long smartctl may take for one device (and for the scan), at most what is left of the refresh's "
         "timeout"}},
       MakeSmartctlCollector, /*yields_names=*/false, /*runs_programs=*/true},
      {"stat", true, 5s, 2s, "Kernel activity (interrupts, context switches, forks, boot time) from /proc/stat",
       {{"softirq", "false", "Export node_softirqs_total per softirq vector"}},
       MakeStatCollector},
      {"textfile", true, 15s, 5s,
       "Metrics that cron jobs and scripts write to *.prom files (text format or OpenMetrics), as node_exporter's "
       "textfile collector reads them; a file renamed into place is read at once",
       {{"directory", "", "Directory of *.prom files, or a glob pattern of directories", /*repeatable=*/true},
        {"max-file-size", "1MiB", "Largest file read (KiB, MiB, GiB); a larger one is refused"},
        {"max-directory-size", "16MiB", "Most bytes read from one directory's files; files past it are refused"},
        {"max-files", "1000", "Most *.prom files read from one directory, first by name"}},
       MakeTextfileCollector, /*yields_names=*/true},
      {"thermal_zone", true, 15s, 5s, "Thermal zone temperatures and cooling device states from /sys/class/thermal",
       {}, MakeThermalZoneCollector},
      {"vmstat", true, 5s, 2s, "Virtual memory statistics from /proc/vmstat",
       {{"fields", "^(oom_kill|pgpg|pswp|pg.*fault).*", "Regexp of /proc/vmstat fields to export"}},
       MakeVmstatCollector},
  };
  // clang-format on
  return table;
}

const CollectorInfo* FindCollector(std::string_view name) {
  const auto& table = CollectorTable();
  auto found = std::find_if(table.begin(), table.end(), [&](const CollectorInfo& info) { return info.name == name; });
  return found == table.end() ? nullptr : &*found;
}

}  // namespace hw_exporter

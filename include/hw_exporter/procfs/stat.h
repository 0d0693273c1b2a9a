#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hw_exporter::procfs {

// The kernel reports CPU time in USER_HZ ticks, which is 100 on every architecture Linux exposes to user space
// (the same assumption node_exporter makes).
inline constexpr double kUserHz = 100.0;

// Time one CPU (or all of them) spent in each mode, in seconds. guest and guest_nice are also counted in
// user and nice.
struct CpuTimes {
  double user = 0;
  double nice = 0;
  double system = 0;
  double idle = 0;
  double iowait = 0;
  double irq = 0;
  double softirq = 0;
  double steal = 0;
  double guest = 0;
  double guest_nice = 0;
};

// The softirq vectors in the order of the "softirq" line of /proc/stat.
inline constexpr std::string_view kSoftirqVectors[] = {"hi",           "timer",   "net_tx", "net_rx",  "block",
                                                       "block_iopoll", "tasklet", "sched",  "hrtimer", "rcu"};

// /proc/stat. A line that is absent leaves its member empty; lines this parser does not know are ignored.
struct Stat {
  std::optional<CpuTimes> total;                       // the "cpu" line
  std::map<unsigned, CpuTimes> cpus;                   // "cpuN" lines by N; offline CPUs have no line
  std::optional<unsigned long long> interrupts;        // first number of "intr"
  std::optional<unsigned long long> context_switches;  // "ctxt"
  std::optional<unsigned long long> boot_time;         // "btime", seconds since the epoch
  std::optional<unsigned long long> forks;             // "processes"
  std::optional<unsigned long long> procs_running;
  std::optional<unsigned long long> procs_blocked;
  std::vector<unsigned long long> softirqs;  // per vector (see kSoftirqVectors), without the leading total
};

// Parses the text of /proc/stat; source names the file in error messages. Throws ParseError, also for a text
// without the "cpu" line that every kernel prints (an empty or corrupted file).
Stat ParseStat(std::string_view text, std::string_view source);

}  // namespace hw_exporter::procfs

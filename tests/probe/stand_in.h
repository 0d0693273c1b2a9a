#pragma once

// Stand-in programs for probes: small shell scripts a test writes into its TempDir. The runner never uses a
// shell itself; a stand-in merely happens to be one.

#include <sys/types.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace hw_exporter::testing {

// Writes an executable /bin/sh script and returns its path.
inline std::string WriteStandIn(const TempDir& dir, const std::string& name, const std::string& body) {
  std::string path = dir.Write(name, "#!/bin/sh\n" + body);
  std::filesystem::permissions(path, std::filesystem::perms::owner_all, std::filesystem::perm_options::add);
  return path;
}

// Shell-quoted, for paths put into a stand-in's text.
inline std::string Quoted(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// A stand-in IPMI tool (ipmitool, ipmimonitoring, bmc-info ...) that appends its arguments to <dir>/<name>.calls
// and prints the captures; from its second run on, when `later` is given, it runs that shell text instead (to
// fail, say).
inline std::string WriteCaptureStandIn(const TempDir& dir, const std::string& name,
                                       const std::vector<std::string>& captures, const std::string& later = "") {
  const std::string calls = Quoted(dir.path() + "/" + name + ".calls");
  std::string body;
  if (!later.empty()) body += "if [ -e " + calls + " ]; then\n" + later + "\nfi\n";
  body += "echo \"$*\" >> " + calls + "\n";
  for (const std::string& capture : captures) body += "cat " + Quoted(capture) + "\n";
  return WriteStandIn(dir, name, body);
}

// Processes of a process group that are still alive (zombies, already dead, are not counted).
inline std::vector<pid_t> LiveGroupMembers(pid_t group) {
  std::vector<pid_t> members;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream file(entry.path() / "stat");
    std::string stat((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    size_t comm_end = stat.rfind(')');
    if (comm_end == std::string::npos) continue;
    std::istringstream rest(stat.substr(comm_end + 1));
    char state = 0;
    pid_t parent = 0;
    pid_t process_group = 0;
    rest >> state >> parent >> process_group;
    if (process_group == group && state != 'Z' && state != 'X') members.push_back(std::stoi(name));
  }
  return members;
}

}  // namespace hw_exporter::testing

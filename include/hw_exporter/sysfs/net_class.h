#pragma once

#include <map>
#include <string>
#include <vector>

namespace hw_exporter::sysfs {

// What /sys/class/net/<interface>/ says about one interface. An attribute that could not be read (EINVAL from
// speed while the link is down, EOPNOTSUPP, permissions) or parsed is left empty or absent.
struct NetClassInterface {
  std::string name;
  std::string address;
  std::string broadcast;
  std::string duplex;
  std::string ifalias;
  std::string operstate;
  // The numeric attributes (mtu, speed, carrier, flags, ...) by file name.
  std::map<std::string, long long> numbers;
};

// The interfaces of a class/net directory (entries that are, or link to, directories), sorted; none when the
// directory is absent.
std::vector<std::string> ListNetClassInterfaces(const std::string& class_net_directory);

NetClassInterface ReadNetClassInterface(const std::string& class_net_directory, const std::string& name);

}  // namespace hw_exporter::sysfs

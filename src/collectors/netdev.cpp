// Network interfaces: the traffic counters of /proc/net/dev (node_exporter 1.5's netdev collector, /proc flavour)
// and the link properties of /sys/class/net (its netclass collector), each under its own filter as there.
#include <array>

#include "collector_options.h"
#include "collectors.h"
#include "hw_exporter/core/fs.h"
#include "hw_exporter/procfs/netdev.h"
#include "hw_exporter/sysfs/net_class.h"
#include "name_filter.h"

namespace hw_exporter {

namespace {

using procfs::NetDevStats;
using sysfs::NetClassInterface;

// node_exporter's names of the /proc/net/dev columns, in NetDevStats' order.
constexpr std::array<const char*, 8> kReceiveColumns = {"bytes", "packets", "errs",       "drop",
                                                        "fifo",  "frame",   "compressed", "multicast"};
constexpr std::array<const char*, 8> kTransmitColumns = {"bytes", "packets", "errs",    "drop",
                                                         "fifo",  "colls",   "carrier", "compressed"};

struct PropertyMetric {
  const char* attribute;  // file name under /sys/class/net/<interface>/
  const char* property;   // node_network_<property>
  bool counter;
};

constexpr std::array<PropertyMetric, 16> kPropertyMetrics = {{
    {"addr_assign_type", "address_assign_type", false},
    {"carrier", "carrier", false},
    {"carrier_changes", "carrier_changes_total", true},
    {"carrier_up_count", "carrier_up_changes_total", true},
    {"carrier_down_count", "carrier_down_changes_total", true},
    {"dev_id", "device_id", false},
    {"dormant", "dormant", false},
    {"flags", "flags", false},
    {"ifindex", "iface_id", false},
    {"iflink", "iface_link", false},
    {"link_mode", "iface_link_mode", false},
    {"mtu", "mtu_bytes", false},
    {"name_assign_type", "name_assign_type", false},
    {"netdev_group", "net_dev_group", false},
    {"tx_queue_len", "transmit_queue_length", false},
    {"type", "protocol_type", false},
}};

void AddCounters(FamilySet& families, const std::string& direction, const std::array<const char*, 8>& columns,
                 const std::array<uint64_t, 8>& values, const Labels& labels) {
  for (size_t i = 0; i < columns.size(); ++i) {
    const std::string statistic = direction + "_" + columns[i];
    families.Counter("node_network_" + statistic + "_total", "Network device statistic " + statistic + ".",
                     static_cast<double>(values[i]), labels);
  }
}

void AddProperty(FamilySet& families, const std::string& property, bool counter, double value, const Labels& labels) {
  const std::string name = "node_network_" + property;
  const std::string help = "Network device property: " + property;
  if (counter) {
    families.Counter(name, help, value, labels);
  } else {
    families.Gauge(name, help, value, labels);
  }
}

void AddNetClass(FamilySet& families, const NetClassInterface& interface) {
  const Labels labels = {{"device", interface.name}};
  families.Gauge("node_network_up", "Value is 1 if operstate is 'up', 0 otherwise.",
                 interface.operstate == "up" ? 1 : 0, labels);
  families.Gauge("node_network_info", "Non-numeric data from /sys/class/net/<iface>, value is always 1.", 1,
                 {{"device", interface.name},
                  {"address", interface.address},
                  {"broadcast", interface.broadcast},
                  {"duplex", interface.duplex},
                  {"operstate", interface.operstate},
                  {"ifalias", interface.ifalias}});
  for (const PropertyMetric& metric : kPropertyMetrics) {
    auto found = interface.numbers.find(metric.attribute);
    if (found != interface.numbers.end()) {
      AddProperty(families, metric.property, metric.counter, static_cast<double>(found->second), labels);
    }
  }
  // Mbit/s to bytes/s. Drivers that do not know the speed say -1, which node_exporter 1.5 passes on (as -125000).
  if (auto speed = interface.numbers.find("speed"); speed != interface.numbers.end()) {
    AddProperty(families, "speed_bytes", false, static_cast<double>(speed->second * 1000 * 1000 / 8), labels);
  }
}

class NetdevCollector : public Collector {
 public:
  NetdevCollector(Paths paths, NameFilter counters_filter, NameFilter netclass_filter)
      : paths_(std::move(paths)),
        counters_filter_(std::move(counters_filter)),
        netclass_filter_(std::move(netclass_filter)) {}

  Families Collect() override {
    FamilySet families;
    const std::string path = paths_.Proc("net/dev");
    for (const NetDevStats& stats : procfs::ParseNetDev(ReadFile(path), path)) {
      if (counters_filter_.Ignored(stats.device)) continue;
      const Labels labels = {{"device", stats.device}};
      AddCounters(families, "receive", kReceiveColumns, stats.receive, labels);
      AddCounters(families, "transmit", kTransmitColumns, stats.transmit, labels);
    }
    const std::string class_net = paths_.Sys("class/net");
    for (const std::string& name : sysfs::ListNetClassInterfaces(class_net)) {
      if (!netclass_filter_.Ignored(name)) AddNetClass(families, sysfs::ReadNetClassInterface(class_net, name));
    }
    return families.Take();
  }

 private:
  Paths paths_;
  NameFilter counters_filter_;
  NameFilter netclass_filter_;
};

}  // namespace

std::unique_ptr<Collector> MakeNetdevCollector(const CollectorContext& context) {
  return std::make_unique<NetdevCollector>(context.paths, DeviceFilterFromOptions(context, "netdev"),
                                           NameFilter(RegexOption(context, "netclass-ignored-devices"), {}));
}

}  // namespace hw_exporter

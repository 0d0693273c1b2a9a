#include <gtest/gtest.h>

#include "collectors/collector_harness.h"
#include "support/test_support.h"

namespace hw_exporter::testing {
namespace {

Labels Device(const std::string& device) { return {{"device", device}}; }

Families Collect(const std::map<std::string, std::string>& options = {}) {
  CollectorHarness harness(Fixture("storage_network"));
  return harness.Make("netdev", options)->Collect();
}

TEST(NetdevCollector, ExportsEveryProcNetDevColumnUnderNodeExportersNames) {
  Families families = Collect();
  EXPECT_EQ(SampleValue(families, "node_network_receive_bytes_total", Device("eth0")), 18446744073709551615.0);
  EXPECT_EQ(SampleValue(families, "node_network_receive_errs_total", Device("eth0")), 3);
  EXPECT_EQ(SampleValue(families, "node_network_receive_drop_total", Device("eth0")), 4);
  EXPECT_EQ(SampleValue(families, "node_network_receive_frame_total", Device("eth0")), 6);
  EXPECT_EQ(SampleValue(families, "node_network_receive_multicast_total", Device("eth0")), 8);
  EXPECT_EQ(SampleValue(families, "node_network_transmit_bytes_total", Device("eth0")), 9);
  EXPECT_EQ(SampleValue(families, "node_network_transmit_colls_total", Device("eth0")), 14);
  EXPECT_EQ(SampleValue(families, "node_network_transmit_carrier_total", Device("eth0")), 15);
  EXPECT_EQ(SampleValue(families, "node_network_transmit_compressed_total", Device("eth0")), 16);
  EXPECT_EQ(FindFamily(families, "node_network_receive_bytes_total")->help, "Network device statistic receive_bytes.");
  EXPECT_EQ(FindFamily(families, "node_network_transmit_colls_total")->type, prometheus::MetricType::Counter);
  size_t counter_families = 0;
  for (const auto& family : families) {
    const bool traffic = family.name.starts_with("node_network_receive_") ||
                         family.name.starts_with("node_network_transmit_");
    counter_families += traffic && family.name.ends_with("_total");
  }
  EXPECT_EQ(counter_families, 16u);
}

TEST(NetdevCollector, ExcludesLoopbackCountersByDefault) {
  Families families = Collect();
  EXPECT_EQ(SeriesCount(families, "node_network_receive_bytes_total"), 3u);
  EXPECT_FALSE(SampleValue(families, "node_network_receive_bytes_total", Device("lo")));
  EXPECT_EQ(SampleValue(families, "node_network_transmit_bytes_total", Device("enp0s31f6.100")), 200);
}

TEST(NetdevCollector, IncludeReplacesTheDefaultExclude) {
  Families families = Collect({{"device-include", "^(lo|eth0)$"}});
  EXPECT_EQ(SeriesCount(families, "node_network_receive_bytes_total"), 2u);
  EXPECT_EQ(SampleValue(families, "node_network_receive_bytes_total", Device("lo")), 5000);
}

TEST(NetdevCollector, ExcludeAndIncludeAreMutuallyExclusive) {
  CollectorHarness harness(Fixture("storage_network"));
  try {
    harness.Make("netdev", {{"device-include", "^eth"}, {"device-exclude", "^br-"}});
    FAIL() << "expected a CollectorOptionError";
  } catch (const CollectorOptionError& error) {
    EXPECT_EQ(error.option(), "device-include");
  }
}

TEST(NetdevCollector, ExportsLinkPropertiesOfEveryInterfaceInClassNet) {
  Families families = Collect();
  // The netclass series are not under the counters' filter, as in node_exporter: lo has them.
  EXPECT_EQ(SeriesCount(families, "node_network_up"), 3u);
  EXPECT_EQ(SampleValue(families, "node_network_up", Device("eth0")), 1);
  EXPECT_EQ(SampleValue(families, "node_network_up", Device("wlan0")), 0);
  EXPECT_EQ(SampleValue(families, "node_network_up", Device("lo")), 0);
  EXPECT_EQ(SampleValue(families, "node_network_info",
                        {{"device", "eth0"},
                         {"address", "52:54:00:12:34:56"},
                         {"broadcast", "ff:ff:ff:ff:ff:ff"},
                         {"duplex", "full"},
                         {"operstate", "up"},
                         {"ifalias", "uplink to switch 3"}}),
            1);
  EXPECT_EQ(SampleValue(families, "node_network_mtu_bytes", Device("lo")), 65536);
  EXPECT_EQ(SampleValue(families, "node_network_flags", Device("eth0")), 4099);
  EXPECT_EQ(SampleValue(families, "node_network_device_id", Device("wlan0")), 32);
  EXPECT_EQ(SampleValue(families, "node_network_protocol_type", Device("lo")), 772);
  EXPECT_EQ(SampleValue(families, "node_network_iface_id", Device("wlan0")), 3);
  EXPECT_EQ(SampleValue(families, "node_network_carrier_changes_total", Device("eth0")), 3);
  EXPECT_EQ(FindFamily(families, "node_network_carrier_changes_total")->type, prometheus::MetricType::Counter);
  EXPECT_EQ(FindFamily(families, "node_network_mtu_bytes")->help, "Network device property: mtu_bytes");
}

TEST(NetdevCollector, ConvertsSpeedToBytesAndSkipsAnUnreadableOne) {
  Families families = Collect();
  EXPECT_EQ(SampleValue(families, "node_network_speed_bytes", Device("eth0")), 125000000);
  // An unknown speed (-1) is passed on the way node_exporter 1.5 does.
  EXPECT_EQ(SampleValue(families, "node_network_speed_bytes", Device("wlan0")), -125000);
  EXPECT_FALSE(SampleValue(families, "node_network_speed_bytes", Device("lo")));
  EXPECT_FALSE(SampleValue(families, "node_network_carrier_changes_total", Device("lo")));
}

TEST(NetdevCollector, NetclassHasAFilterOfItsOwn) {
  Families families = Collect({{"netclass-ignored-devices", "^lo$"}});
  EXPECT_EQ(SeriesCount(families, "node_network_up"), 2u);
  EXPECT_FALSE(SampleValue(families, "node_network_up", Device("lo")));
}

TEST(NetdevCollector, FailsWithoutProcNetDev) {
  TempDir root;
  CollectorHarness harness(root.path());
  EXPECT_THROW(harness.Make("netdev")->Collect(), std::exception);
}

TEST(NetdevCollector, AnErrorNamesTheFileUnderTheProcfsRoot) {
  TempDir root;
  root.Write("proc/net/dev", "h1\nh2\n  eth0: 1 2 3\n");
  CollectorHarness harness(root.path());
  EXPECT_EQ(CollectError(*harness.Make("netdev")),
            root.path() + "/proc/net/dev:3: expected an interface name and 16 counters");
}

TEST(NetdevCollector, HasNoNetclassSeriesWithoutClassNet) {
  TempDir root;
  root.Write("proc/net/dev", "h1\nh2\n  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n");
  CollectorHarness harness(root.path());
  Families families = harness.Make("netdev")->Collect();
  EXPECT_EQ(SampleValue(families, "node_network_receive_packets_total", Device("eth0")), 2);
  EXPECT_FALSE(FindFamily(families, "node_network_up"));
}

}  // namespace
}  // namespace hw_exporter::testing

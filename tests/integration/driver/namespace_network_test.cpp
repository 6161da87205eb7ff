// --netns against real servers (root only; skipped otherwise): servers in their own network
// namespaces replicate across the bridge, a grudge applied with iptables stops a replica from
// receiving writes while the harness still reaches it, healing restores the link, and teardown
// leaves no namespace, bridge or process behind.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "driver/topology/namespace_network.hpp"
#include "driver/topology/replicated_topology.hpp"
#include "faults/partition_shape_fault.hpp"
#include "integration/redis/eventually.hpp"
#include "integration/redis/temp_dir.hpp"
#include "redis/sync_command.hpp"

namespace redproof {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

redis::Reply cmd(const redis::Endpoint& at, std::vector<std::string> args) {
  return redis::sync_command(at, std::move(args), milliseconds(2000));
}

#define SKIP_UNLESS_NETNS()                                                             \
  do {                                                                                  \
    if (const std::string why = NamespaceNetwork::unavailable_reason(); !why.empty()) { \
      GTEST_SKIP() << why;                                                              \
    }                                                                                   \
  } while (0)

TEST(NamespaceNetwork, ReplicasAcrossNamespacesAndAGrudgeCutsTheirLink) {
  SKIP_UNLESS_NETNS();
  testing::TempDir dir;
  TopologyOptions o;
  o.kind = "replicated";
  o.nodes_directory = dir.path() + "/nodes";
  o.netns = true;
  std::vector<int> pids;
  std::string bridge;
  std::vector<std::string> namespaces;
  {
    ReplicatedTopology t(o, 2);
    t.setup();
    ASSERT_NE(t.network(), nullptr);
    const auto d = t.describe();
    bridge = d["netns"]["bridge"];
    for (const auto& [node, ns] : d["netns"]["namespaces"].items()) namespaces.push_back(ns);
    for (const auto& n : d["nodes"]) pids.push_back(n["pid"]);
    ASSERT_EQ(namespaces.size(), 3u);
    EXPECT_TRUE(fs::exists("/var/run/netns/" + namespaces[0]));
    EXPECT_TRUE(fs::exists("/sys/class/net/" + bridge));

    const auto nodes = t.nodes();
    const auto n1 = nodes[0].endpoint, n3 = nodes[2].endpoint;
    EXPECT_NE(n1.host, n3.host) << "each node has its own address";
    EXPECT_EQ(n1.port, 6379);
    EXPECT_TRUE(cmd(n1, {"SET", "a", "1"}).is_status("OK"));
    EXPECT_TRUE(testing::eventually(
        [&] {
          return cmd(n3, {"GET", "a"}).str == "1";
        },
        milliseconds(5000)));

    // n3 alone: it drops the primary's packets and the primary drops its.
    t.network()->partition(isolate_node({"n1", "n2", "n3"}, "n3"));
    EXPECT_TRUE(cmd(n1, {"SET", "b", "1"}).is_status("OK"));
    std::this_thread::sleep_for(milliseconds(1000));
    EXPECT_TRUE(cmd(n3, {"GET", "b"}).is_nil()) << "a partitioned replica receives no writes";
    EXPECT_EQ(cmd(nodes[1].endpoint, {"GET", "b"}).str, "1") << "n2 is on the primary's side";
    t.network()->heal_partition();
    EXPECT_TRUE(testing::eventually(
        [&] {
          return cmd(n3, {"GET", "b"}).str == "1";
        },
        milliseconds(15000)))
        << "after heal the replica catches up";

    // A partition fault records its grudge and heals it.
    PartitionShapeFault fault(PartitionShape::kRandomHalves, *t.network());
    Random rng(4);
    auto started = fault.start(rng);
    EXPECT_EQ(started.f, "start-partition");
    EXPECT_EQ(started.target["shape"], "random-halves");
    EXPECT_FALSE(started.target["grudge"].empty());
    fault.heal();
    EXPECT_TRUE(cmd(n1, {"SET", "c", "1"}).is_status("OK"));
    EXPECT_TRUE(testing::eventually(
        [&] {
          return cmd(n3, {"GET", "c"}).str == "1";
        },
        milliseconds(15000)));
    t.teardown();
  }
  for (int pid : pids) EXPECT_NE(::kill(pid, 0), 0) << "pid " << pid << " survived teardown";
  for (const auto& ns : namespaces) EXPECT_FALSE(fs::exists("/var/run/netns/" + ns)) << ns;
  EXPECT_FALSE(fs::exists("/sys/class/net/" + bridge)) << bridge;
}

TEST(NamespaceNetwork, HealRemovesWhatARecordFileLists) {
  SKIP_UNLESS_NETNS();
  testing::TempDir dir;
  const std::string record = dir.path() + "/network.json";
  std::string bridge, ns;
  {
    auto net = std::make_unique<NamespaceNetwork>(record);
    net->create({"n1"});
    bridge = net->bridge();
    ns = net->namespace_of("n1");
    // A killed run never destroys: leak the object to leave the network behind.
    (void)net.release();
  }
  ASSERT_TRUE(fs::exists("/var/run/netns/" + ns));
  auto removed = remove_recorded_network(record);
  EXPECT_EQ(removed.size(), 2u);
  EXPECT_FALSE(fs::exists("/var/run/netns/" + ns));
  EXPECT_FALSE(fs::exists("/sys/class/net/" + bridge));
  EXPECT_TRUE(remove_recorded_network(record).empty()) << "healing again finds nothing";
}

}  // namespace
}  // namespace redproof

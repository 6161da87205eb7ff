// The replicated and sentinel topologies against real servers: replication works, a cut-off
// primary's writes stop reaching its replicas and arrive after reconnect, a promotion moves the
// clients and demotes the old primary, Sentinel fails over by itself when the primary is cut
// off and demotes it on heal, and teardown leaves no process behind.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <thread>

#include "driver/topology/replicated_topology.hpp"
#include "driver/topology/sentinel_topology.hpp"
#include "faults/network_control.hpp"
#include "faults/partition/grudge.hpp"
#include "integration/redis/eventually.hpp"
#include "integration/redis/temp_dir.hpp"
#include "redis/sync_command.hpp"

namespace redproof {
namespace {

using std::chrono::milliseconds;

redis::Reply cmd(const redis::Endpoint& at, std::vector<std::string> args) {
  return redis::sync_command(at, std::move(args), milliseconds(2000));
}

redis::Endpoint endpoint_of(const Topology& t, const std::string& node) {
  for (const auto& n : t.nodes()) {
    if (n.name == node) return n.endpoint;
  }
  ADD_FAILURE() << "no node " << node;
  return {};
}

bool process_alive(int pid) {
  return pid > 0 && ::kill(pid, 0) == 0;
}

std::vector<int> pids_of(const nlohmann::json& described) {
  std::vector<int> pids;
  for (const auto& n : described["nodes"]) pids.push_back(n["pid"].get<int>());
  if (described.contains("sentinels")) {
    for (const auto& s : described["sentinels"]) pids.push_back(s["pid"].get<int>());
  }
  return pids;
}

TopologyOptions options_in(const testing::TempDir& dir, const std::string& kind) {
  TopologyOptions o;
  o.kind = kind;
  o.nodes_directory = dir.path() + "/nodes";
  return o;
}

TEST(ReplicatedTopology, IsolationStopsReplicationAndPromotionMovesClients) {
  testing::TempDir dir;
  std::vector<int> pids;
  {
    ReplicatedTopology t(options_in(dir, "replicated"), 2);
    t.setup();
    pids = pids_of(t.describe());
    ASSERT_EQ(pids.size(), 3u);
    ASSERT_EQ(t.primary(), "n1");
    ASSERT_EQ(t.replicas(), (std::vector<std::string>{"n2", "n3"}));
    const auto n1 = endpoint_of(t, "n1");
    const auto n2 = endpoint_of(t, "n2");
    EXPECT_EQ(t.client_node(0).endpoint, n1);

    // Replication works.
    ASSERT_TRUE(cmd(n1, {"SET", "a", "1"}).is_status("OK"));
    EXPECT_TRUE(testing::eventually(
        [&] {
          return cmd(n2, {"GET", "a"}).str == "1";
        },
        milliseconds(3000)));

    // Cut off: the primary still acknowledges, the replica never sees the write.
    t.isolate("n1");
    ASSERT_TRUE(cmd(n1, {"SET", "a", "2"}).is_status("OK"));
    std::this_thread::sleep_for(milliseconds(500));
    EXPECT_EQ(cmd(n2, {"GET", "a"}).str, "1");

    // Reconnected: the replica catches up, without a hole in what it applied.
    t.reconnect("n1");
    EXPECT_TRUE(testing::eventually(
        [&] {
          return cmd(n2, {"GET", "a"}).str == "2";
        },
        milliseconds(10000)))
        << cmd(n2, {"INFO", "replication"}).str;

    // Cut off again, write, promote n2: the write n1 acknowledged alone is lost, clients move,
    // and n1 is now a read-only replica of n2.
    t.isolate("n1");
    ASSERT_TRUE(cmd(n1, {"SET", "a", "3"}).is_status("OK"));
    std::this_thread::sleep_for(milliseconds(200));
    t.promote("n2");
    EXPECT_EQ(t.primary(), "n2");
    EXPECT_EQ(t.client_node(0).endpoint, n2);
    ASSERT_TRUE(cmd(n2, {"SET", "b", "x"}).is_status("OK"));
    // Still cut off, n1 cannot reach its new primary either (its own link leaves from its
    // source address, which n2's peer proxy black-holes); reconnected, it follows n2.
    std::this_thread::sleep_for(milliseconds(500));
    EXPECT_TRUE(cmd(n1, {"GET", "b"}).is_nil());
    t.reconnect("n1");
    EXPECT_TRUE(testing::eventually(
        [&] {
          return cmd(n1, {"GET", "b"}).str == "x";
        },
        milliseconds(10000)))
        << cmd(n1, {"INFO", "replication"}).str;
    EXPECT_EQ(cmd(n1, {"GET", "a"}).str, "2");
    EXPECT_EQ(cmd(n1, {"SET", "c", "1"}).error_code(), "READONLY");
    t.heal_links();
    // A replica killed and restarted empty follows the primary again (not a lone master).
    t.kill_server("n3");
    t.restart_server("n3");
    const auto n3 = endpoint_of(t, "n3");
    EXPECT_TRUE(testing::eventually(
        [&] {
          return cmd(n3, {"GET", "b"}).str == "x";
        },
        milliseconds(10000)))
        << cmd(n3, {"INFO", "replication"}).str;
    EXPECT_EQ(cmd(n3, {"ROLE"}).elements.at(0).str, "slave");
    t.teardown();
  }
  for (int pid : pids) EXPECT_FALSE(process_alive(pid)) << "pid " << pid << " survived teardown";
}

// Without --netns the partition shapes go through the peer proxies: a grudge isolating one node
// stops its replication until heal_partition(); a grudge finer than that is refused, not
// silently applied as something else.
TEST(ReplicatedTopology, PeerProxiesApplyGrudgesThatIsolateWholeNodes) {
  testing::TempDir dir;
  ReplicatedTopology t(options_in(dir, "replicated"), 2);
  t.setup();
  NetworkControl* network = t.network();
  ASSERT_NE(network, nullptr);
  EXPECT_EQ(network->partition_nodes(), (std::vector<std::string>{"n1", "n2", "n3"}));
  const auto n1 = endpoint_of(t, "n1");
  const auto n3 = endpoint_of(t, "n3");

  network->partition(isolate_node(network->partition_nodes(), "n3"));
  ASSERT_TRUE(cmd(n1, {"SET", "k", "1"}).is_status("OK"));
  std::this_thread::sleep_for(milliseconds(500));
  EXPECT_TRUE(cmd(n3, {"GET", "k"}).is_nil());

  // n2 alone apart from n3 but still linked to n1: peer proxies cannot express that.
  const Grudge pair_only{{"n2", {"n3"}}, {"n3", {"n2"}}};
  EXPECT_THROW(network->partition(pair_only), std::runtime_error);

  network->heal_partition();
  EXPECT_TRUE(testing::eventually(
      [&] {
        return cmd(n3, {"GET", "k"}).str == "1";
      },
      milliseconds(5000)));
  t.teardown();
}

TEST(SentinelTopology, SentinelFailsOverACutOffPrimaryAndDemotesItOnHeal) {
  testing::TempDir dir;
  std::vector<int> pids;
  {
    SentinelTopology t(options_in(dir, "sentinel"));
    t.setup();
    pids = pids_of(t.describe());
    ASSERT_EQ(pids.size(), 6u);
    ASSERT_EQ(t.primary(), "n1");
    const auto n1 = endpoint_of(t, "n1");
    // Even workers reach the primary directly, odd ones through the network side.
    EXPECT_EQ(t.client_node(0).endpoint, n1);
    EXPECT_NE(t.client_node(1).endpoint, n1);
    EXPECT_EQ(t.client_node(1).name, "n1");

    t.isolate("n1");
    // down-after 1 s, then an election and a promotion.
    EXPECT_TRUE(testing::eventually([&] { return t.primary() != "n1"; }, milliseconds(15000)));
    const std::string promoted = t.primary();
    // Beside the old primary, writes still succeed: two primaries at once.
    EXPECT_TRUE(cmd(n1, {"SET", "side", "old"}).is_status("OK"));
    EXPECT_TRUE(cmd(endpoint_of(t, promoted), {"SET", "side", "new"}).is_status("OK"));

    t.reconnect("n1");
    // Sentinel turns the old primary into a replica of the new one.
    EXPECT_TRUE(testing::eventually(
        [&] {
          try {
            return cmd(n1, {"ROLE"}).elements.at(0).str == "slave" &&
                   cmd(n1, {"GET", "side"}).str == "new";
          } catch (const std::exception&) {
            return false;
          }
        },
        milliseconds(15000)));
    t.teardown();
  }
  for (int pid : pids) EXPECT_FALSE(process_alive(pid)) << "pid " << pid << " survived teardown";
}

}  // namespace
}  // namespace redproof

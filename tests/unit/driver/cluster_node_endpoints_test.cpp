// CLUSTER NODES as an external cluster target reads it at setup: every node's address, so that a
// local seed listing a remote node is refused without --allow-remote.
#include <gtest/gtest.h>

#include "driver/topology/external_topology.hpp"

namespace redproof {
namespace {

TEST(ClusterNodeEndpoints, ReadsEachNodesAddressWithoutTheBusPortOrHostname) {
  const std::string reply =
      "07c3 127.0.0.1:30004@40004 slave e7d1 0 1426238317239 4 connected\n"
      "67ed 127.0.0.1:30002@40002,node-2.example master - 0 1426238316232 2 connected 5461-10922\n"
      "e7d1 10.1.2.3:30001@40001 myself,master - 0 0 1 connected 0-5460\n";
  const auto nodes = cluster_node_endpoints(reply);
  ASSERT_EQ(nodes.size(), 3u);
  EXPECT_EQ(nodes[0].to_string(), "127.0.0.1:30004");
  EXPECT_EQ(nodes[1].to_string(), "127.0.0.1:30002");
  EXPECT_EQ(nodes[2].host, "10.1.2.3");
  EXPECT_EQ(nodes[2].port, 30001);
  EXPECT_FALSE(is_local_host(nodes[2].host));
}

TEST(ClusterNodeEndpoints, ReadsIpv6HostsWithOrWithoutBracketsAndSkipsNodesWithoutAnAddress) {
  const std::string reply =
      "a1 :0@0 master,noaddr - 0 0 0 disconnected\n"
      "\n"
      "b2 ::1:7000@17000 myself,master - 0 0 1 connected 0-16383\n"
      "c3 [2001:db8::5]:7001@17001 master - 0 0 2 connected\n";
  const auto nodes = cluster_node_endpoints(reply);
  ASSERT_EQ(nodes.size(), 2u);
  EXPECT_EQ(nodes[0].host, "::1");
  EXPECT_EQ(nodes[0].port, 7000);
  EXPECT_TRUE(is_local_host(nodes[0].host));
  EXPECT_EQ(nodes[1].host, "2001:db8::5");
  EXPECT_FALSE(is_local_host(nodes[1].host));
}

}  // namespace
}  // namespace redproof

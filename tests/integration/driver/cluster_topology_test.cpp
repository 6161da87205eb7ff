// The cluster topology against real servers: redis-cli creates a cluster of three masters with
// a replica each, a cluster-mode connection spreads keys over the masters by slot and reads them
// back through redirections, and teardown leaves no process behind.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "driver/topology/cluster_topology.hpp"
#include "faults/proxy/fault_proxy.hpp"
#include "integration/redis/temp_dir.hpp"
#include "redis/cluster_routing.hpp"
#include "redis/command_encoder.hpp"
#include "redis/connection.hpp"
#include "redis/sync_command.hpp"

namespace redproof {
namespace {

using std::chrono::milliseconds;

redis::Result run(boost::asio::io_context& io, redis::Connection& c,
                  std::vector<std::string> args) {
  auto f = boost::asio::co_spawn(io, c.exec(std::move(args)), boost::asio::use_future);
  io.restart();
  io.run();
  return f.get();
}

TEST(ClusterTopology, RoutesKeysBySlotAcrossTheMasters) {
  testing::TempDir dir;
  TopologyOptions o;
  o.kind = "cluster";
  o.nodes_directory = dir.path() + "/nodes";
  std::vector<int> pids;
  {
    ClusterTopology t(o);
    t.setup();
    const auto described = t.describe();
    int masters = 0;
    for (const auto& n : described["nodes"]) {
      pids.push_back(n["pid"].get<int>());
      masters += n["role"] == "master";
    }
    EXPECT_EQ(pids.size(), 6u);
    EXPECT_EQ(masters, 3);
    EXPECT_TRUE(t.cluster());

    boost::asio::io_context io;
    redis::ConnectionOptions co;
    co.cluster = true;
    redis::Connection c(io.get_executor(), t.client_node(0).endpoint, co);
    for (int i = 0; i < 60; ++i) {
      auto r = run(io, c, redis::command("SET", "key:" + std::to_string(i), std::to_string(i)));
      ASSERT_TRUE(r.ok()) << r.error << r.reply.describe();
    }
    for (int i = 0; i < 60; ++i) {
      auto r = run(io, c, redis::command("GET", "key:" + std::to_string(i)));
      ASSERT_TRUE(r.ok()) << r.error;
      EXPECT_EQ(r.reply.str, std::to_string(i));
    }
    // Every master owns some of them: requests really went to three nodes.
    int holding = 0;
    std::int64_t total = 0;
    for (const auto& n : t.nodes()) {
      auto role = redis::sync_command(n.endpoint, {"ROLE"}, milliseconds(1000));
      if (role.elements.at(0).str != "master") continue;
      const auto size = redis::sync_command(n.endpoint, {"DBSIZE"}, milliseconds(1000)).integer;
      holding += size > 0;
      total += size;
    }
    EXPECT_EQ(holding, 3);
    EXPECT_EQ(total, 60);
    // A script routes by its first key.
    auto e = run(io, c, redis::command("EVAL", "return redis.call('GET', KEYS[1])", "1", "key:7"));
    ASSERT_TRUE(e.ok()) << e.error << e.reply.describe();
    EXPECT_EQ(e.reply.str, "7");
    t.teardown();
  }
  for (int pid : pids) EXPECT_NE(::kill(pid, 0), 0) << "pid " << pid << " survived teardown";
}

// With a proxy fault the clients reach every node through its fault proxy. The servers' MOVED
// replies name their own addresses; mapped back to the proxies, every master's traffic crosses
// its proxy, so a network fault touches all of it and not only the seed node's.
TEST(ClusterTopology, RedirectionsStayBehindTheProxies) {
  testing::TempDir dir;
  TopologyOptions o;
  o.kind = "cluster";
  o.proxied = true;
  o.nodes_directory = dir.path() + "/nodes";
  ClusterTopology t(o);
  t.setup();
  const auto addresses = t.client_addresses();
  ASSERT_EQ(addresses.size(), 6u);
  boost::asio::io_context io;
  redis::ConnectionOptions co;
  co.cluster = true;
  co.redirect_to = std::make_shared<const redis::AddressMap>(addresses);
  redis::Connection c(io.get_executor(), t.client_node(0).endpoint, co);
  for (int i = 0; i < 60; ++i) {
    auto r = run(io, c, redis::command("SET", "key:" + std::to_string(i), std::to_string(i)));
    ASSERT_TRUE(r.ok()) << r.error << r.reply.describe();
  }
  int proxies_used = 0;
  for (auto* p : t.proxies()) proxies_used += p->stats().bytes_upstream > 0;
  EXPECT_EQ(proxies_used, 3) << "one per master";
  t.teardown();
}

}  // namespace
}  // namespace redproof

// The load engine beyond one server (issue 22): in cluster mode it spreads requests over the
// three masters of a real Redis Cluster by slot (server-side counts prove it) and follows a
// slot migrated during the load (ASK, then MOVED) without error replies, and a dead master's
// slots to its promoted replica; with resolve_endpoint its connections follow the primary to a
// second server when the first dies.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "driver/load/load_engine.hpp"
#include "driver/topology/cluster_topology.hpp"
#include "faults/proxy/fault_proxy.hpp"
#include "integration/redis/temp_dir.hpp"
#include "redis/cluster_routing.hpp"
#include "redis/local_server.hpp"
#include "redis/sync_command.hpp"

namespace redproof::load {
namespace {

using namespace std::chrono_literals;

redis::Reply command(const redis::Endpoint& e, std::vector<std::string> args) {
  return redis::sync_command(e, std::move(args), 2000ms);
}

// The number after `field` in an INFO section (0 when the line is missing).
std::int64_t info_figure(const redis::Endpoint& e, const std::string& section,
                         const std::string& field) {
  const std::string info = command(e, {"INFO", section}).str;
  const auto at = info.find(field);
  return at == std::string::npos ? 0 : std::atoll(info.c_str() + at + field.size());
}

// How often the server ran `name` (a command refused with MOVED or ASK is not counted).
std::int64_t calls(const redis::Endpoint& e, const std::string& name) {
  return info_figure(e, "commandstats", "cmdstat_" + name + ":calls=");
}

// How often the server answered with this error code ("MOVED", "ASK").
std::int64_t error_count(const redis::Endpoint& e, const std::string& code) {
  return info_figure(e, "errorstats", "errorstat_" + code + ":count=");
}

std::vector<redis::Endpoint> masters(const ClusterTopology& t) {
  std::vector<redis::Endpoint> found;
  for (const auto& n : t.nodes()) {
    if (command(n.endpoint, {"ROLE"}).elements.at(0).str == "master") found.push_back(n.endpoint);
  }
  return found;
}

// Lines of a history file whose "type" is `type`.
std::size_t history_lines(const std::string& path, const std::string& type) {
  std::ifstream in(path);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) {
    n += line.find("\"type\":\"" + type + "\"") != std::string::npos;
  }
  return n;
}

class BenchClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    TopologyOptions o;
    o.kind = "cluster";
    o.proxied = proxied_;
    o.nodes_directory = dir_.path() + "/nodes";
    cluster_ = std::make_unique<ClusterTopology>(o);
    cluster_->setup();
  }
  void TearDown() override { cluster_->teardown(); }
  LoadOptions options() {
    LoadOptions o;
    o.cluster = true;
    o.endpoint = cluster_->client_node(0).endpoint;
    o.connections = 4;
    o.threads = 2;
    o.pipeline = 4;
    o.commands = parse_mix("set:1,get:1", o.template_options);
    return o;
  }
  testing::TempDir dir_;
  bool proxied_ = false;
  std::unique_ptr<ClusterTopology> cluster_;
};

class ProxiedBenchClusterTest : public BenchClusterTest {
 protected:
  ProxiedBenchClusterTest() { proxied_ = true; }
};

TEST_F(BenchClusterTest, SpreadsKeysOverEveryMasterBySlot) {
  auto o = options();
  o.key_count = 5000;
  o.max_requests = 30000;
  o.duration = 60s;  // the budget ends it long before
  const auto r = run_load(o);
  EXPECT_EQ(r.completed, 30000u);
  EXPECT_EQ(r.error_replies, 0u);
  EXPECT_EQ(r.timeouts, 0u);
  const auto found = masters(*cluster_);
  ASSERT_EQ(found.size(), 3u);
  std::int64_t commands = 0;
  for (const auto& m : found) {
    const auto keys = command(m, {"DBSIZE"}).integer;
    EXPECT_GT(keys, 100) << m.to_string() << " got few keys: requests were not spread";
    const auto sets = calls(m, "set");
    const auto gets = calls(m, "get");
    EXPECT_GT(sets, 0) << m.to_string();
    EXPECT_GT(gets, 0) << m.to_string();
    commands += sets + gets;
  }
  // Every request ran exactly once, on a master that owns its key (a misrouted one would
  // have been refused with MOVED, which commandstats does not count as a call).
  EXPECT_EQ(commands, 30000);
}

// Open loop: the rate is shared by the sockets to the masters (the replicas' sockets stand by
// without taking a share), so the load runs at the rate asked, spread over the three masters.
TEST_F(BenchClusterTest, OpenLoopKeepsItsRateOverTheMasters) {
  auto o = options();
  o.key_count = 5000;
  o.rate = 3000;
  o.duration = 3s;
  const auto r = run_load(o);
  EXPECT_GT(r.completed, 7000u) << "3 s at 3000/s";
  EXPECT_LT(r.completed, 10000u);
  EXPECT_LT(r.unsent, 500u);
  EXPECT_EQ(r.error_replies, 0u);
  for (const auto& m : masters(*cluster_)) EXPECT_GT(command(m, {"DBSIZE"}).integer, 100);
}

// Behind the fault proxies the slot map and the redirections name the servers' own addresses;
// redirect_to maps them to the proxies, so every master's traffic crosses its proxy.
TEST_F(ProxiedBenchClusterTest, EveryMastersTrafficCrossesItsProxy) {
  auto o = options();
  o.redirect_to = cluster_->client_addresses();
  o.key_count = 5000;
  o.max_requests = 5000;
  o.duration = 60s;
  const auto r = run_load(o);
  EXPECT_EQ(r.completed, 5000u);
  EXPECT_EQ(r.error_replies, 0u);
  int proxies_used = 0;
  for (auto* p : cluster_->proxies()) proxies_used += p->stats().bytes_upstream > 0;
  EXPECT_EQ(proxies_used, 3) << "one per master";
}

// All keys share one {hash tag}, so one slot and one master carry the load. Halfway through,
// the slot moves to another master as redis-cli --cluster reshard does it: IMPORTING and
// MIGRATING (new keys are answered with ASK), MIGRATE of the keys, then SETSLOT NODE (MOVED).
TEST_F(BenchClusterTest, FollowsASlotMigratedDuringTheLoad) {
  auto o = options();
  o.template_options.key_prefix = "{moving}:";
  o.commands = parse_mix("set:1,get:1", o.template_options);
  o.key_count = 200;
  o.duration = 4s;
  o.history_path = dir_.path() + "/history.jsonl";
  const std::uint16_t slot = redis::key_slot("moving");
  const std::string slot_text = std::to_string(slot);
  const auto found = masters(*cluster_);
  ASSERT_EQ(found.size(), 3u);
  auto id = [](const redis::Endpoint& e) { return command(e, {"CLUSTER", "MYID"}).str; };
  std::size_t source_index = found.size();
  for (const auto& range : command(found[0], {"CLUSTER", "SLOTS"}).elements) {
    if (range.elements[0].integer > slot || slot > range.elements[1].integer) continue;
    for (std::size_t i = 0; i < found.size(); ++i) {
      if (found[i].port == range.elements[2].elements[1].integer) source_index = i;
    }
  }
  ASSERT_LT(source_index, found.size()) << "no master owns slot " << slot;
  const redis::Endpoint source = found[source_index];
  const redis::Endpoint target = found[(source_index + 1) % 3];
  const std::string source_id = id(source), target_id = id(target);

  std::thread migrate([&] {
    std::this_thread::sleep_for(1500ms);
    command(target, {"CLUSTER", "SETSLOT", slot_text, "IMPORTING", source_id});
    command(source, {"CLUSTER", "SETSLOT", slot_text, "MIGRATING", target_id});
    for (int round = 0; round < 100; ++round) {
      const auto keys = command(source, {"CLUSTER", "GETKEYSINSLOT", slot_text, "1000"});
      if (keys.elements.empty()) break;
      std::vector<std::string> args{
          "MIGRATE", target.host, std::to_string(target.port), "", "0", "5000", "REPLACE", "KEYS"};
      for (const auto& k : keys.elements) args.push_back(k.str);
      command(source, args);
    }
    std::this_thread::sleep_for(300ms);  // a while of ASK for the keys gone
    // The new owner first, then the old one, then the rest (as redis-cli does).
    command(target, {"CLUSTER", "SETSLOT", slot_text, "NODE", target_id});
    command(source, {"CLUSTER", "SETSLOT", slot_text, "NODE", target_id});
    for (const auto& m : found) command(m, {"CLUSTER", "SETSLOT", slot_text, "NODE", target_id});
  });
  const auto r = run_load(o);
  migrate.join();

  EXPECT_GT(r.completed, 1000u);
  EXPECT_EQ(r.error_replies, 0u) << "redirections were answered as errors";
  EXPECT_EQ(r.timeouts, 0u);
  EXPECT_EQ(command(source, {"DBSIZE"}).integer, 0) << "the slot's keys left the old owner";
  EXPECT_EQ(command(target, {"DBSIZE"}).integer, 200) << "and every key is on the new one";
  EXPECT_GT(calls(source, "set"), 0) << "the load started on the old owner";
  EXPECT_GT(calls(target, "set"), 0) << "and followed the slot to the new one";
  EXPECT_GT(error_count(source, "ASK"), 0) << "the migration was seen as it went";
  EXPECT_GT(error_count(source, "MOVED"), 0) << "and after it";
  // A redirected request is in the history once: one invocation, one completion.
  const auto invoked = history_lines(o.history_path, "invoke");
  EXPECT_EQ(invoked, r.sent);
  EXPECT_EQ(history_lines(o.history_path, "ok"), r.completed);
  EXPECT_EQ(invoked, history_lines(o.history_path, "ok") + history_lines(o.history_path, "fail") +
                         history_lines(o.history_path, "info"));
  // The load went on after the move: the last seconds have completions.
  ASSERT_GE(r.series.size(), 3u);
  EXPECT_GT(r.series.back().completed + r.series[r.series.size() - 2].completed, 0u);
}

// A master killed during the load: its sockets count connection errors while the other
// masters' go on; once its replica is promoted (cluster-node-timeout 2 s, then an election),
// the slot map read again during the load sends its keys to the new master.
TEST_F(BenchClusterTest, ADeadMastersSlotsFollowItsPromotedReplica) {
  auto o = options();
  o.key_count = 5000;
  o.duration = 12s;
  const auto found = masters(*cluster_);
  ASSERT_EQ(found.size(), 3u);
  const redis::Endpoint seed = cluster_->client_node(0).endpoint;
  const redis::Endpoint victim = found[0] == seed ? found[1] : found[0];
  std::string victim_name;
  for (const auto& n : cluster_->nodes()) {
    if (n.endpoint == victim) victim_name = n.name;
  }
  ASSERT_FALSE(victim_name.empty());
  std::vector<redis::Endpoint> replicas;
  for (const auto& n : cluster_->nodes()) {
    if (std::find(found.begin(), found.end(), n.endpoint) == found.end()) {
      replicas.push_back(n.endpoint);
    }
  }
  std::thread kill([&] {
    std::this_thread::sleep_for(2s);
    cluster_->kill_server(victim_name);
  });
  const auto r = run_load(o);
  kill.join();

  EXPECT_GT(r.connection_errors, 0u) << "the dead master's sockets";
  // The replica that took over served reads as a master (a replica serves none in a cluster:
  // its GETs could only come from the load sent to it after the promotion).
  std::int64_t promoted_gets = 0;
  for (const auto& e : replicas) {
    if (command(e, {"ROLE"}).elements.at(0).str == "master") promoted_gets += calls(e, "get");
  }
  EXPECT_GT(promoted_gets, 0) << "no load reached the promoted replica";
  // The load went on to the end, and the error replies were few (a cluster briefly down).
  ASSERT_GE(r.series.size(), 10u);
  EXPECT_GT(r.series.back().completed + r.series[r.series.size() - 2].completed, 0u);
  EXPECT_LT(r.error_replies, r.completed / 10);
}

TEST(BenchFailover, ConnectionsFollowTheResolvedEndpoint) {
  testing::TempDir dir;
  redis::LocalServerOptions a_options, b_options;
  a_options.directory = dir.path() + "/a";
  b_options.directory = dir.path() + "/b";
  redis::LocalServer a(a_options), b(b_options);
  a.start();
  b.start();
  std::atomic<bool> promoted{false};
  LoadOptions o;
  o.endpoint = a.endpoint();
  const redis::Endpoint a_endpoint = a.endpoint(), b_endpoint = b.endpoint();
  o.resolve_endpoint = [&](int) { return promoted.load() ? b_endpoint : a_endpoint; };
  o.connections = 4;
  o.threads = 2;
  o.pipeline = 2;
  o.duration = 4s;
  o.commands = parse_mix("set:1,get:1", o.template_options);
  std::thread failover([&] {
    std::this_thread::sleep_for(1500ms);
    promoted = true;
    a.kill();
  });
  const auto r = run_load(o);
  failover.join();
  EXPECT_GT(r.completed, 0u);
  EXPECT_GE(r.reconnects, 4u) << "every connection reconnected";
  EXPECT_GT(calls(b_endpoint, "set"), 0) << "the load moved to the new primary";
  EXPECT_GT(calls(b_endpoint, "get"), 0);
  // Completions went on after the kill, on the second server.
  ASSERT_GE(r.series.size(), 3u);
  EXPECT_GT(r.series.back().completed + r.series[r.series.size() - 2].completed, 0u);
}

}  // namespace
}  // namespace redproof::load

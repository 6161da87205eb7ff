// `redproof bench --target sentinel://...` and `--target cluster://...` against servers the test
// starts and then treats as someone else's: the load goes where the Sentinels say, and over
// every master of the cluster (each master's own count proves it); AUTH and TLS are refused in
// one line, since bench's load speaks plain TCP.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "driver/topology/cluster_topology.hpp"
#include "driver/topology/sentinel_topology.hpp"
#include "redis/sync_command.hpp"
#include "tests/integration/driver/redproof_process.hpp"

namespace redproof {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class BenchTarget : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = fs::temp_directory_path() /
               ("redproof-bench-target-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(scratch_);
    fs::create_directories(scratch_);
  }
  void TearDown() override { fs::remove_all(scratch_); }
  testing::Outcome run(std::vector<std::string> args) {
    args.insert(args.begin(), "bench");
    args.insert(args.end(), {"--quiet", "--results-dir", (scratch_ / "results").string()});
    return testing::run_redproof(args, scratch_.string());
  }
  TopologyOptions own_topology(const std::string& kind) const {
    TopologyOptions to;
    to.kind = kind;
    to.nodes_directory = (scratch_ / "nodes").string();
    return to;
  }
  static bool is_master(const redis::Endpoint& e) {
    const auto info =
        redis::sync_command(e, {"INFO", "replication"}, std::chrono::milliseconds(2000));
    return info.str.find("role:master") != std::string::npos;
  }
  static std::uint64_t sets_on(const redis::Endpoint& e) {
    const auto info =
        redis::sync_command(e, {"INFO", "commandstats"}, std::chrono::milliseconds(2000));
    const auto at = info.str.find("cmdstat_set:calls=");
    return at == std::string::npos ? 0 : std::stoull(info.str.substr(at + 18));
  }
  fs::path scratch_;
};

TEST_F(BenchTarget, AClusterTargetIsLoadedOnEveryMaster) {
  ClusterTopology cluster(own_topology("cluster"));
  cluster.setup();
  const auto o = run({"--target", "cluster://" + cluster.client_node(0).endpoint.to_string(),
                      "--time", "2s", "--clients", "4"});
  // Replicas count the SETs replicated to them too: the masters' own counts are the load's.
  std::vector<std::uint64_t> sets;
  for (const Node& n : cluster.nodes()) {
    if (is_master(n.endpoint)) sets.push_back(sets_on(n.endpoint));
  }
  cluster.teardown();
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  std::size_t loaded = 0;
  for (auto s : sets) loaded += s > 100 ? 1 : 0;
  EXPECT_EQ(loaded, 3u) << "SETs per master: " << json(sets).dump();
}

TEST_F(BenchTarget, ASentinelTargetLoadsTheMasterTheSentinelsName) {
  SentinelTopology sentinel(own_topology("sentinel"));
  sentinel.setup();
  std::string sentinels;
  const json described = sentinel.describe();
  for (const auto& s : described["sentinels"]) {
    sentinels += (sentinels.empty() ? "" : ",") + s["endpoint"].get<std::string>();
  }
  const auto o = run({"--target", "sentinel://" + sentinels + "/" + SentinelTopology::kMasterName,
                      "--time", "2s", "--clients", "4"});
  const std::uint64_t on_master = sets_on(sentinel.client_node(0).endpoint);
  sentinel.teardown();
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  EXPECT_GT(on_master, 100u);
}

TEST_F(BenchTarget, AuthAndWorkloadsOnSeveralServersAreRefusedInOneLine) {
  for (std::vector<std::string> args :
       {std::vector<std::string>{"--target", "127.0.0.1:1", "--user", "alice", "--password", "x"},
        {"--target", "cluster://127.0.0.1:1", "--workload", "lock"}}) {
    const auto o = run(args);
    EXPECT_EQ(o.exit_code, 2) << o.out << o.err;
    EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
  }
}

}  // namespace
}  // namespace redproof

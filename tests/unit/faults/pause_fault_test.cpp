// Pause faults against a fake ServerControl: what they signal, what they record, and that heal
// undoes everything, twice over.
#include <gtest/gtest.h>

#include <set>

#include "faults/fault_registry.hpp"
#include "faults/kill_restart_fault.hpp"
#include "faults/pause_client_fault.hpp"
#include "faults/pause_server_fault.hpp"

namespace redproof {
namespace {

class FakeServers : public ServerControl {
 public:
  std::vector<std::string> server_names() const override { return {"n1", "n2"}; }
  void pause_server(const std::string& n) override {
    log.push_back("pause " + n);
    paused.insert(n);
  }
  void resume_server(const std::string& n) override {
    log.push_back("resume " + n);
    paused.erase(n);
  }
  void kill_server(const std::string& n) override {
    log.push_back("kill " + n);
    down.insert(n);
  }
  void restart_server(const std::string& n) override {
    log.push_back("restart " + n);
    down.erase(n);
  }
  redis::Endpoint server_endpoint(const std::string&) const override { return {}; }
  std::vector<std::string> log;
  std::set<std::string> paused, down;
};

TEST(PauseServerFault, PausesOneServerAndResumesIt) {
  FakeServers servers;
  PauseServerFault f(servers, std::chrono::milliseconds(500), std::chrono::milliseconds(2000));
  Random rng(7);
  auto d = f.duration(rng);
  EXPECT_GE(d.count(), 500);
  EXPECT_LE(d.count(), 2000);
  auto start = f.start(rng);
  EXPECT_EQ(start.f, "pause");
  ASSERT_EQ(servers.paused.size(), 1u);
  EXPECT_EQ(start.target["node"], *servers.paused.begin());
  auto stop = f.stop();
  EXPECT_EQ(stop.f, "resume");
  EXPECT_EQ(stop.target, start.target);  // fault windows pair them by target
  EXPECT_TRUE(servers.paused.empty());
}

TEST(PauseServerFault, HealResumesEveryServerAndIsIdempotent) {
  FakeServers servers;
  PauseServerFault f(servers, std::chrono::milliseconds(1), std::chrono::milliseconds(2));
  Random rng(1);
  f.start(rng);
  f.heal();
  f.heal();
  EXPECT_TRUE(servers.paused.empty());
}

TEST(KillRestartFault, RestartsWhatItKilledOnStopOrHeal) {
  FakeServers servers;
  KillRestartFault f(servers, std::chrono::milliseconds(1), std::chrono::milliseconds(2));
  Random rng(3);
  auto start = f.start(rng);
  EXPECT_EQ(start.f, "kill");
  EXPECT_EQ(servers.down.size(), 1u);
  f.heal();
  EXPECT_TRUE(servers.down.empty());
  f.heal();
  EXPECT_EQ(servers.log.size(), 2u);  // kill, restart: the second heal did nothing
}

constexpr Hook kBeforeWrite{"before-write", "test hook"};
constexpr Hook kElsewhere{"elsewhere", "a hook not offered"};

TEST(PauseClientFault, AnArmedPauseIsTakenOnceAtItsHook) {
  PauseClientFault f({kBeforeWrite}, std::chrono::milliseconds(700));
  EXPECT_TRUE(f.declares(kBeforeWrite));
  EXPECT_FALSE(f.declares(kElsewhere));
  Random rng(2);
  EXPECT_FALSE(f.take(kBeforeWrite));  // not armed
  auto start = f.start(rng);
  EXPECT_FALSE(start.record);  // the worker records the pause when it strikes
  EXPECT_EQ(start.target["effect"], "pause");
  EXPECT_FALSE(f.take(kElsewhere));
  auto taken = f.take(kBeforeWrite);
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->count(), 700);
  EXPECT_FALSE(f.take(kBeforeWrite));
  f.start(rng);
  f.stop();  // not taken in time: dropped
  EXPECT_FALSE(f.take(kBeforeWrite));
}

TEST(PauseClientFault, NeedsAHook) {
  EXPECT_THROW(PauseClientFault({}, std::chrono::milliseconds(1)), std::invalid_argument);
}

TEST(FaultRegistry, ServerFaultsNeedServerControl) {
  FaultContext without;
  EXPECT_THROW(find_fault("pause-server")->make(without), std::invalid_argument);
  FakeServers servers;
  FaultContext with;
  with.servers = &servers;
  EXPECT_NE(find_fault("pause-server")->make(with), nullptr);
  EXPECT_EQ(find_fault("none")->make, nullptr);
  EXPECT_EQ(find_fault("nope"), nullptr);
}

// Which topology a fault runs on by default, and which faults cannot work without --netns: the
// shapes that isolate whole nodes also work through peer proxies, the finer ones do not.
TEST(FaultRegistry, DefaultTopologiesAndNetnsNeeds) {
  EXPECT_EQ(topology_for_fault("failover"), "replicated");
  EXPECT_EQ(topology_for_fault("partition-primary"), "sentinel");
  EXPECT_EQ(topology_for_fault("partition-random-node"), "sentinel");
  EXPECT_EQ(topology_for_fault("partition-bridge"), "sentinel");
  EXPECT_EQ(topology_for_fault("pause-server"), "single");
  EXPECT_FALSE(fault_needs_netns("partition-primary"));
  EXPECT_FALSE(fault_needs_netns("partition-random-node"));
  EXPECT_FALSE(fault_needs_netns("partition-random-halves"));
  EXPECT_TRUE(fault_needs_netns("partition-majorities-ring"));
  EXPECT_TRUE(fault_needs_netns("partition-bridge"));
  EXPECT_THROW(find_fault("partition-random-node")->make(FaultContext{}), std::invalid_argument);
}

}  // namespace
}  // namespace redproof

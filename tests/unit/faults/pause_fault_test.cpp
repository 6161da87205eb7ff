// Pause faults against a fake ServerControl: what they signal, what they record, and that heal
// undoes everything, twice over.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
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

// Aimed (--fault-at), a server pause holds the client at the hook until the resume only where
// the hook sits between two requests to the server (its next request then queues behind the
// others'); after a validity check, holding it would be a client pause. A restart always holds
// it: the holder must find its server empty.
TEST(PauseServerFault, AimedTheClientWaitsForTheResumeOnlyBetweenTwoRequests) {
  FakeServers servers;
  PauseServerFault pause(servers, std::chrono::milliseconds(1), std::chrono::milliseconds(2));
  EXPECT_TRUE(pause.aimed_client_waits_for_stop(true));
  EXPECT_FALSE(pause.aimed_client_waits_for_stop(false));
  KillRestartFault restart(servers, std::chrono::milliseconds(0), std::chrono::milliseconds(0));
  EXPECT_TRUE(restart.aimed_client_waits_for_stop(false));
}

// An aimed server pause lasts from a third to two thirds of the client pause (a lease plus a
// margin): long enough, often, for the lease to run out, short enough that rivals' requests
// come back with validity left.
TEST(FaultRegistry, AnAimedServerPauseLastsHalfALeaseToAWholeOne) {
  FakeServers servers;
  FaultContext c;
  c.servers = &servers;
  c.aimed = true;
  c.client_pause_length = std::chrono::milliseconds(750);  // a 500 ms lease plus 250
  auto f = find_fault("pause-server")->make(c);
  Random rng(3);
  std::int64_t shortest = INT64_MAX, longest = 0;
  for (int i = 0; i < 200; ++i) {
    const auto d = f->duration(rng).count();
    shortest = std::min<std::int64_t>(shortest, d);
    longest = std::max<std::int64_t>(longest, d);
  }
  EXPECT_GE(shortest, 250);
  EXPECT_LE(longest, 500);
  EXPECT_LT(shortest, longest);  // drawn, not fixed
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

// End-to-end runs of the lock workload against a real redis-server that redproof starts: the
// runs the first issue names, and the ways a user can get it wrong.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "core/history_reader.hpp"
#include "driver/topology/namespace_network.hpp"
#include "tests/integration/driver/redproof_process.hpp"

namespace redproof {
namespace {

namespace fs = std::filesystem;
using testing::Outcome;
using testing::run_redproof;
using testing::slurp;

class RunLock : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = fs::temp_directory_path() /
               ("redproof-run-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(scratch_);
    fs::create_directories(scratch_);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(scratch_);
  }

  Outcome run(std::vector<std::string> args, std::chrono::milliseconds interrupt_after = {},
              int signal = SIGINT) {
    args.push_back("--results-dir");
    args.push_back((scratch_ / "results").string());
    return run_redproof(args, scratch_.string(), interrupt_after, signal);
  }

  fs::path latest() const { return fs::canonical(scratch_ / "results" / "latest"); }
  nlohmann::json results() const { return nlohmann::json::parse(slurp(latest() / "results.json")); }
  nlohmann::json run_json() const { return nlohmann::json::parse(slurp(latest() / "run.json")); }

  // Every server the run started is gone.
  void expect_servers_stopped() const {
    for (const auto& node : run_json()["topology"]["nodes"]) {
      int pid = node["pid"];
      EXPECT_NE(kill(pid, 0), 0) << "redis-server " << pid << " still running";
    }
  }

  fs::path scratch_;
};

TEST_F(RunLock, LuaReleaseWithoutFaultsIsValid) {
  auto o = run({"run", "lock", "--variant", "lua-release", "--fault", "none", "--time", "10s"});
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  auto r = results();
  EXPECT_EQ(r["valid"], true);
  EXPECT_EQ(r["checkers"]["double-holder"]["valid"], true);
  EXPECT_GT(r["checkers"]["double-holder"]["stats"]["acquisitions"].get<int>(), 20);
  for (const char* f :
       {"run.json", "history.jsonl", "results.json", "latency.hgrm", "report.html"}) {
    EXPECT_TRUE(fs::exists(latest() / f)) << f;
  }
  EXPECT_TRUE(fs::exists(latest() / "nodes" / "n1" / "redis.conf"));
  // The history on disk is well-formed by the spec's rules.
  EXPECT_NO_THROW(read_history_file((latest() / "history.jsonl").string()));
  expect_servers_stopped();
}

TEST_F(RunLock, GetDelUnderAClientPauseHasADoubleHolder) {
  auto o = run({"run", "lock", "--variant", "get-del", "--fault", "pause-client", "--time", "10s"});
  ASSERT_EQ(o.exit_code, 1) << o.out << o.err;
  auto r = results();
  EXPECT_EQ(r["valid"], false);
  const auto& dh = r["checkers"]["double-holder"];
  EXPECT_EQ(dh["valid"], false);
  ASSERT_FALSE(dh["anomalies"].empty());
  const auto& v = dh["anomalies"][0]["magnitude"];
  EXPECT_EQ(dh["anomalies"][0]["name"], "double-holder");
  EXPECT_NE(v["first"]["process"], v["second"]["process"]);
  EXPECT_GT(v["overlap_ms"].get<double>(), 0.0);
  EXPECT_NE(o.out.find("double-holder: process"), std::string::npos) << o.out;
  // The pauses are in the history as nemesis events.
  EXPECT_NE(slurp(latest() / "history.jsonl").find("\"fault\":\"pause-client\""),
            std::string::npos);
  expect_servers_stopped();
}

// F8 for setnx-expire: the holder dies between SETNX and PEXPIRE (a crash hook), the lock is
// left with no expiry, and the final inspect finds it stuck.
TEST_F(RunLock, SetnxExpireCrashBetweenTheTwoCommandsLeavesTheLockStuck) {
  auto o = run({"run", "lock", "--variant", "setnx-expire", "--fault", "pause-client", "--time",
                "5s", "--seed", "3"});
  ASSERT_EQ(o.exit_code, 1) << o.out << o.err;
  auto r = results();
  bool stuck = false;
  for (const auto& a : r["anomalies"]) stuck = stuck || a["name"] == "lock-stuck";
  EXPECT_TRUE(stuck) << r["anomalies"].dump();
  EXPECT_NE(o.out.find("no one can ever acquire it again"), std::string::npos) << o.out;
  EXPECT_NE(slurp(latest() / "history.jsonl").find("\"f\":\"crash\""), std::string::npos);
  expect_servers_stopped();
}

// F5: Sentinel elects a new primary while the clients beside the old one keep taking the lock
// there; the acceptance matrix says a double holder, even for the correct Lua release.
TEST_F(RunLock, LuaReleaseUnderASentinelPartitionHasADoubleHolder) {
  auto o = run({"run", "lock", "--variant", "lua-release", "--topology", "sentinel", "--fault",
                "partition-primary", "--time", "20s", "--seed", "1"});
  ASSERT_EQ(o.exit_code, 1) << o.out << o.err;
  auto r = results();
  const auto& dh = r["checkers"]["double-holder"];
  EXPECT_EQ(dh["valid"], false);
  ASSERT_FALSE(dh["anomalies"].empty());
  EXPECT_NE(dh["anomalies"][0].dump().find("partition-primary"), std::string::npos)
      << dh["anomalies"][0].dump();
  const std::string history = slurp(latest() / "history.jsonl");
  EXPECT_NE(history.find("\"f\":\"start-partition\""), std::string::npos);
  EXPECT_NE(history.find("\"f\":\"stop-partition\""), std::string::npos);
  // The clients followed Sentinel: operations went to more than one node.
  EXPECT_NE(history.find("\"node\":\"n2\""), std::string::npos);
  expect_servers_stopped();
}

// F7 and the clock jump: the lock's key goes before its holder's validity ends.
class RunLockUnderExpiryFaults : public RunLock,
                                 public ::testing::WithParamInterface<const char*> {};

TEST_P(RunLockUnderExpiryFaults, LuaReleaseHasADoubleHolder) {
  auto o = run({"run", "lock", "--variant", "lua-release", "--fault", GetParam(), "--time", "8s",
                "--fault-interval", "1500ms", "--seed", "2"});
  ASSERT_EQ(o.exit_code, 1) << o.out << o.err;
  const auto r = results();
  const auto& dh = r["checkers"]["double-holder"];
  EXPECT_EQ(dh["valid"], false);
  ASSERT_FALSE(dh["anomalies"].empty());
  EXPECT_NE(dh["anomalies"][0].dump().find(GetParam()), std::string::npos);
  expect_servers_stopped();
}

INSTANTIATE_TEST_SUITE_P(Faults, RunLockUnderExpiryFaults,
                         ::testing::Values("eviction", "clock-jump"), [](const auto& info) {
                           return std::string(info.param) == "eviction" ? "Eviction" : "ClockJump";
                         });

// Redlock gets its five masters without --topology, and one paused master changes nothing.
TEST_F(RunLock, RedlockOnFiveMastersIsValidWithAPausedMaster) {
  // Short holds (the default 50-300 ms is for faults to land inside a hold): many holders.
  auto o = run({"run", "lock", "--variant", "redlock", "--fault", "pause-server", "--time", "6s",
                "--param", "hold-min=10ms", "--param", "hold-max=60ms"});
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  const auto config = run_json();
  EXPECT_EQ(config["topology"]["kind"], "redlock");
  EXPECT_EQ(config["topology"]["nodes"].size(), 5u);
  EXPECT_GT(results()["checkers"]["double-holder"]["stats"]["holders"].get<int>(), 50);
  expect_servers_stopped();
}

// F2 for get-del, aimed: the server stops after the holder's GET said "mine" and before its DEL;
// the lock expires meanwhile, a rival's SET NX queued during the pause is served first on resume,
// the DEL then deletes the rival's lock, and a third client takes it while the rival still
// believes it holds it. The nemesis event names the hook and the client that triggered it.
TEST_F(RunLock, GetDelUnderAServerPauseBetweenGetAndDelHasADoubleHolder) {
  auto o = run({"run", "lock", "--variant", "get-del", "--fault", "pause-server", "--fault-at",
                "between-get-and-del", "--time", "10s", "--seed", "3"});
  ASSERT_EQ(o.exit_code, 1) << o.out << o.err;
  auto r = results();
  const auto& dh = r["checkers"]["double-holder"];
  ASSERT_FALSE(dh["anomalies"].empty()) << dh.dump();
  EXPECT_EQ(dh["anomalies"][0]["name"], "double-holder");
  EXPECT_NE(slurp(latest() / "history.jsonl").find("\"hook\":\"between-get-and-del\""),
            std::string::npos);
  expect_servers_stopped();
}

// F3 for fencing (anomalies.md: "stall, tokens restart lower"): a restart empties the lock and
// its counter while a holder works; later holders get lower tokens (a violation) and the
// resource refuses their writes (the stall, a note), but accepts no stale write.
TEST_F(RunLock, FencingUnderARestartStallsWithoutAcceptingAStaleWrite) {
  auto o = run({"run", "lock", "--variant", "fencing", "--fault", "kill-restart", "--fault-at",
                "before-write", "--time", "8s", "--seed", "1"});
  ASSERT_EQ(o.exit_code, 1) << o.out << o.err;
  auto r = results();
  std::set<std::string> names;
  for (const auto& a : r["checkers"]["double-holder"]["anomalies"]) names.insert(a["name"]);
  EXPECT_TRUE(names.contains("token-regressed")) << o.out;
  EXPECT_TRUE(names.contains("stall")) << o.out;
  EXPECT_FALSE(names.contains("stale-write-accepted")) << o.out;
  EXPECT_FALSE(names.contains("double-holder")) << o.out;
  expect_servers_stopped();
}

TEST_F(RunLock, FencingUnderAClientPauseKeepsTheResourceSafe) {
  auto o = run({"run", "lock", "--variant", "fencing", "--fault", "pause-client", "--time", "10s"});
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  auto r = results();
  EXPECT_EQ(r["valid"], true);
  const auto& dh = r["checkers"]["double-holder"];
  EXPECT_GT(dh["stats"]["writes_rejected"].get<int>(), 0) << dh.dump();
  EXPECT_EQ(r["checkers"]["double-holder"]["valid"], true);
  expect_servers_stopped();
}

TEST_F(RunLock, LuaReleaseUnderServerPausesIsValidAndHealed) {
  auto o = run({"run", "lock", "--variant", "lua-release", "--fault", "pause-server", "--time",
                "8s", "--request-timeout", "300ms", "--fault-interval", "1500ms"});
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  auto history = slurp(latest() / "history.jsonl");
  EXPECT_NE(history.find("\"f\":\"pause\""), std::string::npos);
  EXPECT_NE(history.find("\"f\":\"resume\""), std::string::npos);
  EXPECT_NE(history.find("\"type\":\"info\",\"f\":\"acquire\""), std::string::npos)
      << "requests to a stopped server should time out as info";
  expect_servers_stopped();
}

TEST_F(RunLock, ProxyLatencyShowsInLatencyAndIsRecorded) {
  auto o = run({"run", "lock", "--variant", "lua-release", "--fault", "proxy-latency", "--time",
                "6s", "--fault-interval", "1s"});
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  auto r = results();
  // 50 ms each way: a round trip through the proxy takes about 100 ms while the fault is on.
  EXPECT_GE(r["checkers"]["latency"]["overall"]["max_ns"].get<std::int64_t>(), 80'000'000);
  auto history = slurp(latest() / "history.jsonl");
  EXPECT_NE(history.find("\"f\":\"start-latency\""), std::string::npos);
  EXPECT_NE(history.find("\"f\":\"stop-latency\""), std::string::npos);
  EXPECT_TRUE(run_json()["topology"]["nodes"][0].contains("proxy"));
  expect_servers_stopped();
}

TEST_F(RunLock, ProxyFaultWithATargetIsAUsageError) {
  auto o = run({"run", "lock", "--fault", "proxy-reset", "--target", "127.0.0.1:1"});
  EXPECT_EQ(o.exit_code, 2) << o.err;
  EXPECT_NE(o.err.find("proxy"), std::string::npos) << o.err;
}

// redis-server processes working in the run's nodes/ directory (redis chdirs to its `dir`).
int servers_left_in(const fs::path& nodes) {
  int n = 0;
  for (const auto& e : fs::directory_iterator("/proc")) {
    std::error_code e1, e2;
    auto exe = fs::read_symlink(e.path() / "exe", e1);
    auto cwd = fs::read_symlink(e.path() / "cwd", e2);
    // Debian's redis-server is a link to redis-check-rdb: match any redis-* binary.
    if (e1 || e2 || exe.filename().string().rfind("redis-", 0) != 0) continue;
    if (cwd.string().rfind(nodes.string(), 0) == 0) ++n;
  }
  return n;
}

TEST_F(RunLock, HealAfterSigkillLeavesNoServerBehind) {
  // kill-restart restarts servers from the nemesis thread, so a restarted server does not die
  // with redproof: exactly what heal is for.
  auto o = run({"run", "lock", "--fault", "kill-restart,pause-server", "--time", "30s",
                "--fault-interval", "300ms"},
               std::chrono::milliseconds(4000), SIGKILL);
  EXPECT_EQ(o.exit_code, 128 + SIGKILL);
  const fs::path dir = latest();
  auto state = nlohmann::json::parse(slurp(dir / "state.json"));
  EXPECT_EQ(state["phase"], "running");
  const int left = servers_left_in(dir / "nodes");
  std::printf("[ measured ] %d server(s) outlived the SIGKILL\n", left);
  auto healed =
      run_redproof({"heal", "--results-dir", (scratch_ / "results").string()}, scratch_.string());
  EXPECT_EQ(healed.exit_code, 0) << healed.err;
  EXPECT_NE(healed.out.find("1 abandoned run healed"), std::string::npos) << healed.out;
  EXPECT_EQ(servers_left_in(dir / "nodes"), 0);
  EXPECT_EQ(nlohmann::json::parse(slurp(dir / "state.json"))["phase"], "healed");
  // The history written before the kill is a readable prefix.
  EXPECT_NO_THROW(read_history_file((dir / "history.jsonl").string(),
                                    HistoryReadOptions{.allow_truncated_last_line = true}));
  // Healing again finds nothing to do.
  auto again =
      run_redproof({"heal", "--results-dir", (scratch_ / "results").string()}, scratch_.string());
  EXPECT_NE(again.out.find("0 abandoned runs healed"), std::string::npos) << again.out;
}

TEST_F(RunLock, HealAfterSigkillOfASentinelRunLeavesNothingBehind) {
  auto o = run(
      {"run", "lock", "--topology", "sentinel", "--fault", "partition-primary", "--time", "30s"},
      std::chrono::milliseconds(9000), SIGKILL);
  EXPECT_EQ(o.exit_code, 128 + SIGKILL);
  const fs::path dir = latest();
  std::printf("[ measured ] %d server(s) and Sentinel(s) outlived the SIGKILL\n",
              servers_left_in(dir / "nodes"));
  auto healed =
      run_redproof({"heal", "--results-dir", (scratch_ / "results").string()}, scratch_.string());
  EXPECT_EQ(healed.exit_code, 0) << healed.err;
  EXPECT_EQ(servers_left_in(dir / "nodes"), 0);
  EXPECT_EQ(nlohmann::json::parse(slurp(dir / "state.json"))["phase"], "healed");
}

TEST_F(RunLock, HealAfterSigkillOfANetnsRunRemovesItsNamespaces) {
  if (const std::string why = NamespaceNetwork::unavailable_reason(); !why.empty()) {
    GTEST_SKIP() << why;
  }
  auto o = run({"run", "lock", "--netns", "--fault", "partition-random-halves", "--time", "30s"},
               std::chrono::milliseconds(9000), SIGKILL);
  EXPECT_EQ(o.exit_code, 128 + SIGKILL);
  const fs::path dir = latest();
  auto record = nlohmann::json::parse(slurp(dir / "nodes" / "network.json"));
  const std::string bridge = record["bridge"];
  ASSERT_EQ(record["namespaces"].size(), 3u);
  for (const auto& ns : record["namespaces"]) {
    EXPECT_TRUE(fs::exists("/var/run/netns/" + ns.get<std::string>())) << ns;
  }
  // The partition was applied before the kill: the history says so.
  EXPECT_NE(slurp(dir / "history.jsonl").find("\"grudge\""), std::string::npos);
  auto healed =
      run_redproof({"heal", "--results-dir", (scratch_ / "results").string()}, scratch_.string());
  EXPECT_EQ(healed.exit_code, 0) << healed.err;
  EXPECT_NE(healed.out.find("deleted bridge " + bridge), std::string::npos) << healed.out;
  EXPECT_EQ(servers_left_in(dir / "nodes"), 0);
  for (const auto& ns : record["namespaces"]) {
    EXPECT_FALSE(fs::exists("/var/run/netns/" + ns.get<std::string>())) << ns;
  }
  EXPECT_FALSE(fs::exists("/sys/class/net/" + bridge));
}

TEST_F(RunLock, APartitionShapeWithoutNetnsIsAUsageError) {
  auto o = run({"run", "lock", "--fault", "partition-bridge", "--time", "1s"});
  EXPECT_EQ(o.exit_code, 2) << o.err;
  EXPECT_NE(o.err.find("--netns"), std::string::npos) << o.err;
  EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
}

// Redlock's variant names its topology (five masters): a partition fault does not swap it for
// Sentinel's replicas (where no lock could be taken), and says in one line what it needs.
TEST_F(RunLock, RedlockKeepsItsMastersAndAPartitionWithoutNetnsIsAUsageError) {
  auto o = run(
      {"run", "lock", "--variant", "redlock", "--fault", "partition-random-node", "--time", "1s"});
  EXPECT_EQ(o.exit_code, 2) << o.out << o.err;
  EXPECT_NE(o.err.find("--netns"), std::string::npos) << o.err;
  EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
  EXPECT_EQ(servers_left_in(scratch_ / "results"), 0);
}

TEST_F(RunLock, AFinishedRunIsNotHealed) {
  auto o = run({"run", "lock", "--time", "1s"});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(nlohmann::json::parse(slurp(latest() / "state.json"))["phase"], "finished");
}

TEST_F(RunLock, ANegativeRateSaysWhatARateIs) {
  auto o = run({"run", "lock", "--rate", "-5"});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("--rate: expected operations per second"), std::string::npos) << o.err;
  EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
}

TEST_F(RunLock, ABadFlagIsOneLineAndExitTwo) {
  auto o = run({"run", "lock", "--no-such-flag"});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
  EXPECT_NE(o.err.find("--no-such-flag"), std::string::npos) << o.err;

  for (std::vector<std::string> args : {std::vector<std::string>{"run", "nolock"},
                                        {"run", "lock", "--variant", "nope"},
                                        {"run", "lock", "--fault", "nope"},
                                        {"run", "lock", "--time", "soon"},
                                        {"run", "lock", "--slo", "p99<fast"},
                                        {"run", "lock", "--param", "ttl=never"}}) {
    auto bad = run(args);
    EXPECT_EQ(bad.exit_code, 2) << args.back() << ": " << bad.err;
    EXPECT_EQ(std::count(bad.err.begin(), bad.err.end(), '\n'), 1) << bad.err;
  }
}

TEST_F(RunLock, AMissingServerBinaryIsOneLineAndExitThree) {
  auto o = run({"run", "lock", "--time", "1s", "--redis-server", "/nonexistent/redis-server"});
  EXPECT_EQ(o.exit_code, 3);
  EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
  EXPECT_NE(o.err.find("/nonexistent/redis-server"), std::string::npos) << o.err;
}

TEST_F(RunLock, APortInUseIsOneLineAndExitThree) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const int port = ntohs(addr.sin_port);
  auto o = run({"run", "lock", "--time", "1s", "--port", std::to_string(port)});
  close(fd);
  EXPECT_EQ(o.exit_code, 3);
  EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
  EXPECT_NE(o.err.find("already in use"), std::string::npos) << o.err;
}

TEST_F(RunLock, CtrlCHealsStopsTheServerAndKeepsTheHistory) {
  auto o =
      run({"run", "lock", "--fault", "pause-server", "--time", "30s", "--fault-interval", "500ms"},
          std::chrono::milliseconds(3000));
  EXPECT_EQ(o.exit_code, 3) << o.out << o.err;
  EXPECT_NE(o.err.find("interrupted"), std::string::npos) << o.err;
  EXPECT_NO_THROW(read_history_file((latest() / "history.jsonl").string()));
  expect_servers_stopped();
}

}  // namespace
}  // namespace redproof

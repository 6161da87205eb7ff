// `redproof bench --topology ... --fault ...`: run's topologies, faults and nemesis beside the
// load. A failover on the replicated topology and the proxy's latency on a single proxied server
// leave fault windows in bench.json with latency inside and outside them; the proxy's 50 ms each
// way shows inside the window and not outside; bad combinations are refused in one line with
// exit 2; Ctrl-C heals and stops every server the bench started.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/integration/driver/redproof_process.hpp"

namespace redproof {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class BenchFault : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = fs::temp_directory_path() /
               ("redproof-bench-fault-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(scratch_);
    fs::create_directories(scratch_);
  }
  void TearDown() override { fs::remove_all(scratch_); }
  testing::Outcome run(std::vector<std::string> args,
                       std::chrono::milliseconds interrupt_after = {}) {
    args.insert(args.begin(), "bench");
    args.insert(args.end(), {"--quiet", "--results-dir", results().string()});
    return testing::run_redproof(args, scratch_.string(), interrupt_after);
  }
  fs::path results() const { return scratch_ / "results"; }
  fs::path latest() const { return fs::canonical(results() / "latest"); }
  static json json_file(const fs::path& p) { return json::parse(testing::slurp(p.string())); }
  fs::path scratch_;
};

std::uint64_t count_in(const json& by_window, const std::string& name) {
  return by_window.contains(name) ? by_window[name].value("count", std::uint64_t{0}) : 0;
}

int windows_of(const json& bench, const std::string& fault) {
  int n = 0;
  for (const auto& w : bench["fault_windows"]) {
    if (w["fault"] == fault) {
      EXPECT_LE(w["start_s"].get<double>(), w["end_s"].get<double>());
      ++n;
    }
  }
  return n;
}

// A process that exited (or is a zombie nobody reaped yet) is gone.
bool alive(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  const auto close = line.rfind(')');
  return close == std::string::npos || line.substr(close + 2, 1) != "Z";
}

TEST_F(BenchFault, AFailoverOnTheReplicatedTopologyHasLatencyInsideAndOutsideItsWindows) {
  const auto o = run({"--topology", "replicated", "--fault", "failover", "--fault-interval", "1s",
                      "--time", "12s", "--clients", "4"});
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  EXPECT_NE(o.out.find("by fault window"), std::string::npos) << o.out;
  const json bench = json_file(latest() / "bench.json");
  EXPECT_GE(windows_of(bench, "failover"), 1) << bench["fault_windows"].dump();
  const json& by_window = bench["latency_by_window"];
  EXPECT_GT(count_in(by_window, "outside"), 0u) << by_window.dump();
  EXPECT_GT(count_in(by_window, "failover"), 0u) << by_window.dump();
  const json config = json_file(latest() / "run.json")["config"];
  EXPECT_EQ(config["topology"]["kind"], "replicated");
  EXPECT_EQ(config["faults"], json::array({"failover"}));
  const std::string csv = testing::slurp((latest() / "seconds.csv").string());
  EXPECT_NE(csv.find(",fault\n"), std::string::npos);
  EXPECT_NE(csv.find(",failover\n"), std::string::npos) << csv;
  // What each failover did is kept beside the figures, as history lines of the nemesis.
  const std::string nemesis = testing::slurp((latest() / "nemesis.jsonl").string());
  EXPECT_NE(nemesis.find("\"fault\":\"failover\""), std::string::npos) << nemesis;
  EXPECT_NE(nemesis.find("\"phase\":\"start\""), std::string::npos) << nemesis;
}

// Connections follow the new primary: without that, every write after the first promotion is
// refused READONLY by the old one (about half of all replies when this was measured).
TEST_F(BenchFault, ConnectionsFollowThePrimaryAcrossFailovers) {
  const auto o = run({"--topology", "replicated", "--fault", "failover", "--fault-interval", "1s",
                      "--time", "8s", "--clients", "4"});
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  const json counts = json_file(latest() / "bench.json")["counts"];
  ASSERT_GT(counts["completed"].get<std::uint64_t>(), 1000u) << counts.dump();
  EXPECT_LT(counts["error_replies"].get<std::uint64_t>() * 20,
            counts["completed"].get<std::uint64_t>())
      << counts.dump();
  EXPECT_GT(counts["reconnects"].get<std::uint64_t>(), 0u) << counts.dump();
}

// The cluster's own counts prove the spread: each master served commands and holds keys.
TEST_F(BenchFault, AClusterBenchSpreadsKeysOverEveryMaster) {
  const auto o = run({"--topology", "cluster", "--time", "3s", "--clients", "4"});
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  EXPECT_NE(o.out.find("a cluster seeded at"), std::string::npos) << o.out;
  const json servers = json_file(latest() / "run.json")["server"]["runs"][0]["servers"];
  int masters = 0;
  for (const json& s : servers) {
    if (s["role"] != "master") continue;
    ++masters;
    EXPECT_GT(s["usage"]["commands"].get<std::uint64_t>(), 100u) << s.dump();
    EXPECT_GT(s["usage"]["keys"].get<std::uint64_t>(), 10u) << s.dump();
  }
  EXPECT_EQ(masters, 3) << servers.dump();
}

TEST_F(BenchFault, TheProxysLatencyShowsInsideItsWindowAndNotOutside) {
  const auto o =
      run({"--fault", "proxy-latency", "--fault-interval", "1s", "--time", "8s", "--clients", "4"});
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  const json bench = json_file(latest() / "bench.json");
  EXPECT_GE(windows_of(bench, "proxy-latency"), 1);
  const json& by_window = bench["latency_by_window"];
  ASSERT_GT(count_in(by_window, "proxy-latency"), 0u) << by_window.dump();
  ASSERT_GT(count_in(by_window, "outside"), 0u) << by_window.dump();
  // The proxy delays each chunk 50 ms ± 10 ms each way: a reply takes at least 80 ms in the
  // window; on loopback without it, far less than 40 ms even on a busy machine.
  const auto inside_p50 = by_window["proxy-latency"]["p50_ns"].get<std::int64_t>();
  const auto outside_p50 = by_window["outside"]["p50_ns"].get<std::int64_t>();
  EXPECT_GE(inside_p50, 40'000'000) << by_window.dump();
  EXPECT_LT(outside_p50, 40'000'000) << by_window.dump();
  EXPECT_EQ(json_file(latest() / "run.json")["config"]["topology"]["kind"], "single");
  const std::string html = testing::slurp((latest() / "report.html").string());
  // Each shaded window is titled with its fault and what it did (the proxies it slowed).
  EXPECT_NE(html.find("<title>proxy-latency: "), std::string::npos);
  EXPECT_NE(html.find("id=\"latency-by-window\""), std::string::npos);
}

TEST_F(BenchFault, BadCombinationsAreRefusedInOneLineWithExitTwo) {
  const std::vector<std::vector<std::string>> bad{
      {"--fault", "no-such-fault"},
      {"--topology", "single", "--fault", "failover"},
      {"--target", "127.0.0.1:1", "--fault", "pause-server"},
      {"--target", "127.0.0.1:1", "--topology", "replicated"},
      {"--topology", "redlock"},
      {"--fault", "pause-client"},
      {"--fault", "partition-bridge"},
      {"--workload", "register", "--topology", "replicated"},
  };
  for (auto args : bad) {
    args.insert(args.end(), {"--time", "2s"});
    const auto o = run(args);
    std::string shown;
    for (const auto& a : args) shown += a + " ";
    EXPECT_EQ(o.exit_code, 2) << shown << o.out << o.err;
    EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << shown << o.err;
    EXPECT_EQ(o.err.rfind("redproof bench: ", 0), 0u) << shown << o.err;
    EXPECT_TRUE(o.out.empty()) << shown << o.out;
    EXPECT_FALSE(fs::exists(results() / "latest")) << shown << ": nothing was measured";
  }
}

TEST_F(BenchFault, CtrlCHealsTheFaultsAndStopsEveryServer) {
  // Servers paused often and for long: Ctrl-C very likely comes while one is stopped.
  const auto o = run({"--topology", "replicated", "--fault", "pause-server", "--fault-interval",
                      "300ms", "--time", "60s", "--clients", "4"},
                     std::chrono::milliseconds(4000));
  EXPECT_EQ(o.exit_code, 3) << o.out << o.err;
  EXPECT_NE(o.err.find("interrupted"), std::string::npos) << o.err;
  const json topology = json_file(latest() / "run.json")["config"]["topology"];
  ASSERT_FALSE(topology["nodes"].empty()) << topology.dump();
  for (const auto& node : topology["nodes"]) {
    EXPECT_FALSE(alive(node["pid"].get<int>())) << node.dump();
  }
}

}  // namespace
}  // namespace redproof

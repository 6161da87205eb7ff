// The register workload end to end: linearizable with no fault, not linearizable when the
// server is killed and restarted without persistence (acknowledged writes lost), as the
// acceptance matrix says.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/history_reader.hpp"
#include "tests/integration/driver/redproof_process.hpp"

namespace redproof {
namespace {

namespace fs = std::filesystem;

class RunRegister : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = fs::temp_directory_path() /
               ("redproof-register-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(scratch_);
    fs::create_directories(scratch_);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(scratch_);
  }
  testing::Outcome run(std::vector<std::string> args) {
    args.push_back("--results-dir");
    args.push_back((scratch_ / "results").string());
    return testing::run_redproof(args, scratch_.string());
  }
  nlohmann::json results() const {
    return nlohmann::json::parse(
        testing::slurp(fs::canonical(scratch_ / "results" / "latest") / "results.json"));
  }
  fs::path scratch_;
};

TEST_F(RunRegister, GetSetWithoutFaultsIsLinearizable) {
  auto o = run({"run", "register", "--time", "4s"});
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  auto r = results();
  EXPECT_EQ(r["checkers"]["linearizable"]["valid"], true);
  EXPECT_GT(r["checkers"]["linearizable"]["operations"].get<int>(), 1000);
}

// Open loop (--rate, ../shared/spec/cli.md): latency counts from each operation's intended
// start. A server paused for a while leaves the schedule behind; the operations sent late after
// the pause carry the stall in their corrected latency, while the uncorrected figures (from the
// send) stay small, and both are reported.
TEST_F(RunRegister, OpenLoopLatencyShowsAPausedServer) {
  auto o = run({"run", "register", "--rate", "500", "--fault", "pause-server", "--time", "6s",
                "--fault-interval", "3s", "--seed", "3"});
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  EXPECT_NE(o.out.find("uncorrected (from the send)"), std::string::npos) << o.out;
  const auto dir = fs::canonical(scratch_ / "results" / "latest");
  const auto history = read_history_file((dir / "history.jsonl").string());
  std::int64_t longest_pause = 0, paused_at = -1;
  std::size_t scheduled = 0, invokes = 0;
  for (const auto& op : history) {
    if (op.is_nemesis()) {
      if (op.f == "pause") paused_at = op.time;
      if (op.f == "resume" && paused_at >= 0) {
        longest_pause = std::max(longest_pause, op.time - paused_at);
        paused_at = -1;
      }
      continue;
    }
    if (!op.is_invoke()) continue;
    ++invokes;
    if (op.intended < 0) continue;
    ++scheduled;
    EXPECT_LE(op.intended, op.time);
  }
  ASSERT_GT(longest_pause, 400'000'000) << "the server was not paused long enough to show";
  EXPECT_GT(scheduled, invokes * 9 / 10);  // final reads go off the schedule
  const auto stats = results()["stats"];
  const std::int64_t corrected_max = stats["latency"]["max_ns"];
  const std::int64_t uncorrected_p99 = stats["latency_uncorrected"]["p99_ns"];
  EXPECT_GE(corrected_max, longest_pause * 8 / 10);
  EXPECT_LT(uncorrected_p99, 100'000'000);
  EXPECT_GT(stats["latency"]["p99_ns"].get<std::int64_t>(), uncorrected_p99);
  EXPECT_GT(stats["backlog"].get<int>(), 0);
  EXPECT_TRUE(stats.contains("unsent"));
}

// --threads spreads the clients over several event loops (as bench does): the history stays
// well formed (times non-decreasing across threads) and a fault-free run linearizable.
TEST_F(RunRegister, ClientsOnSeveralThreadsStayLinearizable) {
  auto o = run({"run", "register", "--clients", "8", "--threads", "2", "--time", "3s"});
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  auto r = results();
  EXPECT_EQ(r["checkers"]["linearizable"]["valid"], true);
  EXPECT_GT(r["checkers"]["linearizable"]["operations"].get<int>(), 1000);
  const auto dir = fs::canonical(scratch_ / "results" / "latest");
  EXPECT_EQ(nlohmann::json::parse(testing::slurp(dir / "run.json"))["threads"], 2);
}

TEST_F(RunRegister, LuaCasUnderKillRestartLosesAcknowledgedWrites) {
  auto o = run({"run", "register", "--variant", "lua-cas", "--fault", "kill-restart", "--time",
                "8s", "--clients", "8", "--fault-interval", "1500ms"});
  ASSERT_EQ(o.exit_code, 1) << o.out << o.err;
  auto r = results();
  EXPECT_EQ(r["checkers"]["linearizable"]["valid"], false);
  EXPECT_TRUE(r["checkers"]["linearizable"].contains("counterexample"));
  EXPECT_NE(o.out.find("not-linearizable: key "), std::string::npos) << o.out;
  // The report draws the counterexample, and re-rendering it from the directory keeps it.
  const auto dir = fs::canonical(scratch_ / "results" / "latest");
  EXPECT_TRUE(fs::exists(dir / "linearizable.html"));
  auto has_drawing = [&] {
    const std::string report = testing::slurp(dir / "report.html");
    return report.find("class=\"counterexample\"") != std::string::npos &&
           report.find("cannot be placed") != std::string::npos &&
           report.find("<svg") != std::string::npos;
  };
  EXPECT_TRUE(has_drawing());
  fs::remove(dir / "report.html");
  auto again = testing::run_redproof({"report", dir.string()}, scratch_.string());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(has_drawing());
}

// The same kill-restart schedule against servers with an fsynced append-only file: whatever was
// acknowledged survives the kill, so the history is linearizable.
TEST_F(RunRegister, LuaCasUnderKillRestartWithAofPersistenceIsLinearizable) {
  auto o = run({"run", "register", "--variant", "lua-cas", "--fault", "kill-restart", "--time",
                "8s", "--clients", "8", "--fault-interval", "1500ms", "--persistence", "aof"});
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  auto run_json = nlohmann::json::parse(
      testing::slurp(fs::canonical(scratch_ / "results" / "latest") / "run.json"));
  EXPECT_EQ(run_json["topology"]["persistence"], "aof");
  EXPECT_NE(testing::slurp(fs::canonical(scratch_ / "results" / "latest") / "history.jsonl")
                .find("\"f\":\"kill\""),
            std::string::npos)
      << "the servers were killed";
}

// F4 on a primary with two replicas: a replica is promoted while the primary acknowledged
// writes it never saw. Without the fault the same topology is linearizable.
TEST_F(RunRegister, ReplicatedWithoutFaultsIsLinearizable) {
  auto o = run({"run", "register", "--topology", "replicated", "--time", "4s"});
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  EXPECT_EQ(results()["checkers"]["linearizable"]["valid"], true);
}

TEST_F(RunRegister, FailoverToALaggingReplicaLosesAcknowledgedWrites) {
  auto o = run({"run", "register", "--topology", "replicated", "--fault", "failover", "--time",
                "8s", "--fault-interval", "1500ms", "--seed", "7"});
  ASSERT_EQ(o.exit_code, 1) << o.out << o.err;
  auto r = results();
  EXPECT_EQ(r["checkers"]["linearizable"]["valid"], false);
  EXPECT_NE(testing::slurp(fs::canonical(scratch_ / "results" / "latest") / "history.jsonl")
                .find("\"f\":\"failover\""),
            std::string::npos);
  // After the final heal and 1 s of recovery, every register of the last periods is read once
  // per worker, under processes never used before.
  const auto history = read_history_file(
      (fs::canonical(scratch_ / "results" / "latest") / "history.jsonl").string());
  std::int64_t healed_at = -1;
  std::int64_t max_load_process = -1;
  std::size_t final_reads = 0;
  for (const auto& op : history) {
    if (op.is_nemesis() && op.f == "heal") healed_at = op.time;
    if (op.is_nemesis()) continue;
    if (healed_at < 0 || op.time < healed_at + 1'500'000'000) {  // the load ends 1 s after
      max_load_process = std::max(max_load_process, op.process);
    } else {
      EXPECT_EQ(op.f, "read");
      EXPECT_GT(op.process, max_load_process);
      final_reads += op.is_invoke();
    }
  }
  ASSERT_GT(healed_at, 0);
  EXPECT_EQ(final_reads, 5u * 2 * 4);  // 5 workers x 2 periods x 4 keys
}

TEST_F(RunRegister, OnAClusterWithoutFaultsIsLinearizable) {
  auto o = run({"run", "register", "--topology", "cluster", "--time", "4s", "--param", "keys=8"});
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  auto r = results();
  EXPECT_EQ(r["checkers"]["linearizable"]["valid"], true);
  EXPECT_GT(r["checkers"]["linearizable"]["operations"].get<int>(), 1000);
}

// The topology a fault needs is chosen when none is given.
TEST_F(RunRegister, FailoverWithoutATopologyUsesReplicas) {
  auto o = run({"run", "register", "--fault", "failover", "--time", "3s"});
  ASSERT_NE(o.exit_code, 2) << o.out << o.err;
  auto run_json = nlohmann::json::parse(
      testing::slurp(fs::canonical(scratch_ / "results" / "latest") / "run.json"));
  EXPECT_EQ(run_json["topology"]["kind"], "replicated");
}

TEST_F(RunRegister, FailoverOnASingleServerIsAUsageError) {
  auto o = run({"run", "register", "--topology", "single", "--fault", "failover", "--time", "3s"});
  EXPECT_EQ(o.exit_code, 2) << o.out << o.err;
  EXPECT_NE(o.err.find("--topology replicated"), std::string::npos) << o.err;
}

}  // namespace
}  // namespace redproof

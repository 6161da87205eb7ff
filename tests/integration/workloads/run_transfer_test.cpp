// End-to-end runs of the transfer workload against a real redis-server that redproof starts:
// WATCH/MULTI/EXEC keeps the total, GET/GET/SET/SET under concurrency loses transfers, and the
// final balances are read once at the end.
#include "tests/integration/workloads/run_fixture.hpp"

namespace redproof {
namespace {

class RunTransfer : public testing::RunWorkload {};

TEST_F(RunTransfer, WatchMultiWithoutFaultsConservesTheTotal) {
  auto o = run({"run", "transfer", "--variant", "watch-multi", "--fault", "none", "--time", "6s",
                "--seed", "1"});
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  const auto c = checker("bank");
  EXPECT_EQ(c["valid"], true);
  EXPECT_EQ(count(c, "total-not-conserved"), 0);
  EXPECT_EQ(count(c, "lost-transfer"), 0);
  const std::string history = testing::slurp(latest() / "history.jsonl");
  EXPECT_NE(history.find("\"f\":\"transfer\""), std::string::npos);
  EXPECT_NE(history.find("\"f\":\"read\""), std::string::npos);
}

TEST_F(RunTransfer, OneClientWithoutWatchHasNoRaceToLose) {
  auto o = run({"run", "transfer", "--variant", "no-watch", "--clients", "1", "--fault", "none",
                "--time", "4s", "--seed", "1"});
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
}

// The race needs concurrent clients to interleave their GETs and SETs; most seeds find it, so
// any of three must.
TEST_F(RunTransfer, GetGetSetSetUnderConcurrencyLosesMoney) {
  const std::string missed = first_invalid_seed(
      {"run", "transfer", "--variant", "no-watch", "--fault", "none", "--time", "5s"}, 3);
  ASSERT_TRUE(missed.empty()) << "no seed of three broke conservation:\n" << missed;
  const auto c = checker("bank");
  EXPECT_GT(count(c, "lost-transfer") + count(c, "total-not-conserved"), 0) << c.dump();
}

}  // namespace
}  // namespace redproof

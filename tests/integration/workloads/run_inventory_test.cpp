// End-to-end runs of the inventory workload against a real redis-server that redproof starts:
// the Lua check-and-decrement stays valid, GET-then-DECRBY under a crowd of buyers oversells, and
// a user's own inventory Lua is judged the same way (a wrong one oversells, a failing one leaves
// its purchases unknown).
#include <fstream>

#include "tests/integration/workloads/run_fixture.hpp"

namespace redproof {
namespace {

using testing::kWorkloadScripts;

class RunInventory : public testing::RunWorkload {};

TEST_F(RunInventory, LuaCheckAndDecrementWithoutFaultsIsValid) {
  auto o = run(
      {"run", "inventory", "--variant", "lua", "--fault", "none", "--time", "6s", "--seed", "1"});
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  const auto c = checker("inventory");
  EXPECT_EQ(c["valid"], true);
  // The buyers emptied the shelves: every unit sold exactly once, no more.
  EXPECT_EQ(c["sold"], 400) << c.dump();
  EXPECT_EQ(count(c, "oversell"), 0);
}

// A race: ten buyers, no think time, GET then DECRBY. Most seeds oversell; a few may not on a
// loaded machine, so any of three seeds must.
TEST_F(RunInventory, GetThenDecrbyOversellsUnderACrowdOfBuyers) {
  const std::string missed = first_invalid_seed(
      {"run", "inventory", "--variant", "get-decr", "--fault", "none", "--clients", "10", "--param",
       "items=16", "--param", "stock=20", "--param", "think=0ms", "--time", "5s"},
      3);
  ASSERT_TRUE(missed.empty()) << "no seed of three oversold:\n" << missed;
  EXPECT_GT(count(checker("inventory"), "oversell"), 0);
}

TEST_F(RunInventory, AUsersCorrectScriptStaysValidAndItsWrongCheckOversells) {
  auto good = run({"run", "inventory", "--variant", "lua", "--time", "5s", "--seed", "1",
                   "--script", kWorkloadScripts + "/inventory_check_and_decrement.lua"});
  ASSERT_EQ(good.exit_code, 0) << good.out << good.err;
  EXPECT_EQ(checker("inventory")["sold"], 400);
  auto bad = run({"run", "inventory", "--variant", "lua", "--time", "5s", "--seed", "1", "--script",
                  kWorkloadScripts + "/inventory_any_stock_left.lua"});
  ASSERT_EQ(bad.exit_code, 1) << bad.out << bad.err;
  EXPECT_GT(count(checker("inventory"), "oversell"), 0);
}

TEST_F(RunInventory, AScriptThatErrsLeavesItsPurchasesUnknownWithTheReply) {
  auto o = run({"run", "inventory", "--variant", "lua", "--time", "2s", "--seed", "1", "--script",
                kWorkloadScripts + "/inventory_errs.lua"});
  EXPECT_NE(o.exit_code, 2) << o.err;
  const std::string history = testing::slurp(latest() / "history.jsonl");
  EXPECT_NE(history.find("\"f\":\"buy\""), std::string::npos);
  EXPECT_NE(history.find("\"type\":\"info\""), std::string::npos);
  // The server's own error reply, kept in the operation's error.
  EXPECT_NE(history.find("Unknown Redis command called from script"), std::string::npos);
  // Nothing is known to be sold, so nothing can be oversold.
  const auto c = checker("inventory");
  EXPECT_EQ(c["sold"], 0) << c.dump();
  EXPECT_EQ(count(c, "oversell"), 0);
}

TEST_F(RunInventory, AScriptOnAVariantWithoutLuaIsOneLineAndExitTwo) {
  auto o = run({"run", "inventory", "--variant", "get-decr", "--script",
                kWorkloadScripts + "/inventory_check_and_decrement.lua"});
  EXPECT_EQ(o.exit_code, 2) << o.out << o.err;
  EXPECT_FALSE(o.err.empty());
  EXPECT_LE(std::count(o.err.begin(), o.err.end(), '\n'), 2) << o.err;
}

}  // namespace
}  // namespace redproof

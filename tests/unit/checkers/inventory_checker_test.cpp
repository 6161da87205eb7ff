// Hand-made inventory histories with the edges of ../shared/spec/patterns.md: a sale whose
// outcome is unknown, a final read exactly at stock − sold − unknown, an undone sale.
#include "checkers/inventory_checker.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace redproof {
namespace {

class Shop {
 public:
  explicit Shop(std::int64_t stock = 10) {
    add(0, 0, OpType::kInvoke, "init", std::nullopt,
        R"({"item:{0}":)" + std::to_string(stock) + "}");
    add(1, 0, OpType::kOk, "init", std::nullopt, "null");
  }
  // A buy of `q` by process p over [t0, t1]: "true", "false", "info", "fail" or "open".
  Shop& buy(std::int64_t t0, std::int64_t t1, std::int64_t p, std::int64_t q,
            const std::string& outcome, const std::string& key = "item:{0}") {
    add(t0, p, OpType::kInvoke, "buy", key, std::to_string(q));
    if (outcome == "open") return *this;
    if (outcome == "info") return add(t1, p, OpType::kInfo, "buy", key, "null");
    if (outcome == "fail") return add(t1, p, OpType::kFail, "buy", key, "null");
    return add(t1, p, OpType::kOk, "buy", key, outcome);
  }
  Shop& read(std::int64_t t0, std::int64_t t1, std::int64_t p, const std::string& value,
             const std::string& key = "item:{0}") {
    add(t0, p, OpType::kInvoke, "read", key, "null");
    return add(t1, p, OpType::kOk, "read", key, value);
  }
  CheckResult check() { return InventoryChecker().check(ops_); }

 private:
  Shop& add(std::int64_t t, std::int64_t p, OpType type, const std::string& f,
            std::optional<std::string> key, const std::string& value) {
    Op op;
    op.index = static_cast<std::int64_t>(ops_.size());
    op.time = t;
    op.process = p;
    op.type = type;
    op.f = f;
    op.key = std::move(key);
    op.value = value;
    ops_.push_back(op);
    return *this;
  }
  std::vector<Op> ops_;
};

std::vector<std::string> names(const CheckResult& r) {
  std::vector<std::string> out;
  for (const auto& a : r.anomalies) out.push_back(a.name);
  return out;
}

TEST(InventoryChecker, ExactSelloutIsValid) {
  auto r = Shop(10)
               .buy(10, 20, 1, 4, "true")
               .buy(15, 25, 2, 6, "true")
               .buy(30, 40, 1, 1, "false")
               .read(100, 110, 9, "0")
               .check();
  EXPECT_EQ(r.valid, Validity::kValid) << r.details.dump();
  EXPECT_EQ(r.details["sold"], 10);
}

TEST(InventoryChecker, SoldMoreThanStockIsOversell) {
  auto r =
      Shop(5).buy(10, 20, 1, 3, "true").buy(12, 22, 2, 3, "true").read(100, 110, 9, "-1").check();
  EXPECT_EQ(r.valid, Validity::kInvalid);
  EXPECT_EQ(r.details["anomaly_counts"]["oversell"], 2);  // the total, and the read below 0
  EXPECT_EQ(r.anomalies[0].magnitude["oversold"], 1);
}

TEST(InventoryChecker, UnknownSaleNeverCountsAsSold) {
  // Stock 5: 3 acknowledged and 3 unknown. The unknown one may or may not have happened.
  auto r =
      Shop(5).buy(10, 20, 1, 3, "true").buy(12, 22, 2, 3, "info").read(100, 110, 9, "2").check();
  EXPECT_EQ(r.valid, Validity::kValid) << r.details.dump();
}

TEST(InventoryChecker, FinalReadExactlyAtStockMinusSoldMinusUnknownIsValid) {
  // 10 − 3 sold − 4 unknown = 3: the unknown sale happened. At 3 it is fine; at 2 it is not.
  auto ok =
      Shop(10).buy(10, 20, 1, 3, "true").buy(12, 22, 2, 4, "info").read(100, 110, 9, "3").check();
  EXPECT_EQ(ok.valid, Validity::kValid);
  auto bad =
      Shop(10).buy(10, 20, 1, 3, "true").buy(12, 22, 2, 4, "info").read(100, 110, 9, "2").check();
  EXPECT_EQ(bad.valid, Validity::kInvalid);
  EXPECT_EQ(names(bad), std::vector<std::string>{"double-decrement"});
  EXPECT_EQ(bad.anomalies[0].magnitude["at_least"], 3);
}

TEST(InventoryChecker, FinalReadExactlyAtStockMinusSoldIsValidAboveIsLost) {
  auto ok = Shop(10).buy(10, 20, 1, 3, "true").read(100, 110, 9, "7").check();
  EXPECT_EQ(ok.valid, Validity::kValid);
  auto bad = Shop(10).buy(10, 20, 1, 3, "true").read(100, 110, 9, "8").check();
  EXPECT_EQ(names(bad), std::vector<std::string>{"lost-purchase"});
  EXPECT_EQ(bad.anomalies[0].magnitude["undone"], 1);
}

TEST(InventoryChecker, SaleThatNeverCompletedMayHappenAfterTheRead) {
  // The open buy may take effect after the read, so a read of the full stock is fine; it may
  // also have happened before, so a read of 7 is fine too.
  EXPECT_EQ(Shop(10).buy(10, 0, 1, 3, "open").read(100, 110, 9, "10").check().valid,
            Validity::kValid);
  EXPECT_EQ(Shop(10).buy(10, 0, 1, 3, "open").read(100, 110, 9, "7").check().valid,
            Validity::kValid);
}

TEST(InventoryChecker, SaleConcurrentWithTheReadMayGoEitherWay) {
  // The buy overlaps the read: the read may see 10 or 7, not 6.
  EXPECT_EQ(Shop(10).buy(100, 120, 1, 3, "true").read(105, 110, 9, "10").check().valid,
            Validity::kValid);
  EXPECT_EQ(Shop(10).buy(100, 120, 1, 3, "true").read(105, 110, 9, "7").check().valid,
            Validity::kValid);
  EXPECT_EQ(Shop(10).buy(100, 120, 1, 3, "true").read(105, 110, 9, "6").check().valid,
            Validity::kInvalid);
}

TEST(InventoryChecker, FailedAndSoldOutBuysTakeNothing) {
  auto r =
      Shop(2).buy(10, 20, 1, 3, "false").buy(10, 20, 2, 1, "fail").read(100, 110, 9, "1").check();
  EXPECT_EQ(names(r), std::vector<std::string>{"double-decrement"});
}

TEST(InventoryChecker, MissingKeyAtTheEndDecidesNothingAboutReads) {
  EXPECT_EQ(Shop(10).buy(10, 20, 1, 3, "true").read(100, 110, 9, "null").check().valid,
            Validity::kValid);
}

TEST(InventoryChecker, WithoutInitTheVerdictIsUnknown) {
  std::vector<Op> ops;
  EXPECT_EQ(InventoryChecker().check(ops).valid, Validity::kUnknown);
}

}  // namespace
}  // namespace redproof

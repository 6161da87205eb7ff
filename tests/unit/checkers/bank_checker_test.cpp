// Hand-made bank histories with the edges of ../shared/spec/patterns.md: a final balance exactly
// at either end of its interval, unknown transfers, a read that loses or creates money.
#include "checkers/bank_checker.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace redproof {
namespace {

class Bank {
 public:
  Bank() {
    add(0, 0, OpType::kInvoke, "init", R"({"a":100,"b":100})");
    add(1, 0, OpType::kOk, "init", "null");
  }
  // A transfer of `amount` from a to b by process p over [t0, t1]: "ok", "fail", "info", "open".
  Bank& transfer(std::int64_t t0, std::int64_t t1, std::int64_t p, std::int64_t amount,
                 const std::string& outcome, const char* from = "a", const char* to = "b") {
    add(t0, p, OpType::kInvoke, "transfer",
        std::string(R"({"from":")") + from + R"(","to":")" + to + R"(","amount":)" +
            std::to_string(amount) + "}");
    if (outcome == "open") return *this;
    const OpType type = outcome == "ok"     ? OpType::kOk
                        : outcome == "fail" ? OpType::kFail
                                            : OpType::kInfo;
    return add(t1, p, type, "transfer", "null");
  }
  Bank& read(std::int64_t t0, std::int64_t t1, std::int64_t p, const std::string& a,
             const std::string& b) {
    add(t0, p, OpType::kInvoke, "read", "null");
    return add(t1, p, OpType::kOk, "read", R"({"a":)" + a + R"(,"b":)" + b + "}");
  }
  CheckResult check() { return BankChecker().check(ops_); }

 private:
  Bank& add(std::int64_t t, std::int64_t p, OpType type, const std::string& f,
            const std::string& value) {
    Op op;
    op.index = static_cast<std::int64_t>(ops_.size());
    op.time = t;
    op.process = p;
    op.type = type;
    op.f = f;
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

TEST(BankChecker, ConservedTransfersAreValid) {
  auto r = Bank()
               .transfer(10, 20, 1, 30, "ok")
               .transfer(30, 40, 2, 500, "fail")
               .read(50, 60, 3, "70", "130")
               .check();
  EXPECT_EQ(r.valid, Validity::kValid) << r.details.dump();
}

TEST(BankChecker, FinalBalanceAtEitherEdgeOfItsIntervalIsValid) {
  // ok 30 a->b, unknown 20 a->b: a in [50, 70], b in [130, 150]; a read must still sum to 200.
  auto low = Bank()
                 .transfer(10, 20, 1, 30, "ok")
                 .transfer(12, 22, 2, 20, "info")
                 .read(50, 60, 3, "50", "150")
                 .check();
  EXPECT_EQ(low.valid, Validity::kValid) << low.details.dump();
  auto high = Bank()
                  .transfer(10, 20, 1, 30, "ok")
                  .transfer(12, 22, 2, 20, "info")
                  .read(50, 60, 3, "70", "130")
                  .check();
  EXPECT_EQ(high.valid, Validity::kValid) << high.details.dump();
}

TEST(BankChecker, OneBeyondTheEdgeIsALostTransfer) {
  auto r = Bank()
               .transfer(10, 20, 1, 30, "ok")
               .transfer(12, 22, 2, 20, "info")
               .read(50, 60, 3, "71", "129")
               .check();
  EXPECT_EQ(names(r), (std::vector<std::string>{"lost-transfer", "lost-transfer"}));
  EXPECT_EQ(r.anomalies[0].magnitude["off_by"], 1);
}

TEST(BankChecker, TransferOverlappingTheReadMayBeSeenOrNot) {
  auto before = Bank().transfer(50, 70, 1, 30, "ok").read(55, 60, 3, "100", "100").check();
  EXPECT_EQ(before.valid, Validity::kValid);
  auto after = Bank().transfer(50, 70, 1, 30, "ok").read(55, 60, 3, "70", "130").check();
  EXPECT_EQ(after.valid, Validity::kValid);
  auto open = Bank().transfer(50, 0, 1, 30, "open").read(55, 60, 3, "70", "130").check();
  EXPECT_EQ(open.valid, Validity::kValid);
}

TEST(BankChecker, MoneyCreatedOrDestroyedIsNotConserved) {
  auto r = Bank().read(50, 60, 3, "100", "90").check();
  EXPECT_EQ(r.valid, Validity::kInvalid);
  EXPECT_EQ(r.details["anomaly_counts"]["total-not-conserved"], 1);
}

TEST(BankChecker, NegativeBalanceAndGoneAccounts) {
  auto neg = Bank().read(50, 60, 3, "-5", "205").check();
  EXPECT_EQ(neg.details["anomaly_counts"]["negative-balance"], 1);
  // A restart that emptied the server: both accounts gone, read as 0.
  auto gone = Bank().read(50, 60, 3, "null", "null").check();
  EXPECT_EQ(gone.details["anomaly_counts"]["total-not-conserved"], 1);
  EXPECT_EQ(gone.details["anomaly_counts"]["lost-transfer"], 2);
}

TEST(BankChecker, WithoutInitTheVerdictIsUnknown) {
  EXPECT_EQ(BankChecker().check({}).valid, Validity::kUnknown);
}

}  // namespace
}  // namespace redproof

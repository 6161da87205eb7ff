#include "checkers/unobservable_operations.hpp"

#include <gtest/gtest.h>

#include "checkers/linearizability/linearizability_checker.hpp"
#include "checkers/linearizable_checker.hpp"

namespace redproof {
namespace {

struct RegisterHistory {
  std::vector<Op> ops;
  void add(std::int64_t time, std::int64_t process, OpType type, const char* f, std::string value) {
    Op o;
    o.index = static_cast<std::int64_t>(ops.size());
    o.time = time;
    o.process = process;
    o.type = type;
    o.f = f;
    o.key = "r";
    o.value = std::move(value);
    ops.push_back(o);
  }
};

// Forty writes of distinct values whose outcome is unknown, then a read of a value nobody wrote:
// not linearizable, but a search that keeps the writes tries every subset of them first.
RegisterHistory impossible_read_behind_unknown_writes(int writes) {
  RegisterHistory h;
  for (int p = 0; p < writes; ++p) h.add(p, p, OpType::kInvoke, "write", std::to_string(1000 + p));
  for (int p = 0; p < writes; ++p) h.add(1000 + p, p, OpType::kInfo, "write", "null");
  h.add(2000, 100, OpType::kInvoke, "read", "null");
  h.add(2001, 100, OpType::kOk, "read", "7");
  return h;
}

TEST(UnobservableOperations, OnlyDroppingThemLetsTheSearchFinish) {
  const RegisterHistory h = impossible_read_behind_unknown_writes(40);
  linearizability::CheckOptions o;
  o.model = "register";
  o.timeout = std::chrono::milliseconds(1500);
  EXPECT_EQ(linearizability::check_linearizability(h.ops, o).verdict,
            linearizability::Verdict::kUnknown);
  LinearizableChecker checker("register", {}, std::chrono::seconds(30));
  const CheckResult r = checker.check(h.ops);
  EXPECT_EQ(r.valid, Validity::kInvalid);
  EXPECT_EQ(r.details["dropped_unobserved_writes"], 40);
  ASSERT_EQ(r.anomalies.size(), 1u);
  EXPECT_EQ(r.anomalies[0].name, "not-linearizable");
}

TEST(UnobservableOperations, AnObservedUnknownWriteIsKept) {
  RegisterHistory h;
  h.add(0, 0, OpType::kInvoke, "write", "5");
  h.add(10, 0, OpType::kInfo, "write", "null");
  h.add(20, 1, OpType::kInvoke, "read", "null");
  h.add(30, 1, OpType::kOk, "read", "5");  // it did take effect
  h.add(40, 2, OpType::kInvoke, "read", "null");
  h.add(50, 2, OpType::kInfo, "read", "null");
  const auto kept = drop_unobservable_operations(h.ops, "register");
  EXPECT_EQ(kept.writes, 0u);
  EXPECT_EQ(kept.reads, 1u);
  ASSERT_EQ(kept.history.size(), 4u);
  EXPECT_EQ(kept.history[3].index, 3);  // indexes stay those of the file
  LinearizableChecker checker("register");
  EXPECT_EQ(checker.check(h.ops).valid, Validity::kValid);
}

TEST(UnobservableOperations, RepeatedValuesKeepEveryWrite) {
  RegisterHistory h;
  h.add(0, 0, OpType::kInvoke, "write", "5");
  h.add(10, 0, OpType::kInfo, "write", "null");
  h.add(20, 1, OpType::kInvoke, "write", "5");
  h.add(30, 1, OpType::kOk, "write", "5");
  const auto kept = drop_unobservable_operations(h.ops, "register");
  EXPECT_EQ(kept.writes, 0u);  // a read of 5 could not tell the two apart
  EXPECT_EQ(kept.history.size(), 4u);
}

TEST(UnobservableOperations, ACasExpectingTheValueObservesIt) {
  RegisterHistory h;
  h.add(0, 0, OpType::kInvoke, "write", "5");
  h.add(10, 0, OpType::kInfo, "write", "null");
  h.add(20, 1, OpType::kInvoke, "cas", "[5,6]");
  h.add(30, 1, OpType::kOk, "cas", "[5,6]");
  EXPECT_EQ(drop_unobservable_operations(h.ops, "cas-register").writes, 0u);
  // Other models are left alone.
  EXPECT_EQ(drop_unobservable_operations(h.ops, "kv").history.size(), 4u);
}

}  // namespace
}  // namespace redproof

#include "checkers/lock_stuck_checker.hpp"

#include <gtest/gtest.h>

namespace redproof {
namespace {

Op event(std::int64_t index, std::int64_t time, std::int64_t process, OpType type, std::string f,
         std::string value) {
  Op o;
  o.index = index;
  o.time = time;
  o.process = process;
  o.type = type;
  o.f = std::move(f);
  o.key = "lock:{0}";
  o.value = std::move(value);
  return o;
}

std::vector<Op> history_with_final(const std::string& inspect_value) {
  return {
      event(0, 10, 0, OpType::kInvoke, "acquire", R"({"owner":"w0-1","ttl_ms":500})"),
      event(1, 20, 0, OpType::kOk, "acquire", R"({"owner":"w0-1","validity_ms":493})"),
      event(2, 30, 1, OpType::kInvoke, "acquire", R"({"owner":"w1-1","ttl_ms":500})"),
      event(3, 40, 1, OpType::kInfo, "acquire", "null"),  // crashed between SETNX and PEXPIRE
      event(4, 9'000'000'000, 5, OpType::kInvoke, "inspect", "null"),
      event(5, 9'000'000'100, 5, OpType::kOk, "inspect", inspect_value),
  };
}

TEST(LockStuckChecker, ALockWithNoExpiryAtTheEndIsStuck) {
  LockStuckChecker c;
  auto r = c.check(history_with_final(R"({"owner":"w1-1","pttl_ms":-1})"));
  ASSERT_EQ(r.valid, Validity::kInvalid);
  ASSERT_EQ(r.anomalies.size(), 1u);
  const Anomaly& a = r.anomalies[0];
  EXPECT_EQ(a.name, "lock-stuck");
  EXPECT_EQ(a.key, "lock:{0}");
  EXPECT_EQ(a.ops, (std::vector<std::int64_t>{2, 5}));  // the acquire that left it, the read
  EXPECT_EQ(a.magnitude["owner"], "w1-1");
  EXPECT_EQ(a.magnitude["no_acquisition_ms"], 9000);
  EXPECT_NE(a.sentence.find("no one can ever acquire it again"), std::string::npos);
}

TEST(LockStuckChecker, ALockThatWillExpireOrIsGoneIsNotStuck) {
  LockStuckChecker c;
  EXPECT_EQ(c.check(history_with_final(R"({"owner":"w1-1","pttl_ms":120})")).valid,
            Validity::kValid);
  EXPECT_EQ(c.check(history_with_final(R"({"owner":null,"pttl_ms":-2})")).valid, Validity::kValid);
  EXPECT_EQ(c.check({}).valid, Validity::kValid);
}

}  // namespace
}  // namespace redproof

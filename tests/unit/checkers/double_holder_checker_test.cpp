// Hand-made lock histories whose verdicts can be read off by eye.
#include "checkers/double_holder_checker.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace redproof {
namespace {

// Builds a history one event at a time, pairing completions with their process's invoke.
class LockHistory {
 public:
  LockHistory& invoke(std::int64_t t, std::int64_t p, const std::string& f,
                      const std::string& value = "null", const std::string& key = "lock:0") {
    return add(t, p, OpType::kInvoke, f, value, {}, key);
  }
  LockHistory& ok(std::int64_t t, std::int64_t p, const std::string& f,
                  const std::string& value = "null", const std::string& key = "lock:0") {
    return add(t, p, OpType::kOk, f, value, {}, key);
  }
  LockHistory& fail(std::int64_t t, std::int64_t p, const std::string& f, const std::string& error,
                    const std::string& key = "lock:0") {
    return add(t, p, OpType::kFail, f, "null", error, key);
  }
  LockHistory& info(std::int64_t t, std::int64_t p, const std::string& f,
                    const std::string& key = "lock:0") {
    return add(t, p, OpType::kInfo, f, "null", "timed out", key);
  }
  LockHistory& nemesis(std::int64_t t, const std::string& f, const std::string& phase) {
    Op op;
    op.index = static_cast<std::int64_t>(ops_.size());
    op.time = t;
    op.process = kNemesisProcess;
    op.type = OpType::kInfo;
    op.f = f;
    op.value = R"({"fault":"pause-client","phase":")" + phase + R"(","target":{"process":0}})";
    ops_.push_back(op);
    return *this;
  }
  // acquire [t0, t1] with validity, as process p.
  LockHistory& acquire(std::int64_t t0, std::int64_t t1, std::int64_t p, std::int64_t validity_ms,
                       std::optional<std::int64_t> fence = std::nullopt,
                       const std::string& key = "lock:0") {
    std::string owner = "\"o" + std::to_string(p) + "\"";
    std::string value = R"({"owner":)" + owner + R"(,"validity_ms":)" + std::to_string(validity_ms);
    if (fence) value += R"(,"fence":)" + std::to_string(*fence);
    value += "}";
    invoke(t0, p, "acquire", R"({"owner":)" + owner + "}", key);
    return ok(t1, p, "acquire", value, key);
  }
  LockHistory& release(std::int64_t t0, std::int64_t t1, std::int64_t p,
                       const std::string& key = "lock:0") {
    invoke(t0, p, "release", "{}", key);
    return ok(t1, p, "release", R"({"released":true})", key);
  }
  LockHistory& write(std::int64_t t0, std::int64_t t1, std::int64_t p,
                     std::optional<std::int64_t> fence = std::nullopt, const char* error = nullptr,
                     const std::string& key = "lock:0") {
    std::string value = R"({"owner":"o)" + std::to_string(p) + R"(","fence":)" +
                        (fence ? std::to_string(*fence) : "null") + "}";
    invoke(t0, p, "write", value, key);
    if (error) return fail(t1, p, "write", error, key);
    return ok(t1, p, "write", "null", key);
  }
  const std::vector<Op>& ops() const { return ops_; }

 private:
  LockHistory& add(std::int64_t t, std::int64_t p, OpType type, const std::string& f,
                   const std::string& value, const std::string& error, const std::string& key) {
    Op op;
    op.index = static_cast<std::int64_t>(ops_.size());
    op.time = t;
    op.process = p;
    op.type = type;
    op.f = f;
    op.key = key;
    op.value = value;
    op.error = error;
    ops_.push_back(op);
    return *this;
  }
  std::vector<Op> ops_;
};

constexpr std::int64_t ms = 1000000;

CheckResult check(const LockHistory& h, bool fencing = false) {
  DoubleHolderOptions o;
  o.fencing = fencing;
  return DoubleHolderChecker(o).check(h.ops());
}

TEST(DoubleHolderChecker, EmptyHistoryIsValid) {
  auto r = check(LockHistory{});
  EXPECT_EQ(r.valid, Validity::kValid);
  EXPECT_EQ(r.details["stats"]["acquisitions"], 0);
}

TEST(DoubleHolderChecker, SequentialHoldersAreValid) {
  LockHistory h;
  h.acquire(0, 1 * ms, 0, 500).release(10 * ms, 11 * ms, 0);
  h.acquire(12 * ms, 13 * ms, 1, 500).release(20 * ms, 21 * ms, 1);
  auto r = check(h);
  EXPECT_EQ(r.valid, Validity::kValid);
  EXPECT_EQ(r.details["stats"]["acquisitions"], 2);
  EXPECT_EQ(r.details["stats"]["releases"], 2);
}

TEST(DoubleHolderChecker, OverlapOfOneNanosecondIsAViolation) {
  LockHistory h;
  // Process 0 holds until its release invoke at 10 ms; process 1 acquired at 10 ms - 1 ns.
  h.acquire(0, 1 * ms, 0, 500);
  h.acquire(2 * ms, 10 * ms - 1, 1, 500);
  h.release(10 * ms, 11 * ms, 0);
  h.release(12 * ms, 13 * ms, 1);
  auto r = check(h);
  ASSERT_EQ(r.valid, Validity::kInvalid);
  ASSERT_FALSE(r.anomalies.empty());
  EXPECT_EQ(r.anomalies[0].name, "double-holder");
  EXPECT_EQ(r.anomalies[0].key, "lock:0");
  EXPECT_EQ(r.anomalies[0].ops.size(), 2u);
  EXPECT_NE(r.anomalies[0].sentence.find("both held lock:0"), std::string::npos);
  const auto& v = r.anomalies[0].magnitude;
  EXPECT_EQ(v["first"]["process"], 0);
  EXPECT_EQ(v["second"]["process"], 1);
  EXPECT_EQ(v["overlap_ns"], 1);
}

TEST(DoubleHolderChecker, IntervalsThatOnlyTouchAreValid) {
  LockHistory h;
  h.acquire(0, 1 * ms, 0, 500);
  h.invoke(10 * ms, 0, "release", "{}");
  h.acquire(2 * ms, 10 * ms, 1, 500);  // ok exactly at the other's release invoke
  h.ok(11 * ms, 0, "release");
  h.release(12 * ms, 13 * ms, 1);
  EXPECT_EQ(check(h).valid, Validity::kValid);
}

TEST(DoubleHolderChecker, ValidityEndsTheIntervalBeforeARelease) {
  LockHistory h;
  // Validity 5 ms from the acquire's invoke at 0: the believed interval ends at 5 ms, even though
  // the release comes at 30 ms. Another holder from 6 ms is no violation.
  h.acquire(0, 1 * ms, 0, 5);
  h.acquire(2 * ms, 6 * ms, 1, 500);
  h.release(30 * ms, 31 * ms, 0);
  h.release(32 * ms, 33 * ms, 1);
  EXPECT_EQ(check(h).valid, Validity::kValid);
}

TEST(DoubleHolderChecker, WriteAfterValidityExtendsTheHolding) {
  LockHistory h;
  // A paused holder writes at 40 ms, long after its 5 ms validity: it acted as holder until then.
  h.nemesis(3 * ms, "pause", "start");
  h.acquire(0, 1 * ms, 0, 5);
  h.acquire(2 * ms, 6 * ms, 1, 500);
  h.nemesis(38 * ms, "resume", "stop");
  h.write(39 * ms, 40 * ms, 0);
  h.release(41 * ms, 42 * ms, 0);
  h.release(50 * ms, 51 * ms, 1);
  auto r = check(h);
  ASSERT_EQ(r.valid, Validity::kInvalid);
  ASSERT_FALSE(r.anomalies.empty());
  const auto& v = r.anomalies[0].magnitude;
  EXPECT_EQ(v["first"]["ended_by"], "write");
  EXPECT_EQ(v["overlap_ns"], 40 * ms - 6 * ms);
  EXPECT_DOUBLE_EQ(v["overlap_ms"].get<double>(), 34.0);
  ASSERT_FALSE(r.anomalies[0].faults.empty());
  EXPECT_NE(r.anomalies[0].faults[0].find("pause-client"), std::string::npos);
}

TEST(DoubleHolderChecker, WriteTheClientRefusedDoesNotExtend) {
  LockHistory h;
  h.acquire(0, 1 * ms, 0, 5);
  h.acquire(2 * ms, 6 * ms, 1, 500);
  h.write(39 * ms, 40 * ms, 0, std::nullopt, "validity-expired");
  h.release(41 * ms, 42 * ms, 0);
  h.release(50 * ms, 51 * ms, 1);
  auto r = check(h);
  EXPECT_EQ(r.valid, Validity::kValid);
  EXPECT_EQ(r.details["stats"]["writes_skipped"], 1);
}

TEST(DoubleHolderChecker, InfoAcquireIsNotAHolder) {
  LockHistory h;
  h.acquire(0, 1 * ms, 0, 500);
  h.invoke(2 * ms, 1, "acquire", R"({"owner":"o1"})");
  h.info(3 * ms, 1, "acquire");
  h.release(10 * ms, 11 * ms, 0);
  EXPECT_EQ(check(h).valid, Validity::kValid);
}

TEST(DoubleHolderChecker, DifferentLocksDoNotConflict) {
  LockHistory h;
  h.acquire(0, 1 * ms, 0, 500, std::nullopt, "lock:0");
  h.acquire(0, 1 * ms, 1, 500, std::nullopt, "lock:1");
  h.release(10 * ms, 11 * ms, 0, "lock:0");
  h.release(10 * ms, 11 * ms, 1, "lock:1");
  EXPECT_EQ(check(h).valid, Validity::kValid);
}

TEST(DoubleHolderChecker, HolderWithoutReleaseLastsUntilValidity) {
  LockHistory h;
  h.acquire(0, 1 * ms, 0, 10);  // never released: holds until 10 ms
  h.acquire(2 * ms, 9 * ms, 1, 500);
  h.release(20 * ms, 21 * ms, 1);
  auto r = check(h);
  ASSERT_EQ(r.valid, Validity::kInvalid);
  ASSERT_FALSE(r.anomalies.empty());
  EXPECT_EQ(r.anomalies[0].magnitude["overlap_ns"], 1 * ms);
  EXPECT_EQ(r.anomalies[0].magnitude["first"]["ended_by"], "validity");
}

TEST(DoubleHolderChecker, FencingMakesOverlapsSafeWhenStaleWritesAreRejected) {
  LockHistory h;
  h.acquire(0, 1 * ms, 0, 5, 1);
  h.acquire(2 * ms, 6 * ms, 1, 500, 2);
  h.write(7 * ms, 8 * ms, 1, 2);
  h.write(39 * ms, 40 * ms, 0, 1, "stale-fence");
  h.release(41 * ms, 42 * ms, 0);
  h.release(50 * ms, 51 * ms, 1);
  auto r = check(h, true);
  EXPECT_EQ(r.valid, Validity::kValid);
  EXPECT_EQ(r.details["stats"]["writes_rejected"], 1);
  EXPECT_EQ(r.details["stats"]["writes_accepted"], 1);
  EXPECT_EQ(r.details["stats"]["overlaps"], 1);
  // Fencing doing its job, not a stall: the refused holder had the older token, and tokens
  // never went backwards.
  EXPECT_TRUE(r.anomalies.empty());
}

TEST(DoubleHolderChecker, FencingFindsAStaleWriteAccepted) {
  LockHistory h;
  h.acquire(0, 1 * ms, 0, 5, 1);
  h.acquire(2 * ms, 6 * ms, 1, 500, 2);
  h.write(7 * ms, 8 * ms, 1, 2);
  h.write(39 * ms, 40 * ms, 0, 1);  // accepted with token 1 after token 2 was accepted
  auto r = check(h, true);
  ASSERT_EQ(r.valid, Validity::kInvalid);
  ASSERT_FALSE(r.anomalies.empty());
  EXPECT_EQ(r.anomalies[0].name, "stale-write-accepted");
  EXPECT_EQ(r.anomalies[0].magnitude["write"]["fence"], 1);
  EXPECT_EQ(r.anomalies[0].magnitude["newer"]["fence"], 2);
}

TEST(DoubleHolderChecker, FencingFindsDuplicateTokens) {
  LockHistory h;
  h.acquire(0, 1 * ms, 0, 500, 7).release(2 * ms, 3 * ms, 0);
  h.acquire(4 * ms, 5 * ms, 1, 500, 7).release(6 * ms, 7 * ms, 1);
  auto r = check(h, true);
  ASSERT_EQ(r.valid, Validity::kInvalid);
  ASSERT_FALSE(r.anomalies.empty());
  EXPECT_EQ(r.anomalies[0].name, "duplicate-token");
}

TEST(DoubleHolderChecker, FencingFindsTokensThatGoBackwards) {
  LockHistory h;
  h.acquire(0, 1 * ms, 0, 500, 9).release(2 * ms, 3 * ms, 0);
  h.acquire(4 * ms, 5 * ms, 1, 500, 3).release(6 * ms, 7 * ms, 1);  // after a restart, say
  auto r = check(h, true);
  ASSERT_EQ(r.valid, Validity::kInvalid);
  ASSERT_FALSE(r.anomalies.empty());
  EXPECT_EQ(r.anomalies[0].name, "token-regressed");
}

// A restart without persistence (anomalies.md, F3 for fencing): the holder with token 9 keeps
// writing; the lock and the counter start again empty, so the next holders get tokens 1 and 2 and
// the resource, which has seen 9, refuses their writes. Tokens regressed (a violation), the
// resource stayed safe, and its rightful holders stalled (a note).
TEST(DoubleHolderChecker, FencingAfterARestartStallsTheResourceButAcceptsNoStaleWrite) {
  LockHistory h;
  h.acquire(0, 1 * ms, 0, 500, 9);
  h.write(2 * ms, 3 * ms, 0, 9);
  h.nemesis(4 * ms, "kill", "start");
  h.acquire(10 * ms, 11 * ms, 1, 500, 1);
  h.write(12 * ms, 13 * ms, 1, 1, "stale-fence");
  h.release(14 * ms, 15 * ms, 1);
  h.acquire(20 * ms, 21 * ms, 2, 500, 2);
  h.write(22 * ms, 23 * ms, 2, 2, "stale-fence");
  h.release(24 * ms, 25 * ms, 2);
  // The counter climbs past 9 and a write gets in; a second restart stalls it again, shortly.
  h.acquire(26 * ms, 27 * ms, 3, 500, 10);
  h.write(28 * ms, 29 * ms, 3, 10);
  h.release(29 * ms, 30 * ms, 3);
  h.acquire(30 * ms, 31 * ms, 4, 500, 3);
  h.write(32 * ms, 33 * ms, 4, 3, "stale-fence");
  auto r = check(h, true);
  ASSERT_EQ(r.valid, Validity::kInvalid);
  std::map<std::string, const Anomaly*> by_name;
  for (const auto& a : r.anomalies) by_name.emplace(a.name, &a);
  EXPECT_TRUE(by_name.contains("token-regressed"));
  EXPECT_FALSE(by_name.contains("stale-write-accepted"));
  EXPECT_FALSE(by_name.contains("double-holder"));
  ASSERT_TRUE(by_name.contains("stall"));
  const Anomaly& stall = *by_name["stall"];
  EXPECT_FALSE(stall.violation);
  EXPECT_EQ(stall.magnitude["rejected_writes"], 3);
  // The longest stretch with no write accepted: the first two refusals.
  EXPECT_EQ(stall.magnitude["longest_stall_ms"], 11.0);
  EXPECT_EQ(stall.from_ns, 12 * ms);
  EXPECT_EQ(stall.to_ns, 23 * ms);
}

TEST(DoubleHolderChecker, ConcurrentAcquiresMayGetTokensInEitherOrder) {
  LockHistory h;
  // Both acquires overlap in time, so neither token must exceed the other.
  h.invoke(0, 0, "acquire", R"({"owner":"o0"})");
  h.invoke(0, 1, "acquire", R"({"owner":"o1"})");
  h.ok(2 * ms, 0, "acquire", R"({"owner":"o0","validity_ms":1,"fence":5})");
  h.ok(3 * ms, 1, "acquire", R"({"owner":"o1","validity_ms":500,"fence":4})");
  EXPECT_EQ(check(h, true).valid, Validity::kValid);
}

TEST(DoubleHolderChecker, ReportsAtMostTheConfiguredNumberButCountsAll) {
  LockHistory h;
  for (int p = 0; p < 5; ++p) h.acquire(0, 1 * ms + p, p, 500);
  DoubleHolderOptions o;
  o.max_reported = 3;
  auto r = DoubleHolderChecker(o).check(h.ops());
  EXPECT_EQ(r.anomalies.size(), 3u);
  EXPECT_EQ(r.details["anomaly_counts"]["double-holder"], 10);  // every pair of five
}

// Watchdog renewals: a renew ok extends the believed interval to its invoke + validity_ms.
void renew(LockHistory& h, std::int64_t t0, std::int64_t t1, std::int64_t p,
           const std::string& outcome, std::int64_t validity_ms = 100) {
  h.invoke(t0, p, "renew", R"({"owner":"o)" + std::to_string(p) + R"(","ttl_ms":100})");
  if (outcome == "ok") {
    h.ok(t1, p, "renew", R"({"validity_ms":)" + std::to_string(validity_ms) + "}");
  } else if (outcome == "fail") {
    h.fail(t1, p, "renew", "lease-lost");
  } else {
    h.info(t1, p, "renew");
  }
}

TEST(DoubleHolderChecker, RenewExtendsTheBelievedValidity) {
  // Holder 0: validity 100 ms from 0, renewed at 60 ms -> believes until 160 ms.
  LockHistory h;
  h.acquire(0, 1 * ms, 0, 100);
  renew(h, 60 * ms, 61 * ms, 0, "ok");
  h.acquire(150 * ms, 151 * ms, 1, 100);  // inside the renewed lease: two holders
  auto r = DoubleHolderChecker().check(h.ops());
  EXPECT_EQ(r.valid, Validity::kInvalid);
  EXPECT_EQ(r.anomalies.at(0).magnitude["overlap_ns"], 9 * ms);
}

TEST(DoubleHolderChecker, RenewedValidityCountsFromTheRenewInvokeExactly) {
  // Renewed until 60 + 100 = 160 ms; the next holder from 160 ms only touches it.
  LockHistory h;
  h.acquire(0, 1 * ms, 0, 100);
  renew(h, 60 * ms, 70 * ms, 0, "ok");
  h.acquire(155 * ms, 160 * ms, 1, 100);
  EXPECT_EQ(DoubleHolderChecker().check(h.ops()).valid, Validity::kValid);
}

TEST(DoubleHolderChecker, FailedOrUnknownRenewDoesNotExtend) {
  for (const char* outcome : {"fail", "info"}) {
    LockHistory h;
    h.acquire(0, 1 * ms, 0, 100);
    renew(h, 60 * ms, 61 * ms, 0, outcome);
    h.acquire(120 * ms, 121 * ms, 1, 100);
    EXPECT_EQ(DoubleHolderChecker().check(h.ops()).valid, Validity::kValid) << outcome;
  }
}

TEST(DoubleHolderChecker, FailedRenewEndsTheBeliefAtItsCompletion) {
  // The renewal failed at 50 ms: from then on holder 0 knows it lost the lease.
  LockHistory h;
  h.acquire(0, 1 * ms, 0, 100);
  renew(h, 40 * ms, 50 * ms, 0, "fail");
  h.acquire(50 * ms, 51 * ms, 1, 100);
  EXPECT_EQ(DoubleHolderChecker().check(h.ops()).valid, Validity::kValid);
}

TEST(DoubleHolderChecker, RenewAfterTheBeliefLapsedStartsAgainAtItsOk) {
  // Holder 0's belief lapsed at 100 ms; its renewal at 150 ms succeeded (nobody took the lock);
  // holder 1 held from 101 to 140 ms: no overlap with either period of holder 0.
  LockHistory h;
  h.acquire(0, 1 * ms, 0, 100);
  h.acquire(101 * ms, 102 * ms, 1, 100).release(140 * ms, 141 * ms, 1);
  renew(h, 150 * ms, 151 * ms, 0, "ok");
  auto r = DoubleHolderChecker().check(h.ops());
  EXPECT_EQ(r.valid, Validity::kValid);
  // A holder that acquired during the renewed period overlaps it.
  h.acquire(200 * ms, 201 * ms, 2, 100);
  EXPECT_EQ(DoubleHolderChecker().check(h.ops()).valid, Validity::kInvalid);
}

}  // namespace
}  // namespace redproof

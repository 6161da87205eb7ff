// The lock generator with simulated time: the acquire/hold/write/release cycle, retries, what
// happens after an info, and the end of the load phase.
#include <gtest/gtest.h>
#include <algorithm>

#include <set>

#include "workloads/lock/fenced_resource.hpp"
#include "workloads/lock/lock_generator.hpp"
#include "workloads/workload.hpp"

namespace redproof::lock {
namespace {

constexpr std::int64_t kMs = 1'000'000;

Op completion(const GeneratorStep& step, OpType type, std::string value = "null") {
  Op op = step.op;
  op.type = type;
  op.value = std::move(value);
  return op;
}

TEST(LockGenerator, CyclesAcquireHoldWriteRelease) {
  LockOptions o;
  LockGenerator g(o, 3, Random(1), 1000 * kMs);
  auto a = g.next(0);
  ASSERT_EQ(a.kind, GeneratorStep::Kind::kOp);
  EXPECT_EQ(a.op.f, "acquire");
  EXPECT_EQ(*a.op.key, "lock:{0}");
  EXPECT_EQ(a.op.value, R"({"owner":"w3-1","ttl_ms":500})");
  g.update(completion(a, OpType::kOk, R"({"owner":"w3-1","validity_ms":493})"));

  auto hold = g.next(1 * kMs);
  ASSERT_EQ(hold.kind, GeneratorStep::Kind::kWait);
  EXPECT_GE(hold.wait_ns, 50 * kMs);
  EXPECT_LE(hold.wait_ns, 300 * kMs);

  auto w = g.next(70 * kMs);
  ASSERT_EQ(w.kind, GeneratorStep::Kind::kOp);
  EXPECT_EQ(w.op.f, "write");
  EXPECT_EQ(w.op.value, R"({"owner":"w3-1","fence":null})");
  g.update(completion(w, OpType::kOk));

  auto r = g.next(71 * kMs);
  ASSERT_EQ(r.kind, GeneratorStep::Kind::kOp);
  EXPECT_EQ(r.op.f, "release");
  EXPECT_EQ(r.op.value, R"({"owner":"w3-1"})");
  g.update(completion(r, OpType::kOk, R"({"released":true})"));

  // A short breather, then the next attempt under a new owner.
  auto gap = g.next(72 * kMs);
  if (gap.kind == GeneratorStep::Kind::kWait) gap = g.next(90 * kMs);
  ASSERT_EQ(gap.kind, GeneratorStep::Kind::kOp);
  EXPECT_EQ(gap.op.f, "acquire");
  EXPECT_EQ(gap.op.value, R"({"owner":"w3-2","ttl_ms":500})");
}

TEST(LockGenerator, CarriesTheFenceFromTheAcquireIntoTheWrite) {
  LockOptions o;
  o.variant = LockVariant::kFencing;
  LockGenerator g(o, 0, Random(2), 1000 * kMs);
  auto a = g.next(0);
  g.update(completion(a, OpType::kOk, R"({"owner":"w0-1","validity_ms":493,"fence":42})"));
  g.next(0);  // hold
  auto w = g.next(100 * kMs);
  EXPECT_EQ(w.op.value, R"({"owner":"w0-1","fence":42})");
}

TEST(LockGenerator, RetriesABusyLockAfterAWait) {
  LockOptions o;
  LockGenerator g(o, 0, Random(3), 1000 * kMs);
  auto a = g.next(0);
  g.update(completion(a, OpType::kFail));
  auto wait = g.next(1 * kMs);
  ASSERT_EQ(wait.kind, GeneratorStep::Kind::kWait);
  EXPECT_GE(wait.wait_ns, 10 * kMs);
  EXPECT_LE(wait.wait_ns, 20 * kMs);
  auto again = g.next(30 * kMs);
  EXPECT_EQ(again.op.f, "acquire");
}

TEST(LockGenerator, StartsOverAfterTheProcessIsReplaced) {
  LockOptions o;
  LockGenerator g(o, 0, Random(4), 1000 * kMs);
  auto a = g.next(0);
  g.update(completion(a, OpType::kOk, R"({"owner":"w0-1","validity_ms":493})"));
  g.next(0);
  auto w = g.next(100 * kMs);
  g.update(completion(w, OpType::kInfo));
  g.process_replaced();
  auto wait = g.next(101 * kMs);
  ASSERT_EQ(wait.kind, GeneratorStep::Kind::kWait);
  auto again = g.next(120 * kMs);
  EXPECT_EQ(again.op.f, "acquire");
}

TEST(LockGenerator, AfterTheEndOnlyReleasesWhatItHolds) {
  LockOptions o;
  LockGenerator g(o, 0, Random(5), 50 * kMs);
  auto a = g.next(0);
  g.update(completion(a, OpType::kOk, R"({"owner":"w0-1","validity_ms":493})"));
  g.next(60 * kMs);  // hold, already past the end: no write follows
  auto r = g.next(100 * kMs);
  ASSERT_EQ(r.kind, GeneratorStep::Kind::kOp);
  EXPECT_EQ(r.op.f, "release");
  g.update(completion(r, OpType::kOk, R"({"released":true})"));
  auto next = g.next(110 * kMs);
  if (next.kind == GeneratorStep::Kind::kWait) next = g.next(130 * kMs);
  EXPECT_EQ(next.kind, GeneratorStep::Kind::kDone);
}

TEST(LockGenerator, SpreadsAcquisitionsOverTheLockKeys) {
  LockOptions o;
  o.locks = 4;
  LockGenerator g(o, 0, Random(6), 1'000'000 * kMs);
  std::set<std::string> keys;
  for (int i = 0; i < 200; ++i) {
    auto a = g.next(0);
    if (a.kind != GeneratorStep::Kind::kOp) continue;
    keys.insert(*a.op.key);
    g.update(completion(a, OpType::kFail));
  }
  EXPECT_EQ(keys.size(), 4u);
}

LockOptions parse(const std::map<std::string, std::string>& params) {
  return lock_options(LockVariant::kGetDel,
                      KnobValues("lock", find_workload("lock")->knobs, params));
}

TEST(LockOptions, ParsesKnobsAndRejectsBadOnes) {
  auto o = parse({{"ttl", "2s"}, {"locks", "3"}});
  EXPECT_EQ(o.ttl.count(), 2000);
  EXPECT_EQ(o.locks, 3);
  EXPECT_EQ(o.validity().count(), 2000 - 22);
  EXPECT_EQ(parse({}).ttl.count(), 500);  // the table's default
  EXPECT_THROW(parse({{"ttl", "soon"}}), std::invalid_argument);
  EXPECT_THROW(parse({{"ttl", "10ms"}}), std::invalid_argument);  // below the table's minimum
  EXPECT_THROW(parse({{"locks", "0"}}), std::invalid_argument);
  EXPECT_THROW(parse({{"colour", "red"}}), std::invalid_argument);
  EXPECT_THROW(parse({{"hold-min", "50ms"}, {"hold-max", "10ms"}}), std::invalid_argument);
}

TEST(FencedResource, AcceptsOnlyIncreasingFences) {
  FencedResource r(true);
  EXPECT_TRUE(r.write("lock:0", 5));
  EXPECT_FALSE(r.write("lock:0", 5));
  EXPECT_FALSE(r.write("lock:0", 3));
  EXPECT_FALSE(r.write("lock:0", std::nullopt));
  EXPECT_TRUE(r.write("lock:0", 6));
  EXPECT_TRUE(r.write("lock:1", 1));  // per key
  EXPECT_EQ(r.accepted(), 3);
  EXPECT_EQ(r.rejected(), 3);
}

TEST(FencedResource, WithoutFencingAcceptsEverything) {
  FencedResource r(false);
  EXPECT_TRUE(r.write("lock:0", std::nullopt));
  EXPECT_TRUE(r.write("lock:0", std::nullopt));
  EXPECT_EQ(r.rejected(), 0);
}

TEST(WorkloadRegistry, KnowsTheLockWorkloadAndItsVariants) {
  const WorkloadInfo* w = find_workload("lock");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->variants.front().name, "lua-release");
  WorkloadConfig c;
  c.variant = "nope";
  EXPECT_THROW(w->make(c), std::invalid_argument);
  c.variant = "get-del";
  c.knobs = KnobValues("lock", w->knobs, {});
  auto workload = w->make(c);
  EXPECT_EQ(workload->pause_hooks().size(), 2u);
  // Every hook a variant strikes at is one its clients declare.
  for (const auto& v : w->variants) {
    c.variant = v.name;
    auto each = w->make(c);
    for (const Hook& h : each->pause_hooks()) {
      const auto all = each->hooks();
      EXPECT_NE(std::find(all.begin(), all.end(), h), all.end()) << v.name << " " << h.name;
    }
  }
  c.variant = "setnx-expire";
  auto setnx = w->make(c);
  ASSERT_EQ(setnx->pause_hooks().size(), 1u);
  EXPECT_EQ(setnx->pause_hooks()[0].effect, HookEffect::kCrash);
  EXPECT_EQ(find_workload("nope"), nullptr);
}

}  // namespace
}  // namespace redproof::lock

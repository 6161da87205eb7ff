// The generator combinators under simulated time: no clock, no I/O.
#include <gtest/gtest.h>

#include "workloads/generators/mix.hpp"
#include "workloads/generators/phases.hpp"
#include "workloads/generators/sequence.hpp"
#include "workloads/generators/time_limit.hpp"

namespace redproof::gen {
namespace {

using Kind = GeneratorStep::Kind;

Op done(const GeneratorStep& s, OpType type = OpType::kOk) {
  Op o = s.op;
  o.type = type;
  return o;
}

std::unique_ptr<Generator> forever(const char* f) {
  return std::make_unique<Mix>(
      Random(1),
      std::vector<Weighted>{{1, [f](Random&) { return GeneratorStep::operation(f, "k"); }}});
}

TEST(GeneratorCombinators, MixFollowsItsWeights) {
  Mix mix(Random(7), {{3, [](Random&) { return GeneratorStep::operation("read", "k"); }},
                      {1, [](Random&) { return GeneratorStep::operation("write", "k"); }}});
  int reads = 0;
  for (int i = 0; i < 4000; ++i) reads += mix.next(0).op.f == "read";
  EXPECT_NEAR(reads / 4000.0, 0.75, 0.03);
}

TEST(GeneratorCombinators, MixIsReplayedBySeed) {
  auto draw = [](std::uint64_t seed) {
    Mix mix(Random(seed), {{1, [](Random&) { return GeneratorStep::operation("a", "k"); }},
                           {1, [](Random&) { return GeneratorStep::operation("b", "k"); }}});
    std::string s;
    for (int i = 0; i < 64; ++i) s += mix.next(0).op.f;
    return s;
  };
  EXPECT_EQ(draw(3), draw(3));
  EXPECT_NE(draw(3), draw(4));
}

TEST(GeneratorCombinators, TimeLimitEndsAtItsTimeAndClipsWaits) {
  TimeLimit g(1000, std::make_unique<ThinkTime>(Random(1), 5000, 5000, forever("op")));
  auto first = g.next(0);
  ASSERT_EQ(first.kind, Kind::kOp);
  g.update(done(first));
  auto wait = g.next(900);
  ASSERT_EQ(wait.kind, Kind::kWait);
  EXPECT_EQ(wait.wait_ns, 100);  // not past the end
  EXPECT_EQ(g.next(1000).kind, Kind::kDone);
}

TEST(GeneratorCombinators, ThinkTimeWaitsAfterEachCompletionOnly) {
  ThinkTime g(Random(2), 10, 20, forever("op"));
  EXPECT_EQ(g.next(0).kind, Kind::kOp);  // nothing completed yet: no wait
  g.update(done(GeneratorStep::operation("op", "k")));
  auto w = g.next(0);
  ASSERT_EQ(w.kind, Kind::kWait);
  EXPECT_GE(w.wait_ns, 10);
  EXPECT_LE(w.wait_ns, 20);
  EXPECT_EQ(g.next(0).kind, Kind::kOp);
}

TEST(GeneratorCombinators, StaggerDelaysOnlyTheFirstOperation) {
  Stagger g(Random(5), 1000, forever("op"));
  auto first = g.next(0);
  if (first.kind == Kind::kWait) {
    EXPECT_LT(first.wait_ns, 1000);
    EXPECT_EQ(g.next(0).kind, Kind::kOp);
  }
  EXPECT_EQ(g.next(0).kind, Kind::kOp);
  Stagger none(Random(5), 0, forever("op"));
  EXPECT_EQ(none.next(0).kind, Kind::kOp);
}

TEST(GeneratorCombinators, PhasesRunOneAfterAnother) {
  std::vector<std::unique_ptr<Generator>> phases;
  phases.push_back(std::make_unique<Sequence>(
      std::vector<GeneratorStep>{GeneratorStep::operation("init", std::nullopt)}));
  phases.push_back(std::make_unique<TimeLimit>(100, forever("load")));
  phases.push_back(std::make_unique<Sequence>(std::vector<GeneratorStep>{
      GeneratorStep::operation("read", "a"), GeneratorStep::operation("read", "b")}));
  Phases g(std::move(phases));
  EXPECT_EQ(g.next(0).op.f, "init");
  EXPECT_EQ(g.next(10).op.f, "load");
  EXPECT_EQ(g.next(50).op.f, "load");
  EXPECT_EQ(g.next(100).op.key, "a");
  EXPECT_EQ(g.next(100).op.key, "b");
  EXPECT_EQ(g.next(100).kind, Kind::kDone);
}

TEST(GeneratorCombinators, CycleRepeatsAndRestartsWithAFreshProcess) {
  Cycle g(Random(1), {[](const Op*, Random&) { return GeneratorStep::operation("login", "s"); },
                      [](const Op* last, Random&) {
                        // A step may look at what the previous one returned.
                        return GeneratorStep::operation(
                            last && last->type == OpType::kOk ? "refresh" : "noop", "s");
                      },
                      [](const Op*, Random&) { return GeneratorStep::operation("logout", "s"); }});
  auto a = g.next(0);
  EXPECT_EQ(a.op.f, "login");
  g.update(done(a));
  auto b = g.next(0);
  EXPECT_EQ(b.op.f, "refresh");
  g.update(done(b, OpType::kInfo));
  g.process_replaced();  // the session went with the old process
  EXPECT_EQ(g.next(0).op.f, "login");
}

}  // namespace
}  // namespace redproof::gen

// The latency SLO checker on hand-made histories whose percentiles can be read off by eye.
#include "checkers/latency_slo.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace redproof {
namespace {

constexpr std::int64_t kMs = 1'000'000;

class Timeline {
 public:
  // One operation on process p from `start` lasting `length` ns, ending in `outcome`.
  Timeline& op(std::int64_t p, std::int64_t start, std::int64_t length,
               OpType outcome = OpType::kOk) {
    add(start, p, OpType::kInvoke, "get", "null");
    pending_.push_back({start + length, p, outcome});
    return *this;
  }
  Timeline& nemesis(std::int64_t t, const std::string& phase) {
    add(t, kNemesisProcess, OpType::kInfo, phase == "start" ? "pause" : "resume",
        R"({"fault":"pause-server","phase":")" + phase + R"(","target":{"node":"n1"}})");
    return *this;
  }
  // The history, ordered by time (completions after invokes at the same instant).
  std::vector<Op> history() {
    std::vector<Op> all = events_;
    for (const auto& c : pending_) {
      Op o;
      o.time = c.time;
      o.process = c.process;
      o.type = c.outcome;
      o.f = "get";
      all.push_back(o);
    }
    std::stable_sort(all.begin(), all.end(),
                     [](const Op& a, const Op& b) { return a.time < b.time; });
    for (std::size_t i = 0; i < all.size(); ++i) all[i].index = static_cast<std::int64_t>(i);
    return all;
  }

 private:
  struct Completion {
    std::int64_t time;
    std::int64_t process;
    OpType outcome;
  };
  void add(std::int64_t t, std::int64_t p, OpType type, const std::string& f,
           const std::string& value) {
    Op o;
    o.time = t;
    o.process = p;
    o.type = type;
    o.f = f;
    o.value = value;
    events_.push_back(o);
  }
  std::vector<Op> events_;
  std::vector<Completion> pending_;
};

// 100 sequential 1 ms operations on process 0 starting at 0, and one slow one at the end.
Timeline hundred_fast_one_slow(std::int64_t slow_ns) {
  Timeline t;
  for (int i = 0; i < 100; ++i) t.op(0, i * 2 * kMs, kMs);
  t.op(0, 300 * kMs, slow_ns);
  return t;
}

TEST(ParseSlo, AcceptsTheDocumentedForms) {
  Slo a = parse_slo("p99<2ms");
  EXPECT_EQ(a.text, "p99<2ms");
  EXPECT_EQ(a.percentile, 99);
  EXPECT_EQ(a.limit_ns, 2 * kMs);
  EXPECT_FALSE(a.inclusive);

  Slo b = parse_slo("p99.9<=10ms");
  EXPECT_DOUBLE_EQ(b.percentile, 99.9);
  EXPECT_EQ(b.limit_ns, 10 * kMs);
  EXPECT_TRUE(b.inclusive);

  Slo c = parse_slo("max<1s");
  EXPECT_EQ(c.percentile, 100);
  EXPECT_EQ(c.limit_ns, 1000 * kMs);

  EXPECT_EQ(parse_slo("p50<500us").limit_ns, 500'000);
  EXPECT_EQ(parse_slo(" P90 < 1.5ms ").limit_ns, 1'500'000);
}

void expect_rejected(const std::string& text, const std::string& words) {
  try {
    parse_slo(text);
    ADD_FAILURE() << text << " was accepted";
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    EXPECT_EQ(what.rfind("--slo ", 0), 0u) << what;
    EXPECT_NE(what.find(words), std::string::npos) << what;
  }
}

TEST(ParseSlo, RejectsMalformedInputInOneLine) {
  expect_rejected("p99<2", "p99<2: missing unit; write e.g. p99<2ms");
  expect_rejected("p99<fast", "bad limit \"fast\"");
  expect_rejected("p99<", "missing limit");
  expect_rejected("p99", "expected PERCENTILE<LIMIT");
  expect_rejected("p99>2ms", "upper bound");
  expect_rejected("q99<2ms", "unknown percentile \"q99\"");
  expect_rejected("p<2ms", "unknown percentile");
  expect_rejected("pabc<2ms", "unknown percentile");
  expect_rejected("p0<2ms", "above 0");
  expect_rejected("p101<2ms", "at most 100");
  expect_rejected("p99<0ms", "above zero");
  expect_rejected("p99<2parsecs", "bad limit");
  expect_rejected("", "empty");
}

TEST(LatencySloChecker, WithoutSlosReportsFiguresAndIsValid) {
  auto history = hundred_fast_one_slow(50 * kMs).history();
  LatencySloChecker checker({});
  EXPECT_EQ(checker.name(), "latency");
  CheckResult r = checker.check(history);
  EXPECT_EQ(r.valid, Validity::kValid);
  const auto& overall = r.details["overall"];
  EXPECT_EQ(overall["count"], 101);
  EXPECT_EQ(overall["ok"], 101);
  EXPECT_EQ(overall["p50_ns"], kMs);
  EXPECT_NEAR(overall["max_ns"].get<double>(), 50.0 * kMs, 0.001 * 50 * kMs);
  EXPECT_TRUE(r.details["breaches"].empty());
  EXPECT_TRUE(r.details["windows"].empty());
  EXPECT_EQ(r.details["fault_free"]["count"], 101);
}

TEST(LatencySloChecker, ABreachOfTheOverallFiguresIsInvalidAndDescribed) {
  auto history = hundred_fast_one_slow(50 * kMs).history();
  LatencySloChecker checker({parse_slo("p50<2ms"), parse_slo("max<10ms")});
  CheckResult r = checker.check(history);
  EXPECT_EQ(r.valid, Validity::kInvalid);
  ASSERT_EQ(r.details["slos"].size(), 2u);
  EXPECT_EQ(r.details["slos"][0]["met"], true);
  EXPECT_EQ(r.details["slos"][0]["scope"], "overall");
  EXPECT_EQ(r.details["slos"][1]["met"], false);
  ASSERT_EQ(r.details["breaches"].size(), 1u);
  const auto& breach = r.details["breaches"][0];
  EXPECT_EQ(breach["slo"], "max<10ms");
  EXPECT_EQ(breach["limit_ns"], 10 * kMs);
  EXPECT_GE(breach["observed_ns"].get<std::int64_t>(), 50 * kMs);
  const std::string description = breach["description"];
  EXPECT_NE(description.find("max was 50."), std::string::npos) << description;
  EXPECT_NE(description.find("max<10ms"), std::string::npos) << description;
}

TEST(LatencySloChecker, StrictAndInclusiveBoundsAtTheLimit) {
  Timeline t;
  for (int i = 0; i < 10; ++i) t.op(0, i * 10 * kMs, 2 * kMs);
  auto history = t.history();
  EXPECT_EQ(LatencySloChecker({parse_slo("p99<2ms")}).check(history).valid, Validity::kInvalid);
  EXPECT_EQ(LatencySloChecker({parse_slo("p99<=2ms")}).check(history).valid, Validity::kValid);
}

TEST(LatencySloChecker, InfoOperationsDoNotCountTowardLatency) {
  Timeline t;
  for (int i = 0; i < 10; ++i) t.op(0, i * 10 * kMs, kMs);
  t.op(1, 0, 1000 * kMs, OpType::kInfo);  // a time-out: its latency is the time-out's
  t.op(2, 0, 3 * kMs, OpType::kFail);     // a certain failure did get an answer
  t.op(3, 500 * kMs, 2000 * kMs);         // still in flight at the end: no completion
  auto history = t.history();
  history.pop_back();  // drop process 3's completion, the last event
  CheckResult r = LatencySloChecker({parse_slo("max<5ms")}).check(history);
  EXPECT_EQ(r.valid, Validity::kValid) << r.details.dump();
  EXPECT_EQ(r.details["overall"]["count"], 11);
  EXPECT_EQ(r.details["overall"]["ok"], 10);
  EXPECT_EQ(r.details["overall"]["fail"], 1);
  EXPECT_EQ(r.details["overall"]["info"], 1);
  // The fail's 3 ms, as the top of its histogram bucket [3000, 3001] µs.
  EXPECT_EQ(r.details["overall"]["max_ns"], 3'001'000);
}

// Open loop: an invoke's "intended" start is where latency counts from, so an operation sent
// 40 ms late that took 1 ms breaches a 5 ms objective; the uncorrected latency stays 1 ms.
TEST(LatencySloChecker, LatencyCountsFromTheIntendedStart) {
  Timeline t;
  for (int i = 0; i < 10; ++i) t.op(0, i * 10 * kMs, kMs);
  auto history = t.history();
  EXPECT_EQ(LatencySloChecker({parse_slo("max<5ms")}).check(history).valid, Validity::kValid);
  history[18].intended = history[18].time - 40 * kMs;  // the last invoke
  ASSERT_TRUE(history[18].is_invoke());
  CheckResult r = LatencySloChecker({parse_slo("max<5ms")}).check(history);
  EXPECT_EQ(r.valid, Validity::kInvalid) << r.details.dump();
  const auto ops = operation_latencies(history);
  ASSERT_EQ(ops.size(), 10u);
  EXPECT_EQ(ops.back().latency_ns(), 41 * kMs);
  EXPECT_EQ(ops.back().uncorrected_ns(), kMs);
  EXPECT_TRUE(ops.back().scheduled);
  EXPECT_FALSE(ops.front().scheduled);
}

TEST(LatencySloChecker, PerWindowFiguresAreInformationOnly) {
  Timeline t;
  for (int i = 0; i < 1000; ++i) t.op(0, i * 2 * kMs, kMs);  // 0 .. 2 s, 1 ms each
  // A server pause from 2.5 s to 3.5 s: one operation stalls across it.
  t.nemesis(2500 * kMs, "start");
  t.op(1, 2400 * kMs, 1200 * kMs);
  t.nemesis(3500 * kMs, "stop");
  for (int i = 0; i < 10; ++i) t.op(0, 4000 * kMs + i * 2 * kMs, kMs);
  auto history = t.history();

  // The overall p99 is 1 ms, so p99<2ms is met although the window's p99 is the stall.
  CheckResult r = LatencySloChecker({parse_slo("p99<2ms")}).check(history);
  EXPECT_EQ(r.valid, Validity::kValid) << r.details.dump();
  ASSERT_EQ(r.details["windows"].size(), 1u);
  const auto& w = r.details["windows"][0];
  EXPECT_EQ(w["fault"], "pause-server");
  EXPECT_EQ(w["start_ns"], 2500 * kMs);
  EXPECT_EQ(w["end_ns"], 3500 * kMs);
  EXPECT_EQ(w["count"], 1);
  EXPECT_GE(w["p99_ns"].get<std::int64_t>(), 1200 * kMs);
  ASSERT_EQ(w["slos"].size(), 1u);
  EXPECT_EQ(w["slos"][0]["met"], false);
  EXPECT_EQ(r.details["fault_free"]["count"], 1010);
  EXPECT_EQ(r.details["fault_free"]["slos"][0]["met"], true);
  EXPECT_EQ(r.details["overall"]["count"], 1011);
  EXPECT_TRUE(r.details["breaches"].empty());

  // max is judged overall too, and there the stall shows.
  CheckResult m = LatencySloChecker({parse_slo("max<100ms")}).check(history);
  EXPECT_EQ(m.valid, Validity::kInvalid);
}

TEST(LatencySloChecker, NothingCompletedWithSlosIsUnknownAndStrict) {
  Timeline t;
  t.op(0, 0, 1000 * kMs, OpType::kInfo);
  CheckResult r = LatencySloChecker({parse_slo("p99<2ms")}).check(t.history());
  EXPECT_EQ(r.valid, Validity::kUnknown);
  EXPECT_NE(r.details["error"].get<std::string>().find("no completed operations"),
            std::string::npos);
  // Empty figures are zeros, never NaN: the dump parses back as strict JSON.
  EXPECT_EQ(r.details["overall"]["mean_ns"], 0);
  const std::string text = r.details.dump();
  EXPECT_EQ(text.find("NaN"), std::string::npos);
  EXPECT_EQ(text.find("null"), std::string::npos) << text;
  nlohmann::json parsed;
  EXPECT_NO_THROW(parsed = nlohmann::json::parse(text));

  CheckResult none = LatencySloChecker({}).check({});
  EXPECT_EQ(none.valid, Validity::kValid);
}

}  // namespace
}  // namespace redproof

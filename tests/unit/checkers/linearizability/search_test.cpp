// Tiny hand-made histories whose verdicts can be proved by hand, per model, including info
// operations that must and must not be linearized.
#include <gtest/gtest.h>

#include "checkers/linearizability/linearizability_checker.hpp"
#include "core/history_reader.hpp"
#include "hard_histories.hpp"

namespace redproof::linearizability {
namespace {

Verdict check(const std::string& model, const std::string& jsonl, const std::string& init = "") {
  CheckOptions o;
  o.model = model;
  o.init_json = init;
  o.threads = 1;
  return check_linearizability(parse_history(jsonl), o).verdict;
}

// A tiny DSL: "p:type:f:value" per event, times in order.
std::string h(std::initializer_list<const char*> events) {
  std::string out;
  int i = 0;
  for (const char* e : events) {
    std::string s(e);
    auto a = s.find(':'), b = s.find(':', a + 1), c = s.find(':', b + 1);
    out += "{\"index\":" + std::to_string(i) + ",\"time\":" + std::to_string(i) +
           ",\"process\":" + s.substr(0, a) + ",\"type\":\"" + s.substr(a + 1, b - a - 1) +
           "\",\"f\":\"" + s.substr(b + 1, c - b - 1) + "\",\"value\":" + s.substr(c + 1) + "}\n";
    ++i;
  }
  return out;
}

TEST(Linearizability, SequentialRegisterIsLinearizable) {
  EXPECT_EQ(check("register",
                  h({"0:invoke:write:1", "0:ok:write:1", "1:invoke:read:null", "1:ok:read:1"})),
            Verdict::kLinearizable);
}

TEST(Linearizability, StaleReadAfterAWriteCompletedIsNot) {
  EXPECT_EQ(check("register", h({"0:invoke:write:1", "0:ok:write:1", "0:invoke:write:2",
                                 "0:ok:write:2", "1:invoke:read:null", "1:ok:read:1"})),
            Verdict::kNotLinearizable);
}

TEST(Linearizability, ConcurrentReadMaySeeEitherValue) {
  EXPECT_EQ(check("register",
                  h({"0:invoke:write:1", "1:invoke:read:null", "1:ok:read:null", "0:ok:write:1"})),
            Verdict::kLinearizable);
  EXPECT_EQ(check("register",
                  h({"0:invoke:write:1", "1:invoke:read:null", "1:ok:read:1", "0:ok:write:1"})),
            Verdict::kLinearizable);
}

TEST(Linearizability, InfoWriteMayTakeEffectLater) {
  // The write timed out, then a read saw it: it happened.
  EXPECT_EQ(check("register", h({"0:invoke:write:1", "0:info:write:null", "1:invoke:read:null",
                                 "1:ok:read:1"})),
            Verdict::kLinearizable);
}

TEST(Linearizability, InfoWriteMayNeverHappen) {
  EXPECT_EQ(check("register", h({"0:invoke:write:1", "0:info:write:null", "1:invoke:read:null",
                                 "1:ok:read:null"})),
            Verdict::kLinearizable);
}

TEST(Linearizability, InfoWriteCannotTakeEffectBeforeItsInvoke) {
  EXPECT_EQ(check("register", h({"1:invoke:read:null", "1:ok:read:1", "0:invoke:write:1",
                                 "0:info:write:null"})),
            Verdict::kNotLinearizable);
}

TEST(Linearizability, FailedOperationsDidNotHappen) {
  EXPECT_EQ(check("register", h({"0:invoke:write:1", "0:fail:write:null", "1:invoke:read:null",
                                 "1:ok:read:1"})),
            Verdict::kNotLinearizable);
}

TEST(Linearizability, CasRegister) {
  EXPECT_EQ(
      check("cas-register",
            h({"0:invoke:cas:[0,1]", "0:ok:cas:[0,1]", "1:invoke:read:null", "1:ok:read:1"}), "0"),
      Verdict::kLinearizable);
  // A cas from 0 cannot succeed when the register is absent.
  EXPECT_EQ(check("cas-register", h({"0:invoke:cas:[0,1]", "0:ok:cas:[0,1]"})),
            Verdict::kNotLinearizable);
}

TEST(Linearizability, Counter) {
  EXPECT_EQ(
      check("counter", h({"0:invoke:add:2", "0:ok:add:null", "1:invoke:read:null", "1:ok:read:2"})),
      Verdict::kLinearizable);
  EXPECT_EQ(
      check("counter", h({"0:invoke:add:2", "0:ok:add:null", "1:invoke:read:null", "1:ok:read:3"})),
      Verdict::kNotLinearizable);
}

TEST(Linearizability, Set) {
  EXPECT_EQ(check("set", h({"0:invoke:add:1", "0:ok:add:null", "1:invoke:add:2", "1:ok:add:null",
                            "2:invoke:read:null", "2:ok:read:[2,1]"})),
            Verdict::kLinearizable);
  EXPECT_EQ(
      check("set", h({"0:invoke:add:1", "0:ok:add:null", "2:invoke:read:null", "2:ok:read:[]"})),
      Verdict::kNotLinearizable);
}

TEST(Linearizability, FifoQueue) {
  EXPECT_EQ(
      check("fifo-queue", h({"0:invoke:enqueue:1", "0:ok:enqueue:null", "0:invoke:enqueue:2",
                             "0:ok:enqueue:null", "1:invoke:dequeue:null", "1:ok:dequeue:1"})),
      Verdict::kLinearizable);
  EXPECT_EQ(
      check("fifo-queue", h({"0:invoke:enqueue:1", "0:ok:enqueue:null", "0:invoke:enqueue:2",
                             "0:ok:enqueue:null", "1:invoke:dequeue:null", "1:ok:dequeue:2"})),
      Verdict::kNotLinearizable);
}

TEST(Linearizability, Mutex) {
  EXPECT_EQ(check("mutex", h({"0:invoke:acquire:null", "0:ok:acquire:null", "1:invoke:acquire:null",
                              "1:ok:acquire:null"})),
            Verdict::kNotLinearizable);
  EXPECT_EQ(check("mutex", h({"0:invoke:acquire:null", "0:ok:acquire:null", "0:invoke:release:null",
                              "0:ok:release:null", "1:invoke:acquire:null", "1:ok:acquire:null"})),
            Verdict::kLinearizable);
}

TEST(Linearizability, KvAppends) {
  EXPECT_EQ(check("kv", h({"0:invoke:append:\"a\"", "0:ok:append:null", "0:invoke:append:\"b\"",
                           "0:ok:append:null", "1:invoke:get:null", "1:ok:get:\"ab\""})),
            Verdict::kLinearizable);
  EXPECT_EQ(check("kv", h({"0:invoke:append:\"a\"", "0:ok:append:null", "0:invoke:append:\"b\"",
                           "0:ok:append:null", "1:invoke:get:null", "1:ok:get:\"ba\""})),
            Verdict::kNotLinearizable);
}

TEST(Linearizability, KeysAreCheckedSeparately) {
  std::string text =
      R"({"index":0,"time":0,"process":0,"type":"invoke","f":"write","key":"a","value":1}
{"index":1,"time":1,"process":0,"type":"ok","f":"write","key":"a","value":1}
{"index":2,"time":2,"process":1,"type":"invoke","f":"read","key":"b","value":null}
{"index":3,"time":3,"process":1,"type":"ok","f":"read","key":"b","value":null}
)";
  EXPECT_EQ(check("register", text), Verdict::kLinearizable);
}

TEST(Linearizability, UnknownModelAndBadValuesAreRejected) {
  EXPECT_THROW(check("nosuch", ""), std::invalid_argument);
  EXPECT_THROW(check("cas-register", h({"0:invoke:cas:5", "0:ok:cas:5"})), std::invalid_argument);
  EXPECT_THROW(check("counter", "", "\"x\""), std::invalid_argument);
}

TEST(Linearizability, CounterexampleNamesTheStuckOperation) {
  CheckOptions o;
  o.model = "register";
  auto r = check_linearizability(
      parse_history(h({"0:invoke:write:1", "0:ok:write:1", "1:invoke:read:null", "1:ok:read:2"})),
      o);
  ASSERT_EQ(r.verdict, Verdict::kNotLinearizable);
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->stuck.f, "read");
  EXPECT_EQ(r.failure->stuck.result, "2");
  EXPECT_EQ(r.failure->state, "1");
  auto j = to_json(r);
  EXPECT_EQ(j["valid"], false);
  EXPECT_EQ(j["counterexample"]["could_not_place"]["process"], 1);
  EXPECT_NE(linearizability_html(r).find("not linearizable"), std::string::npos);
}

TEST(Linearizability, AHardHistoryAnswersUnknownWhenTheTimeRunsOut) {
  CheckOptions o;
  o.model = "fifo-queue";
  o.timeout = std::chrono::milliseconds(300);
  o.fast_paths = false;  // the general search's budget: the fifo search decides it at once
  const auto started = std::chrono::steady_clock::now();
  auto r = check_linearizability(parse_history(hard_queue(40)), o);
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(r.verdict, Verdict::kUnknown);
  EXPECT_EQ(r.reason, "timeout");
  // Bounded: it stops soon after its budget (generous for a loaded machine).
  EXPECT_LT(took, std::chrono::seconds(10));
}

TEST(Linearizability, TheFifoSearchDecidesTheHardHistoryTheGeneralSearchCannot) {
  CheckOptions o;
  o.model = "fifo-queue";
  o.timeout = std::chrono::seconds(60);
  auto r = check_linearizability(parse_history(hard_queue(40)), o);
  ASSERT_EQ(r.verdict, Verdict::kNotLinearizable);
  EXPECT_EQ(r.failure->stuck.result, "999");  // dequeued, never enqueued
}

TEST(Linearizability, AHardHistoryAnswersUnknownWhenTheMemoryCapIsReached) {
  CheckOptions o;
  o.model = "fifo-queue";
  o.timeout = std::chrono::seconds(60);
  o.max_memory_bytes = 4 << 20;
  o.fast_paths = false;  // the general search's budget: the fifo search decides it at once
  auto r = check_linearizability(parse_history(hard_queue(40)), o);
  EXPECT_EQ(r.verdict, Verdict::kUnknown);
  EXPECT_EQ(r.reason, "memory");
  EXPECT_LE(r.peak_memory_bytes, std::int64_t{8} << 20);
}

}  // namespace
}  // namespace redproof::linearizability

namespace redproof::linearizability {
namespace {

// A filtered view checks only the selected events, keeps the history's indexes, and refuses a
// selection of another length.
TEST(Linearizability, ASelectionChecksOnlyTheSelectedEvents) {
  const auto history =
      parse_history(h({"0:invoke:enqueue:1", "0:ok:enqueue:null", "0:invoke:enqueue:2",
                       "0:ok:enqueue:null", "1:invoke:dequeue:null", "1:ok:dequeue:2"}));
  CheckOptions o;
  o.model = "fifo-queue";
  o.threads = 1;
  EXPECT_EQ(check_linearizability(history, o).verdict, Verdict::kNotLinearizable);
  const std::vector<bool> without_first{false, false, true, true, true, true};
  EXPECT_EQ(check_linearizability(history, without_first, o).verdict, Verdict::kLinearizable);
  const std::vector<bool> all(history.size(), true);
  const auto r = check_linearizability(history, all, o);
  ASSERT_EQ(r.verdict, Verdict::kNotLinearizable);
  EXPECT_EQ(r.failure->stuck.invoke_index, 4);
  EXPECT_THROW(check_linearizability(history, std::vector<bool>(3, true), o),
               std::invalid_argument);
}

}  // namespace
}  // namespace redproof::linearizability

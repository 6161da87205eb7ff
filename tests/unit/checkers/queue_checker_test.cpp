// The queue checker on hand-made histories, with the edges of patterns.md: an enqueue of unknown
// outcome that is delivered (recovered, not unexpected), an unknown ack (not lost), a missing
// drain (undecided), duplicates as a violation or a note by variant, and the fifo check.
#include "checkers/queue_checker.hpp"

#include <gtest/gtest.h>

namespace redproof {
namespace {

// Events "p:type:f:value" in order; every operation on queue q.
std::vector<Op> h(std::initializer_list<const char*> events) {
  std::vector<Op> out;
  std::int64_t i = 0;
  for (const char* e : events) {
    std::string s(e);
    auto a = s.find(':'), b = s.find(':', a + 1), c = s.find(':', b + 1);
    Op op;
    op.index = i;
    op.time = i * 1000;
    op.process = std::stoll(s.substr(0, a));
    op.type = *op_type_from_string(s.substr(a + 1, b - a - 1));
    op.f = s.substr(b + 1, c - b - 1);
    op.key = "q";
    op.value = s.substr(c + 1);
    out.push_back(op);
    ++i;
  }
  return out;
}

std::int64_t count(const CheckResult& r, const std::string& name) {
  return r.details["anomaly_counts"].value(name, std::int64_t{0});
}

CheckResult check(const std::vector<Op>& history, bool at_most_once = false) {
  QueueCheckerOptions o;
  o.at_most_once = at_most_once;
  return QueueChecker(o).check(history);
}

TEST(QueueChecker, DeliveredAndAckedIsValid) {
  auto r = check(h({"0:invoke:enqueue:\"a\"", "0:ok:enqueue:null", "1:invoke:dequeue:null",
                    "1:ok:dequeue:\"a\"", "1:invoke:ack:\"a\"", "1:ok:ack:null",
                    "2:invoke:drain:null", "2:ok:drain:[]"}));
  EXPECT_EQ(r.valid, Validity::kValid);
  EXPECT_EQ(r.details["acked"], 1);
  EXPECT_EQ(r.details["latency_ms"]["count"], 1);
}

TEST(QueueChecker, AnAcknowledgedEnqueueNeverProcessedNorLeftIsLost) {
  auto r = check(h({"0:invoke:enqueue:\"a\"", "0:ok:enqueue:null", "1:invoke:dequeue:null",
                    "1:info:dequeue:null", "2:invoke:drain:null", "2:ok:drain:[]"}),
                 true);
  EXPECT_EQ(r.valid, Validity::kInvalid);
  EXPECT_EQ(count(r, "lost"), 1);
}

TEST(QueueChecker, AMessageLeftInTheDrainIsNotLost) {
  auto r = check(h({"0:invoke:enqueue:\"a\"", "0:ok:enqueue:null", "2:invoke:drain:null",
                    "2:ok:drain:[\"a\"]"}));
  EXPECT_EQ(r.valid, Validity::kValid);
}

TEST(QueueChecker, AnUnknownAckMayHaveHappened) {
  auto r = check(h({"0:invoke:enqueue:\"a\"", "0:ok:enqueue:null", "1:invoke:dequeue:null",
                    "1:ok:dequeue:\"a\"", "1:invoke:ack:\"a\"", "1:info:ack:null",
                    "2:invoke:drain:null", "2:ok:drain:[]"}));
  EXPECT_EQ(r.valid, Validity::kValid);
}

TEST(QueueChecker, AnUnknownEnqueueNeverSeenIsNotLost) {
  auto r = check(
      h({"0:invoke:enqueue:\"a\"", "0:info:enqueue:null", "2:invoke:drain:null", "2:ok:drain:[]"}));
  EXPECT_EQ(r.valid, Validity::kValid);
}

TEST(QueueChecker, AnUnknownEnqueueDeliveredIsRecoveredNotUnexpected) {
  auto r = check(h({"0:invoke:enqueue:\"a\"", "0:info:enqueue:null", "1:invoke:dequeue:null",
                    "1:ok:dequeue:\"a\"", "1:invoke:ack:\"a\"", "1:ok:ack:null",
                    "2:invoke:drain:null", "2:ok:drain:[]"}));
  EXPECT_EQ(r.valid, Validity::kValid);
  EXPECT_EQ(r.details["recovered"], 1);
  EXPECT_EQ(count(r, "unexpected"), 0);
}

TEST(QueueChecker, AnEnqueueStillOpenAtTheEndAndDeliveredIsRecovered) {
  auto r = check(h({"0:invoke:enqueue:\"a\"", "1:invoke:dequeue:null", "1:ok:dequeue:\"a\"",
                    "3:invoke:drain:null", "3:ok:drain:[]"}));
  EXPECT_EQ(r.valid, Validity::kValid);
  EXPECT_EQ(r.details["recovered"], 1);
}

TEST(QueueChecker, AnIdNeverEnqueuedIsUnexpected) {
  auto r = check(h({"1:invoke:dequeue:null", "1:ok:dequeue:\"z\"", "0:invoke:enqueue:\"z\"",
                    "0:ok:enqueue:null", "2:invoke:drain:null", "2:ok:drain:[]"}));
  EXPECT_EQ(r.valid, Validity::kInvalid);
  EXPECT_EQ(count(r, "unexpected"), 1);
}

TEST(QueueChecker, DuplicatesAreAViolationOnlyForAtMostOnce) {
  auto history =
      h({"0:invoke:enqueue:\"a\"", "0:ok:enqueue:null", "1:invoke:ack:\"a\"", "1:ok:ack:null",
         "2:invoke:ack:\"a\"", "2:ok:ack:null", "3:invoke:drain:null", "3:ok:drain:[]"});
  auto note = check(history, false);
  EXPECT_EQ(note.valid, Validity::kValid);
  EXPECT_EQ(count(note, "duplicated"), 1);
  ASSERT_FALSE(note.anomalies.empty());
  EXPECT_FALSE(note.anomalies[0].violation);
  auto violation = check(history, true);
  EXPECT_EQ(violation.valid, Validity::kInvalid);
}

TEST(QueueChecker, WithoutADrainLostCannotBeTold) {
  auto r = check(h({"0:invoke:enqueue:\"a\"", "0:ok:enqueue:null"}));
  EXPECT_EQ(r.valid, Validity::kUnknown);
}

TEST(QueueFifoChecker, InOrderIsValidAndOutOfOrderIsReordered) {
  auto ok = QueueFifoChecker().check(h(
      {"0:invoke:enqueue:\"a\"", "0:ok:enqueue:null", "0:invoke:enqueue:\"b\"", "0:ok:enqueue:null",
       "1:invoke:dequeue:null", "1:ok:dequeue:\"a\"", "1:invoke:ack:\"a\"", "1:ok:ack:null",
       "1:invoke:dequeue:null", "1:ok:dequeue:\"b\"", "2:invoke:drain:null", "2:ok:drain:[]"}));
  EXPECT_EQ(ok.valid, Validity::kValid);
  auto bad = QueueFifoChecker().check(
      h({"0:invoke:enqueue:\"a\"", "0:ok:enqueue:null", "0:invoke:enqueue:\"b\"",
         "0:ok:enqueue:null", "1:invoke:dequeue:null", "1:ok:dequeue:\"b\"",
         "1:invoke:dequeue:null", "1:ok:dequeue:\"a\"", "2:invoke:drain:null", "2:ok:drain:[]"}));
  EXPECT_EQ(bad.valid, Validity::kInvalid);
  ASSERT_FALSE(bad.anomalies.empty());
  EXPECT_EQ(bad.anomalies[0].name, "reordered");
}

TEST(QueueFifoChecker, ALostMessageIsNotAReorder) {
  // a was lost (the consumer died after the pop); b came next: lost, not reordered.
  auto r = QueueFifoChecker().check(
      h({"0:invoke:enqueue:\"a\"", "0:ok:enqueue:null", "0:invoke:enqueue:\"b\"",
         "0:ok:enqueue:null", "2:invoke:dequeue:null", "2:info:dequeue:null",
         "1:invoke:dequeue:null", "1:ok:dequeue:\"b\"", "3:invoke:drain:null", "3:ok:drain:[]"}));
  EXPECT_EQ(r.valid, Validity::kValid);
}

}  // namespace
}  // namespace redproof

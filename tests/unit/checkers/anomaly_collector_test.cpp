#include "checkers/anomaly_collector.hpp"

#include <gtest/gtest.h>

namespace redproof {
namespace {

Op nemesis(std::int64_t time, const char* f, const char* phase) {
  Op o;
  o.time = time;
  o.process = kNemesisProcess;
  o.type = OpType::kInfo;
  o.f = f;
  o.value = std::string(R"({"fault":"pause-server","phase":")") + phase + R"(","target":"n1"})";
  return o;
}

Anomaly named(const char* name, std::int64_t from, std::int64_t to, bool violation = true) {
  Anomaly a;
  a.name = name;
  a.from_ns = from;
  a.to_ns = to;
  a.violation = violation;
  return a;
}

TEST(AnomalyCollector, FillsTheFaultsActiveOverEachAnomaly) {
  const std::vector<Op> history = {nemesis(100, "pause", "start"), nemesis(200, "resume", "stop")};
  AnomalyCollector c(history);
  c.add(named("x", 150, 160));
  c.add(named("x", 300, 310));
  CheckResult r;
  c.store_into(r);
  ASSERT_EQ(r.anomalies.size(), 2u);
  EXPECT_NE(r.anomalies[0].faults[0].find("pause-server"), std::string::npos);
  EXPECT_EQ(r.anomalies[1].faults, std::vector<std::string>{"none"});
  EXPECT_EQ(r.valid, Validity::kInvalid);
  EXPECT_EQ(r.details["anomaly_counts"]["x"], 2);
}

TEST(AnomalyCollector, KeepsTheFirstFewOfEachNameButCountsAll) {
  AnomalyCollector c({}, 3);
  for (int i = 0; i < 10; ++i) c.add(named("x", i, i));
  c.add(named("y", 20, 20));  // a flood of x does not hide the one y
  CheckResult r;
  c.store_into(r);
  ASSERT_EQ(r.anomalies.size(), 4u);
  EXPECT_EQ(r.anomalies.back().name, "y");
  EXPECT_EQ(r.details["anomaly_counts"]["x"], 10);
}

TEST(AnomalyCollector, NotesAloneLeaveTheVerdictValid) {
  AnomalyCollector c({});
  c.add(named("boundary-burst", 0, 1, false));
  CheckResult r;
  c.store_into(r);
  EXPECT_EQ(r.valid, Validity::kValid);
  EXPECT_EQ(r.anomalies.size(), 1u);
  CheckResult undecided;
  AnomalyCollector({}).store_into(undecided, false);
  EXPECT_EQ(undecided.valid, Validity::kUnknown);
}

TEST(Anomaly, RoundTripsThroughJson) {
  Anomaly a = named("double-holder", 5, 9);
  a.key = "lock:0";
  a.ops = {1, 2};
  a.magnitude = {{"overlap_ms", 3.5}};
  a.faults = {"none"};
  a.sentence = "two holders";
  const Anomaly b = anomaly_from_json(to_json(a));
  EXPECT_EQ(to_json(b), to_json(a));
  a.violation = false;
  EXPECT_FALSE(anomaly_from_json(to_json(a)).violation);
}

}  // namespace
}  // namespace redproof

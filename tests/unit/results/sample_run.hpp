// A small finished lock run, made by hand, shared by the reporter tests: two processes, a
// pause-client window, a double holder, and a latency checker with one SLO breach.
#pragma once

#include <string>
#include <vector>

#include "results/run_record.hpp"

namespace redproof::testing {

inline Op make_op(std::int64_t time, std::int64_t process, OpType type, std::string f,
                  std::string value = "null") {
  Op o;
  o.time = time;
  o.process = process;
  o.type = type;
  o.f = std::move(f);
  o.key = "lock:0";
  o.value = std::move(value);
  return o;
}

inline Anomaly double_holder_anomaly(int first, int second, double overlap_ms) {
  Anomaly a;
  a.name = "double-holder";
  a.key = "lock:0";
  a.ops = {20, 30};
  a.from_ns = 1'200'000'000;
  a.to_ns = 1'700'000'000;
  a.magnitude = {
      {"first", {{"process", first}, {"acquired_ns", 1'200'000'000}, {"until_ns", 1'700'000'000}}},
      {"second",
       {{"process", second}, {"acquired_ns", 1'500'000'000}, {"until_ns", 1'900'000'000}}},
      {"overlap_ms", overlap_ms}};
  a.faults = {"pause-client (pause {\"process\":3})"};
  a.sentence = "process " + std::to_string(first) + " and process " + std::to_string(second) +
               " both held lock:0 for " + std::to_string(overlap_ms) + " ms";
  return a;
}

// `violations` double holders; ops spread over ~3 s with a pause-client window 1.0..2.2 s.
inline RunRecord sample_run(int violations = 1) {
  RunRecord r;
  r.directory = "/tmp/results/lock/get-del/pause-client/20240101T000000Z";
  r.config = {{"workload", "lock"},
              {"variant", "get-del"},
              {"faults", {"pause-client"}},
              {"seed", 7},
              {"started", "2024-01-01T00:00:00Z"}};
  std::int64_t t = 0;
  // Two workers; one whose operation ends in info continues as a fresh process (history.md).
  std::int64_t process[2] = {0, 1};
  std::int64_t next_process = 2;
  for (int i = 0; i < 300; ++i) {
    const std::int64_t p = process[i % 2];
    r.history.push_back(make_op(t, p, OpType::kInvoke, "acquire"));
    const OpType outcome = i % 50 == 7 ? OpType::kInfo : i % 10 == 3 ? OpType::kFail : OpType::kOk;
    r.history.push_back(make_op(t + 1'000'000 + i * 1000, p, outcome, "acquire"));
    if (outcome == OpType::kInfo) process[i % 2] = next_process++;
    t += 10'000'000;
    if (i == 100) {
      Op start = make_op(t, kNemesisProcess, OpType::kInfo, "pause",
                         R"({"fault":"pause-client","phase":"start","target":{"process":3}})");
      start.key.reset();
      r.history.push_back(start);
    }
    if (i == 220) {
      Op stop = make_op(t, kNemesisProcess, OpType::kInfo, "resume",
                        R"({"fault":"pause-client","phase":"stop","target":{"process":3}})");
      stop.key.reset();
      r.history.push_back(stop);
    }
  }
  for (std::size_t i = 0; i < r.history.size(); ++i)
    r.history[i].index = static_cast<std::int64_t>(i);

  CheckResult dh;
  dh.valid = violations > 0 ? Validity::kInvalid : Validity::kValid;
  for (int i = 0; i < violations; ++i) {
    dh.anomalies.push_back(double_holder_anomaly(3, 7 + i, 212.4 + i));
  }
  dh.details["stats"] = {{"acquisitions", 250}};
  r.checks.emplace_back("double-holder", dh);

  CheckResult latency;
  latency.valid = Validity::kInvalid;
  latency.details["breaches"] = {{{"slo", "max<1ms"},
                                  {"scope", "overall"},
                                  {"observed_ns", 1'300'000},
                                  {"limit_ns", 1'000'000},
                                  {"met", false},
                                  {"description", "max was 1.30ms, breaching the SLO max<1ms"}}};
  Anomaly breach;
  breach.name = "slo-breach";
  breach.faults = {"none"};
  breach.magnitude = {{"slo", "max<1ms"}, {"observed_ns", 1'300'000}};
  breach.sentence = "max was 1.30ms, breaching the SLO max<1ms";
  latency.anomalies.push_back(breach);
  r.checks.emplace_back("latency", latency);
  r.valid = Validity::kInvalid;
  r.stats = {{"duration_s", 3.0}, {"interrupted", false}};
  return r;
}

}  // namespace redproof::testing

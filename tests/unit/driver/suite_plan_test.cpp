// Plan validation: every error names the JSON path of what is wrong, before anything runs.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "driver/suite/suite_plan.hpp"

namespace redproof::suite {
namespace {

// The error's what() for a plan text that must be rejected.
std::string error_of(const std::string& text) {
  try {
    parse_suite_plan(text);
  } catch (const PlanError& e) {
    return e.what();
  }
  return "(accepted)";
}

std::string one_run(const std::string& fields) {
  return R"({"runs": [{"workload": "lock", "expect": {"valid": true}}, {)" + fields + "}]}";
}

TEST(SuitePlan, ReadsTheSpecExample) {
  const SuitePlan plan = parse_suite_plan(R"({"runs": [
    {"name": "lock get-del under a client pause",
     "workload": "lock", "variant": "get-del", "fault": ["pause-client"],
     "time": "10s", "seeds": [1, 2, 3], "topology": "single", "clients": 5,
     "params": {"ttl": "500ms"}, "slo": ["p99<50ms"],
     "expect": {"valid": false, "anomalies": ["double-holder"], "min_seeds": 2}}]})");
  ASSERT_EQ(plan.runs.size(), 1u);
  const PlannedRun& r = plan.runs[0];
  EXPECT_EQ(r.name, "lock get-del under a client pause");
  EXPECT_EQ(r.variant, "get-del");
  EXPECT_EQ(r.faults, std::vector<std::string>{"pause-client"});
  EXPECT_EQ(r.seeds, (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_EQ(r.params.at("ttl"), "500ms");
  EXPECT_EQ(r.expect.valid, "false");
  EXPECT_EQ(r.expect.anomalies, std::vector<std::string>{"double-holder"});
  EXPECT_EQ(r.min_seeds(), 2);
}

TEST(SuitePlan, DefaultsAsOnTheCommandLine) {
  const SuitePlan plan =
      parse_suite_plan(R"({"runs": [{"workload": "register", "expect": {"valid": "unknown"}}]})");
  const PlannedRun& r = plan.runs[0];
  EXPECT_EQ(r.name, "register get-set none");
  EXPECT_EQ(r.faults, std::vector<std::string>{"none"});
  EXPECT_EQ(r.time, "10s");
  EXPECT_EQ(r.seeds, std::vector<std::uint64_t>{1});
  EXPECT_EQ(r.clients, 5);
  EXPECT_EQ(r.expect.valid, "unknown");
  EXPECT_EQ(r.min_seeds(), 1);
}

TEST(SuitePlan, AFaultMayBeOneString) {
  const SuitePlan plan = parse_suite_plan(
      R"({"runs": [{"workload": "lock", "fault": "kill-restart", "expect": {"valid": false}}]})");
  EXPECT_EQ(plan.runs[0].faults, std::vector<std::string>{"kill-restart"});
  EXPECT_EQ(plan.runs[0].name, "lock lua-release kill-restart");
}

TEST(SuitePlan, RejectsWhatIsNotJsonOrNotAPlan) {
  EXPECT_NE(error_of("{\"runs\": [").find("not valid JSON"), std::string::npos);
  // found by fuzzing: a number too large for a double is nlohmann's out_of_range, not parse_error
  EXPECT_NE(error_of("{\"runs\": 1e99999}").find("not valid JSON: number overflow"),
            std::string::npos);
  EXPECT_EQ(error_of("[]"), "expected a JSON object {\"runs\": [...]}, got an array");
  EXPECT_EQ(error_of("{}"), "runs: missing (an array of runs)");
  EXPECT_EQ(error_of(R"({"runs": {}})"), "runs: expected an array of runs, got an object");
  EXPECT_EQ(error_of(R"({"runs": []})"), "runs: expected at least one run");
  EXPECT_EQ(error_of(R"({"runs": [3]})"), "runs[0]: expected an object, got an integer");
}

TEST(SuitePlan, UnknownFieldsAnywhereAreErrors) {
  EXPECT_EQ(error_of(R"({"runs": [{"workload": "lock", "expect": {"valid": true}}], "run": 1})")
                .substr(0, 22),
            "run: unknown field (kn");
  EXPECT_EQ(error_of(one_run(R"("workload": "lock", "seed": [1], "expect": {"valid": true})"))
                .substr(0, 30),
            "runs[1].seed: unknown field (k");
  EXPECT_EQ(error_of(one_run(R"("workload": "lock", "expect": {"valid": true, "min_seed": 1})"))
                .substr(0, 37),
            "runs[1].expect.min_seed: unknown fiel");
  EXPECT_EQ(error_of(one_run(R"("workload": "lock", "expect": {"valid": true}, "odd key": 1)"))
                .substr(0, 27),
            "runs[1][\"odd key\"]: unknown");
}

TEST(SuitePlan, ExpectationErrors) {
  EXPECT_EQ(error_of(one_run(R"("workload": "lock")")),
            "runs[1].expect: missing (at least {\"valid\": true|false|\"unknown\"})");
  EXPECT_EQ(error_of(one_run(R"("workload": "lock", "expect": {})")),
            "runs[1].expect.valid: missing (true, false or \"unknown\")");
  EXPECT_EQ(error_of(one_run(R"("workload": "lock", "expect": {"valid": "no"})")),
            "runs[1].expect.valid: expected true, false or \"unknown\"");
  EXPECT_EQ(
      error_of(one_run(R"("workload": "lock", "expect": {"valid": false, "anomalies": "x"})")),
      "runs[1].expect.anomalies: expected an array of anomaly names, got a string");
  EXPECT_EQ(
      error_of(one_run(R"("workload": "lock", "expect": {"valid": false, "anomalies": [1]})")),
      "runs[1].expect.anomalies[0]: expected a string, got an integer");
  // A valid run may expect notes (anomalies that are not violations, e.g. boundary-burst).
  EXPECT_EQ(
      error_of(one_run(
          R"("name": "notes", "workload": "lock", "expect": {"valid": true, "anomalies": ["x"]})")),
      "(accepted)");
  EXPECT_EQ(
      error_of(one_run(
          R"("workload": "lock", "seeds": [1, 2], "expect": {"valid": false, "min_seeds": 3})")),
      "runs[1].expect.min_seeds: expected an integer from 1 to 2, got 3");
  EXPECT_EQ(
      error_of(one_run(R"("workload": "lock", "expect": {"valid": false, "min_seeds": "1"})")),
      "runs[1].expect.min_seeds: expected an integer, got a string");
}

TEST(SuitePlan, UnknownWorkloadVariantFaultKnobTopology) {
  // Every workload is named (the list grows with each pattern).
  EXPECT_EQ(
      error_of(one_run(R"("workload": "lok", "expect": {"valid": true})"))
          .rfind("runs[1].workload: unknown workload \"lok\" (available: lock, register, ", 0),
      0u);
  EXPECT_EQ(error_of(one_run(R"("expect": {"valid": true})")),
            "runs[1].workload: missing (e.g. \"lock\")");
  EXPECT_EQ(error_of(one_run(
                R"("workload": "register", "variant": "get-del", "expect": {"valid": true})")),
            "runs[1].variant: workload register has no variant \"get-del\" (available: get-set, "
            "lua-cas)");
  EXPECT_EQ(
      error_of(
          one_run(
              R"("workload": "lock", "fault": ["pause-client", "pause"], "expect": {"valid": true})"))
          .substr(0, 43),
      "runs[1].fault[1]: unknown fault \"pause\" (av");
  EXPECT_EQ(error_of(one_run(R"("workload": "lock", "fault": "nope", "expect": {"valid": true})"))
                .substr(0, 38),
            "runs[1].fault: unknown fault \"nope\" (a");
  EXPECT_EQ(
      error_of(one_run(
          R"("workload": "lock", "fault": ["none", "kill-restart"], "expect": {"valid": true})")),
      "runs[1].fault: \"none\" cannot be mixed with other faults");
  EXPECT_EQ(error_of(one_run(
                R"("workload": "lock", "params": {"tll": "1s"}, "expect": {"valid": true})")),
            "runs[1].params.tll: workload lock has no knob \"tll\" (knobs: ttl, hold-min, "
            "hold-max, retry, locks, work)");
  EXPECT_EQ(error_of(one_run(
                R"("workload": "lock", "params": {"ttl": true}, "expect": {"valid": true})")),
            "runs[1].params.ttl: expected a string (or an integer), got true");
  EXPECT_EQ(
      error_of(one_run(R"("workload": "lock", "topology": "ring", "expect": {"valid": true})")),
      "runs[1].topology: unknown topology \"ring\" (available: single, redlock, replicated, "
      "sentinel, cluster)");
}

TEST(SuitePlan, BadKnobValuesAreTheWorkloadsToName) {
  const std::string e = error_of(
      one_run(R"("workload": "lock", "params": {"ttl": "soon"}, "expect": {"valid": true})"));
  EXPECT_EQ(e.rfind("runs[1].params.ttl: ", 0), 0u) << e;
  // Knobs judged together: each is fine alone, the pair is not.
  const std::string pair = error_of(one_run(
      R"("workload": "lock", "params": {"hold-min": "200ms", "hold-max": "100ms"}, "expect": {"valid": true})"));
  EXPECT_EQ(pair.rfind("runs[1].params: ", 0), 0u) << pair;
  // Fine together, though hold-min alone is above the default hold-max.
  EXPECT_EQ(
      error_of(
          R"({"runs": [{"workload": "lock", "params": {"hold-min": "400ms", "hold-max": "500ms"},
                                   "expect": {"valid": false}}]})"),
      "(accepted)");
}

TEST(SuitePlan, DurationsSeedsClientsSlos) {
  EXPECT_EQ(
      error_of(one_run(R"("workload": "lock", "time": "10 parsecs", "expect": {"valid": true})")),
      "runs[1].time: \"10 parsecs\" is not a positive duration (write e.g. \"10s\", \"250ms\", "
      "\"2m\")");
  EXPECT_EQ(error_of(one_run(R"("workload": "lock", "time": 10, "expect": {"valid": true})")),
            "runs[1].time: expected a string, got an integer");
  EXPECT_EQ(
      error_of(one_run(R"("workload": "lock", "fault_interval": "0s", "expect": {"valid": true})"))
          .substr(0, 30),
      "runs[1].fault_interval: \"0s\" i");
  EXPECT_EQ(error_of(one_run(R"("workload": "lock", "seeds": [], "expect": {"valid": true})")),
            "runs[1].seeds: expected a non-empty array of seeds, got []");
  EXPECT_EQ(error_of(one_run(R"("workload": "lock", "seeds": [1, -2], "expect": {"valid": true})"))
                .substr(0, 50),
            "runs[1].seeds[1]: expected an integer from 0 to 92");
  EXPECT_EQ(
      error_of(one_run(R"("workload": "lock", "seeds": [1, 1.5], "expect": {"valid": true})")),
      "runs[1].seeds[1]: expected an integer, got a number");
  EXPECT_EQ(error_of(one_run(R"("workload": "lock", "seeds": [4, 4], "expect": {"valid": true})")),
            "runs[1].seeds[1]: seed 4 is listed twice");
  EXPECT_EQ(error_of(one_run(R"("workload": "lock", "clients": 0, "expect": {"valid": true})")),
            "runs[1].clients: expected an integer from 1 to 10000, got 0");
  const std::string slo =
      error_of(one_run(R"("workload": "lock", "slo": ["p99<2"], "expect": {"valid": true})"));
  EXPECT_EQ(slo.rfind("runs[1].slo[0]: ", 0), 0u) << slo;
  EXPECT_EQ(
      error_of(one_run(R"("workload": "lock", "persistence": "disk", "expect": {"valid": true})")),
      "runs[1].persistence: expected one of none, aof, rdb, got \"disk\"");
  EXPECT_EQ(
      error_of(one_run(R"("workload": "lock", "rate": "fast", "expect": {"valid": true})")),
      "runs[1].rate: expected a number of operations per second (0 = closed loop), got a string");
}

TEST(SuitePlan, NamesAreUniqueAndMakeDistinctDirectories) {
  EXPECT_EQ(error_of(R"({"runs": [{"workload": "lock", "expect": {"valid": true}},
                                  {"workload": "lock", "expect": {"valid": true}}]})"),
            "runs[1]: the name \"lock lua-release none\" is already runs[0]'s; give each run its "
            "own \"name\"");
  EXPECT_EQ(error_of(R"({"runs": [{"name": "a b", "workload": "lock", "expect": {"valid": true}},
                                  {"name": "A-B", "workload": "lock", "expect": {"valid": true}}]})"),
            "runs[1].name: \"A-B\" would share runs[0]'s results directory (a-b); rename one");
  EXPECT_EQ(run_slug("lock get-del / pause-client (F1)"), "lock-get-del-pause-client-f1");
  EXPECT_EQ(run_slug("***"), "run");
}

TEST(SuitePlan, FileErrorsNameTheFile) {
  try {
    read_suite_plan("/nonexistent/gate.json");
    FAIL();
  } catch (const PlanError& e) {
    EXPECT_EQ(std::string(e.what()), "/nonexistent/gate.json: cannot read it");
  }
}

TEST(SuitePlan, APlanOverOneMiBIsOneLineBeforeItIsRead) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("redproof-huge-plan-" + std::to_string(::getpid()) + ".json");
  std::ofstream(path) << std::string((1 << 20) + 1, ' ');
  try {
    read_suite_plan(path.string());
    FAIL();
  } catch (const PlanError& e) {
    EXPECT_EQ(std::string(e.what()),
              path.string() + ": 1048577 bytes, over the 1 MiB limit for a suite plan");
  }
  std::filesystem::remove(path);
}

TEST(SuitePlan, OverridesSelectRunsSeedsAndTime) {
  SuitePlan plan = parse_suite_plan(R"({"runs": [
      {"name": "lock a", "workload": "lock", "seeds": [5, 6, 7], "expect": {"valid": false, "min_seeds": 2}},
      {"name": "register b", "workload": "register", "expect": {"valid": true}}]})");
  SuitePlan only = plan;
  apply_overrides(only, {.only = "^lock"});
  ASSERT_EQ(only.runs.size(), 1u);
  EXPECT_EQ(only.runs[0].name, "lock a");

  SuitePlan seeds = plan;
  apply_overrides(seeds, {.seeds = 1, .time = "2s"});
  EXPECT_EQ(seeds.runs[0].seeds, std::vector<std::uint64_t>{1});
  EXPECT_EQ(seeds.runs[0].min_seeds(), 1);
  EXPECT_EQ(seeds.runs[1].min_seeds(), 1);
  EXPECT_EQ(seeds.runs[1].time, "2s");

  SuitePlan bad = plan;
  EXPECT_THROW(apply_overrides(bad, {.only = "("}), PlanError);
  EXPECT_THROW(apply_overrides(bad, {.only = "^queue"}), PlanError);
  EXPECT_THROW(apply_overrides(bad, {.time = "never"}), PlanError);
}

}  // namespace
}  // namespace redproof::suite

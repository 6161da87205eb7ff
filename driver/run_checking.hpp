// Where a run's checkers come from, for the run itself and for every re-check: the workload's own
// checkers (from its variant and knobs), then the latency SLOs and the progress checker. Because
// `run`, `check RESULTS_DIR` and `check --workload` all go through here, a stored run re-checked
// later gets exactly the verdict the run printed.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "checkers/latency_slo.hpp"
#include "results/run_record.hpp"
#include "workloads/workload.hpp"

namespace redproof {

struct CheckPlan {
  const WorkloadInfo* workload = nullptr;
  CheckerSetup setup;
  std::vector<Slo> slos;
};

// From names as a user gives them (`check --workload NAME --variant V --param K=V --slo S`).
// Throws std::invalid_argument with one line naming what is unknown or malformed.
CheckPlan check_plan(const std::string& workload, const std::string& variant,
                     const std::map<std::string, std::string>& params,
                     const std::vector<std::string>& slos);

// The default checking budget of a run `run_length` long: as long as the run, at least 10 s.
std::chrono::milliseconds default_check_budget(std::chrono::nanoseconds run_length);

// From a stored run's run.json. Throws std::invalid_argument naming the field at fault.
CheckPlan check_plan_from_config(const nlohmann::json& config);

// Runs every checker of `plan` on record.history and sets record.checks and record.valid. A
// checker that throws is `unknown`, never a crash.
void check_record(RunRecord& record, const CheckPlan& plan);

}  // namespace redproof

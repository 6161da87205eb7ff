#include "driver/run_checking.hpp"

#include <stdexcept>

#include "checkers/progress_checker.hpp"

namespace redproof {

CheckPlan check_plan(const std::string& workload, const std::string& variant,
                     const std::map<std::string, std::string>& params,
                     const std::vector<std::string>& slos) {
  const ResolvedWorkload w = resolve_workload(workload, variant, params);
  CheckPlan plan;
  plan.workload = w.info;
  plan.setup.variant = w.variant->name;
  plan.setup.knobs = w.knobs;
  for (const auto& text : slos) plan.slos.push_back(parse_slo(text));
  return plan;
}

std::chrono::milliseconds default_check_budget(std::chrono::nanoseconds run_length) {
  return std::max<std::chrono::milliseconds>(
      std::chrono::seconds(10), std::chrono::duration_cast<std::chrono::milliseconds>(run_length));
}

namespace {

std::string string_field(const nlohmann::json& config, const char* name) {
  if (!config.contains(name) || !config[name].is_string()) {
    throw std::invalid_argument(std::string("run.json: \"") + name +
                                "\" is missing or not a string");
  }
  return config[name].get<std::string>();
}

}  // namespace

CheckPlan check_plan_from_config(const nlohmann::json& config) {
  if (!config.is_object()) throw std::invalid_argument("run.json: not a JSON object");
  std::map<std::string, std::string> params;
  if (config.contains("params") && config["params"].is_object()) {
    for (const auto& [k, v] : config["params"].items()) {
      params[k] = v.is_string() ? v.get<std::string>() : v.dump();
    }
  }
  std::vector<std::string> slos;
  if (config.contains("slos") && config["slos"].is_array()) {
    for (const auto& s : config["slos"]) {
      if (s.is_string()) slos.push_back(s.get<std::string>());
    }
  }
  CheckPlan plan =
      check_plan(string_field(config, "workload"), string_field(config, "variant"), params, slos);
  // The budget the run itself had, so that a re-check decides (or gives up) as it did.
  if (config.contains("check_timeout_ms") && config["check_timeout_ms"].is_number_integer()) {
    plan.setup.budget = std::chrono::milliseconds(config["check_timeout_ms"].get<std::int64_t>());
  } else if (config.contains("time_ms") && config["time_ms"].is_number_integer()) {
    plan.setup.budget =
        default_check_budget(std::chrono::milliseconds(config["time_ms"].get<std::int64_t>()));
  }
  return plan;
}

void check_record(RunRecord& record, const CheckPlan& plan) {
  CheckerList checkers = plan.workload->checkers(plan.setup);
  checkers.push_back(std::make_unique<LatencySloChecker>(plan.slos));
  checkers.push_back(std::make_unique<ProgressChecker>());
  record.checks.clear();
  record.valid = Validity::kValid;
  for (auto& c : checkers) {
    CheckResult r = run_checker(*c, record.history);
    record.valid = merge_validity(record.valid, r.valid);
    record.checks.emplace_back(c->name(), std::move(r));
  }
}

}  // namespace redproof

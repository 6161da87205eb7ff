// The run-time face of the linearizability checker (checkers/linearizability/): a Checker that
// workloads add to their bundle, named "linearizable" as anomalies.md calls it.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "checkers/checker.hpp"

namespace redproof {

class LinearizableChecker : public Checker {
 public:
  LinearizableChecker(std::string model, std::string init_json = {},
                      std::chrono::milliseconds timeout = std::chrono::seconds(120))
      : model_(std::move(model)), init_(std::move(init_json)), timeout_(timeout) {}
  std::string name() const override { return "linearizable"; }
  // details: the verdict JSON of `redproof check` (counterexample included).
  CheckResult check(const std::vector<Op>& history) override;
  // Only the events history[i] with selected[i], without copying them (a checker that checks
  // the part of a history that concerns it, as the queue's fifo check does).
  CheckResult check(const std::vector<Op>& history, const std::vector<bool>& selected);

 private:
  CheckResult check_events(const std::vector<Op>& history, const std::vector<bool>* selected);

  std::string model_;
  std::string init_;
  std::chrono::milliseconds timeout_;
};

}  // namespace redproof

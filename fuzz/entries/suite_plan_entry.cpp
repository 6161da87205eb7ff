#include "driver/suite/suite_plan.hpp"
#include "fuzz/entries/fuzz_entries.hpp"

namespace redproof::fuzz {

void suite_plan(std::string_view input) {
  try {
    const suite::SuitePlan plan = suite::parse_suite_plan(input);
    for (const auto& run : plan.runs) {
      if (run.faults.empty()) throw FuzzFinding("plan accepted with a run without faults");
      if (run.min_seeds() < 1 || run.min_seeds() > static_cast<int>(run.seeds.size()))
        throw FuzzFinding("plan accepted with min_seeds outside 1..seeds");
      (void)suite::run_slug(run.name);
    }
  } catch (const suite::PlanError&) {
    // the documented rejection: one line naming the JSON path
  }
}

}  // namespace redproof::fuzz

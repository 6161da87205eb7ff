// `redproof compare BASELINE_DIR DIR`: each figure of a benchmark beside the baseline's, with
// the change in percent; a throughput lower or a latency percentile higher by more than
// --tolerance is a regression (exit 1). Either directory may be a results root, whose `latest`
// is then used.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "driver/command.hpp"
#include "results/bench_directory.hpp"
#include "results/bench_figures.hpp"

namespace redproof {

namespace {

struct CompareFlags {
  std::string baseline;
  std::string current;
  double tolerance = 10;
  bool json = false;
};

int run_compare(const CompareFlags& f) {
  BenchRecord baseline, current;
  try {
    baseline = read_bench_directory(f.baseline);
    current = read_bench_directory(f.current);
  } catch (const std::exception& e) {
    std::cerr << "redproof compare: " << e.what() << "\n";
    return kExitUsage;
  }
  const auto changes = compare_bench(baseline.bench, current.bench, f.tolerance);
  if (changes.empty()) {
    std::cerr << "redproof compare: " << f.baseline << " and " << f.current
              << " have no figure in common\n";
    return kExitUsage;
  }
  const bool regressed = any_regression(changes);
  if (f.json) {
    nlohmann::json figures = nlohmann::json::array();
    for (const auto& c : changes) {
      figures.push_back({{"figure", c.figure},
                         {"baseline", c.baseline},
                         {"current", c.current},
                         {"change_pct", c.change_pct},
                         {"judged", c.judged},
                         {"regression", c.regression}});
    }
    std::cout << nlohmann::json{{"baseline", baseline.directory},
                                {"current", current.directory},
                                {"tolerance_pct", f.tolerance},
                                {"regression", regressed},
                                {"figures", figures}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << "redproof compare: " << current.directory << " against the baseline "
              << baseline.directory << "\n"
              << comparison_text(changes, f.tolerance)
              << (regressed ? "  REGRESSION beyond the tolerance\n" : "  no regression\n");
  }
  return regressed ? kExitInvalid : kExitValid;
}

}  // namespace

void add_compare_command(CLI::App& root, CommandAction& action) {
  auto f = std::make_shared<CompareFlags>();
  CLI::App* cmd = root.add_subcommand(
      "compare", "compare a bench results directory with a baseline's: exit 1 on a regression");
  cmd->add_option("BASELINE_DIR", f->baseline, "the baseline bench results directory")->required();
  cmd->add_option("DIR", f->current, "the bench results directory to judge")->required();
  cmd->add_option("--tolerance", f->tolerance,
                  "percent by which throughput may fall or a latency percentile rise before it "
                  "is a regression")
      ->check(CLI::Range(0.0, 1e6))
      ->capture_default_str();
  cmd->add_flag("--json", f->json, "print the comparison as JSON");
  cmd->callback([f, &action] { action = [f] { return run_compare(*f); }; });
}

}  // namespace redproof

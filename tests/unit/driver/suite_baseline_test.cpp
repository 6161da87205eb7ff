// Baseline figures: stored, read back, compared with a tolerance in the right direction.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "driver/suite/baseline.hpp"
#include "driver/suite/suite_runner.hpp"

namespace redproof::suite {
namespace {

namespace fs = std::filesystem;

fs::path scratch(const char* name) {
  fs::path p = fs::temp_directory_path() / fmt::format("redproof-suite-{}-{}", name, ::getpid());
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

TEST(SuiteBaseline, ReadsFiguresFromResultsJson) {
  const auto r = nlohmann::json::parse(
      R"({"valid": true, "stats": {"ops_per_s": 1500.5, "latency": {"p50_ns": 100, "p99_ns": 900, "p999_ns": 5000}}})");
  const auto f = figures_from_results(r);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->p50_ns, 100);
  EXPECT_EQ(f->p99_ns, 900);
  EXPECT_EQ(f->p999_ns, 5000);
  EXPECT_EQ(f->ops_per_s, 1500.5);
  EXPECT_FALSE(figures_from_results(nlohmann::json::parse(R"({"valid": true})")));
}

TEST(SuiteBaseline, WorseMeansSlowerOrFewerOperations) {
  const Figures base{1'000'000, 10'000'000, 50'000'000, 1000};
  EXPECT_TRUE(compare_figures(base, base, 20).empty());
  // Better in every way is never a regression.
  EXPECT_TRUE(compare_figures(base, {1, 1, 1, 1e6}, 20).empty());
  // Exactly at the tolerance is not worse "by more than" it.
  EXPECT_TRUE(compare_figures(base, {1'200'000, 12'000'000, 60'000'000, 800}, 20).empty());

  const auto r = compare_figures(base, {1'300'000, 10'000'000, 50'000'000, 700}, 20);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].figure, "p50");
  EXPECT_NEAR(r[0].change_pct, 30, 1e-9);
  EXPECT_EQ(r[0].text, "p50 1.30ms vs 1.00ms in the baseline (+30%, tolerance 20%)");
  EXPECT_EQ(r[1].figure, "ops/s");
  EXPECT_NEAR(r[1].change_pct, 30, 1e-9);
  EXPECT_EQ(r[1].text, "throughput 700 ops/s vs 1000 in the baseline (-30%, tolerance 20%)");
  EXPECT_EQ(describe_regressions(r), r[0].text + "; " + r[1].text);

  // A tighter tolerance catches smaller changes; a baseline without a figure compares nothing.
  EXPECT_EQ(compare_figures(base, {1'100'000, 10'000'000, 50'000'000, 1000}, 5).size(), 1u);
  EXPECT_TRUE(compare_figures({0, 0, 0, 0}, {9e9, 9e9, 9e9, 0}, 20).empty());
}

TEST(SuiteBaseline, MediansOverSeeds) {
  const Figures m = median_figures({{1, 10, 100, 5}, {3, 30, 300, 1}, {2, 1000, 200, 3}});
  EXPECT_EQ(m.p50_ns, 2);
  EXPECT_EQ(m.p99_ns, 30);
  EXPECT_EQ(m.p999_ns, 200);
  EXPECT_EQ(m.ops_per_s, 3);
  EXPECT_EQ(median_figures({{1, 1, 1, 1}, {3, 3, 3, 3}}).p50_ns, 2);
}

TEST(SuiteBaseline, SavedAndLoaded) {
  const fs::path dir = scratch("baseline");
  save_baseline((dir / "b").string(), {{"lock a", {1, 2, 3, 4}}, {"register \"b\"", {5, 6, 7, 8}}});
  const BaselineRuns runs = load_baseline((dir / "b").string());
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs.at("lock a").p999_ns, 3);
  EXPECT_EQ(runs.at("register \"b\"").ops_per_s, 8);
  EXPECT_THROW(load_baseline((dir / "missing").string()), std::runtime_error);
  std::ofstream((dir / "baseline.json").string()) << R"({"runs": {}})";
  EXPECT_THROW(load_baseline(dir.string()), std::runtime_error);
  fs::remove_all(dir);
}

TEST(SuiteBaseline, AStoredRunIsFoundThroughItsRootsLatest) {
  const fs::path dir = scratch("run-baseline");
  fs::create_directories(dir / "lock/x/none/T1");
  std::ofstream(dir / "lock/x/none/T1/results.json")
      << R"({"valid": true, "stats": {"ops_per_s": 10, "latency": {"p50_ns": 1, "p99_ns": 2, "p999_ns": 3}}})";
  fs::create_directory_symlink("lock/x/none/T1", dir / "latest");
  EXPECT_FALSE(baseline_problem(dir.string()));
  EXPECT_FALSE(baseline_problem((dir / "lock/x/none/T1").string()));
  EXPECT_EQ(latest_target(dir.string()), "lock/x/none/T1");
  EXPECT_TRUE(baseline_problem((dir / "lock").string()));
  fs::remove_all(dir);
}

TEST(SuiteRunner, ReplayCommandsQuoteForTheShell) {
  PlannedRun run;
  run.workload = "lock";
  run.variant = "get-del";
  run.faults = {"pause-server", "kill-restart"};
  run.time = "8s";
  run.clients = 3;
  run.params = {{"ttl", "300ms"}};
  run.slos = {"p99<50ms"};
  run.fault_interval = "500ms";
  const auto args = run_arguments(run, 7);
  EXPECT_EQ(shell_command(args),
            "run lock --variant get-del --fault pause-server,kill-restart --time 8s --seed 7 "
            "--clients 3 --param ttl=300ms --slo 'p99<50ms' --fault-interval 500ms");
  EXPECT_EQ(shell_command({"a b", "it's", ""}), "'a b' 'it'\\''s' ''");
}

}  // namespace
}  // namespace redproof::suite

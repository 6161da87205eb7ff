// `redproof suite PLAN.json [flags]` (../shared/spec/cli.md, "Suite plans"): the CI gate and the
// nightly chaos runs. The plan is checked in full first (exit 2 naming the JSON path); then each
// run's seeds run one after another as child `redproof run` processes; a JUnit file and
// suite.html are written however it ends; exit 0 only when every run met its expectation.
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>

#include "driver/command.hpp"
#include "driver/suite/baseline.hpp"
#include "driver/suite/suite_plan.hpp"
#include "driver/suite/suite_runner.hpp"
#include "results/junit_writer.hpp"
#include "results/suite_report.hpp"

namespace redproof {

namespace {

namespace fs = std::filesystem;

// The path of this binary, for replay commands. (Children run "/proc/self/exe" itself, which
// stays this very binary even when a rebuild replaces the file during a long suite.)
std::string self_executable() {
  char buf[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "redproof";
  std::string path(buf, static_cast<std::size_t>(n));
  const std::string deleted = " (deleted)";
  if (path.size() > deleted.size() && path.ends_with(deleted))
    path.resize(path.size() - deleted.size());
  return path;
}

// How a person at this shell calls the same binary: "redproof" when PATH finds it, else a path
// relative to the working directory ("./build/redproof"), else the absolute one.
std::string replay_binary(const std::string& exe) {
  std::error_code ec;
  if (const char* path = std::getenv("PATH")) {
    std::string rest = path;
    while (!rest.empty()) {
      const auto colon = rest.find(':');
      const std::string dir = rest.substr(0, colon);
      rest = colon == std::string::npos ? "" : rest.substr(colon + 1);
      if (dir.empty()) continue;
      if (fs::equivalent(fs::path(dir) / "redproof", exe, ec)) return "redproof";
    }
  }
  const fs::path rel = fs::path(exe).lexically_relative(fs::current_path(ec));
  if (!rel.empty() && rel.native().rfind("..", 0) != 0) return "./" + rel.string();
  return exe;
}

std::string plan_stem(const std::string& plan) {
  std::string stem = fs::path(plan).stem().string();
  return stem.empty() ? "suite" : stem;
}

struct SuiteFlags {
  std::string plan;
  std::string junit;
  std::string results_dir;
  std::string baseline;
  std::string save_baseline;
  suite::PlanOverrides overrides;
  double tolerance = 20;
};

// The flags below are declared in the order `suite --help` lists them.

// The plan, the JUnit file, and which part of the plan runs.
void add_plan_flags(CLI::App& cmd, SuiteFlags& flags) {
  cmd.add_option("plan", flags.plan, "the plan (JSON; see ../shared/spec/cli.md, \"Suite plans\")")
      ->required();
  cmd.add_option("--junit", flags.junit, "write a JUnit XML file (suite.html goes beside it)");
  cmd.add_option("--only", flags.overrides.only, "run only the runs whose name matches this regex");
  cmd.add_option("--seeds", flags.overrides.seeds,
                 "run seeds 1..N of every run instead of the plan's")
      ->check(CLI::Range(1, 100000));
  cmd.add_option("--time", flags.overrides.time, "override every run's time");
  cmd.add_option("--results-dir", flags.results_dir,
                 "root of the suite's results (default results/<plan name>)");
}

// Latency and throughput against a stored baseline.
void add_baseline_flags(CLI::App& cmd, SuiteFlags& flags) {
  cmd.add_option("--baseline", flags.baseline,
                 "compare latency and throughput with a baseline saved by --save-baseline");
  cmd.add_option("--save-baseline", flags.save_baseline,
                 "store each run's latency percentiles and throughput as a baseline");
  cmd.add_option("--tolerance", flags.tolerance,
                 "percent by which a figure may be worse than the baseline before it is a "
                 "regression")
      ->check(CLI::Range(0.0, 1e6))
      ->capture_default_str();
}

// The plan with the overrides applied; nullopt (having said why) when it is not a valid plan.
std::optional<suite::SuitePlan> read_plan(const SuiteFlags& flags) {
  try {
    suite::SuitePlan plan = suite::read_suite_plan(flags.plan);
    suite::apply_overrides(plan, flags.overrides);
    return plan;
  } catch (const suite::PlanError& e) {
    std::fprintf(stderr, "redproof suite: %s\n", e.what());
    return std::nullopt;
  }
}

// How the runner runs each seed; nullopt (having said why) when the --baseline cannot be read.
std::optional<suite::RunnerOptions> runner_options(const SuiteFlags& flags) {
  suite::RunnerOptions options;
  options.binary = "/proc/self/exe";
  options.replay_binary = replay_binary(self_executable());
  options.results_root =
      flags.results_dir.empty() ? "results/" + plan_stem(flags.plan) : flags.results_dir;
  options.tolerance_pct = flags.tolerance;
  if (!flags.baseline.empty()) {
    try {
      options.baseline = suite::load_baseline(flags.baseline);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "redproof suite: --baseline: %s\n", e.what());
      return std::nullopt;
    }
  }
  return options;
}

void print_suite_start(const SuiteFlags& flags, const suite::SuitePlan& plan,
                       const suite::RunnerOptions& options) {
  std::size_t seeds = 0;
  for (const auto& r : plan.runs) seeds += r.seeds.size();
  std::printf("suite %s: %zu run%s, %zu seed%s; results in %s\n", flags.plan.c_str(),
              plan.runs.size(), plan.runs.size() == 1 ? "" : "s", seeds, seeds == 1 ? "" : "s",
              options.results_root.c_str());
  std::fflush(stdout);
}

// Writes the JUnit file, suite.html and the saved baseline; returns `code`, or unknown in place
// of valid when one of them could not be written (a gate that passed but left no report did not
// do its job). The reports are written however the suite ended: an interrupted gate still tells
// CI what ran.
int write_suite_outputs(const SuiteFlags& flags, const SuiteResult& result,
                        const suite::BaselineRuns& figures, const std::string& html, int code) {
  try {
    if (!flags.junit.empty()) write_junit(result, flags.junit);
    write_suite_html(result, html);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "redproof suite: %s\n", e.what());
    if (code == kExitValid) code = kExitUnknown;
  }
  if (!flags.save_baseline.empty() && !result.interrupted) {
    try {
      suite::save_baseline(flags.save_baseline, figures);
      std::printf("baseline saved: %s/baseline.json (%zu runs)\n", flags.save_baseline.c_str(),
                  figures.size());
    } catch (const std::exception& e) {
      std::fprintf(stderr, "redproof suite: --save-baseline: %s\n", e.what());
      if (code == kExitValid) code = kExitUnknown;
    }
  }
  return code;
}

void print_suite_verdict(const SuiteResult& result, int code) {
  if (result.interrupted) {
    std::printf("suite interrupted: the running seed was healed; the rest were skipped\n");
  } else if (code == kExitValid) {
    std::printf("suite passed: every run met its expectation\n");
  } else {
    std::string names;
    for (const auto& r : result.runs) {
      if (!r.passed()) names += (names.empty() ? "" : ", ") + ("\"" + r.name + "\"");
    }
    std::printf("suite FAILED: %s\n", names.c_str());
  }
}

int run_suite_command(const SuiteFlags& flags) {
  const std::optional<suite::SuitePlan> plan = read_plan(flags);
  if (!plan) return kExitUsage;
  const std::optional<suite::RunnerOptions> options = runner_options(flags);
  if (!options) return kExitUsage;
  print_suite_start(flags, *plan, *options);

  suite::BaselineRuns figures;
  SuiteResult result = suite::run_suite(*plan, *options, &figures);
  result.plan = flags.plan;
  result.baseline = flags.baseline;

  std::printf("\n%s", suite::suite_table(result).c_str());
  int code = result.interrupted ? kExitUnknown : result.passed() ? kExitValid : kExitInvalid;
  const std::string html = flags.junit.empty()
                               ? (fs::path(options->results_root) / "suite.html").string()
                               : (fs::path(flags.junit).parent_path() / "suite.html").string();
  code = write_suite_outputs(flags, result, figures, html, code);
  if (!flags.junit.empty()) std::printf("junit: %s\n", flags.junit.c_str());
  std::printf("report: %s\n", html.c_str());
  print_suite_verdict(result, code);
  return code;
}

}  // namespace

void add_suite_command(CLI::App& root, CommandAction& action) {
  auto flags = std::make_shared<SuiteFlags>();
  CLI::App* cmd = root.add_subcommand(
      "suite",
      "run a plan of runs, each with its expected verdict (the CI gate, nightly chaos runs)");
  add_plan_flags(*cmd, *flags);
  add_baseline_flags(*cmd, *flags);
  cmd->callback([flags, &action] { action = [flags] { return run_suite_command(*flags); }; });
}

}  // namespace redproof

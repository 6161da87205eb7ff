// `redproof run WORKLOAD [flags]` (../shared/spec/cli.md, "Common flags").
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>
#include <optional>

#include "core/duration.hpp"
#include "driver/command.hpp"
#include "driver/duration_validator.hpp"
#include "driver/rate_validator.hpp"
#include "driver/run_plan.hpp"
#include "driver/suite/baseline.hpp"
#include "driver/target_options.hpp"

namespace redproof {

namespace {

struct RunFlags {
  RunPlan plan;
  TargetSpec target;  // --target and its AUTH, TLS and --allow-remote
  std::string faults = "none";
  std::string time = "10s";
  std::string request_timeout = "1s";
  std::string fault_interval = "2s";
  std::string recovery = "1s";
  std::string check_timeout;
  std::vector<std::string> params;
  std::string baseline;  // a stored run to compare latency and throughput with
  double tolerance = 20;
};

// One validator shared by every duration flag.
const DurationValidator& duration_check() {
  static const DurationValidator duration;
  return duration;
}

// The flags below are declared in the order `run --help` lists them; each group keeps its place.

// What to run: the workload, its variant and the faults it meets.
void add_subject_flags(CLI::App& cmd, RunFlags& flags) {
  cmd.add_option("workload", flags.plan.workload, "workload name (see `redproof list`)")
      ->required();
  cmd.add_option("--variant", flags.plan.variant, "variant (default: the workload's correct one)");
  cmd.add_option("--fault", flags.faults, "fault name, or several separated by commas")
      ->capture_default_str();
}

// The shape of the load: how long, how many clients, how fast, which random choices.
void add_load_flags(CLI::App& cmd, RunFlags& flags) {
  cmd.add_option("--time", flags.time, "how long the load runs")
      ->check(duration_check())
      ->capture_default_str();
  cmd.add_option("--clients", flags.plan.clients, "concurrent clients")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  cmd.add_option("--threads", flags.plan.threads,
                 "event loops (threads) the clients are spread over")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd.add_option("--rate", flags.plan.rate,
                 "target operations per second over all clients, open loop (latency from each "
                 "operation's intended start); 0 = closed loop, as fast as they go")
      ->check(RateValidator())
      ->capture_default_str();
  cmd.add_option("--seed", flags.plan.seed, "seed of every random choice")->capture_default_str();
}

// The servers the run starts (or the one it uses instead).
void add_server_flags(CLI::App& cmd, RunFlags& flags) {
  cmd.add_option(
         "--topology", flags.plan.topology,
         "servers to start: single, redlock (5 independent masters), replicated (primary + 2 "
         "replicas), sentinel (3 servers, 3 Sentinels), cluster (3 masters + 3 replicas); default: "
         "what the variant and faults need")
      ->capture_default_str();
  add_target_options(cmd, flags.target);
  cmd.add_option("--port", flags.plan.port, "port of the first server started (default: free)");
  cmd.add_option("--persistence", flags.plan.persistence,
                 "what a server keeps across kill-restart: none (comes back empty), aof "
                 "(fsync before every reply), rdb (snapshot every second)")
      ->check(CLI::IsMember({"none", "aof", "rdb"}))
      ->capture_default_str();
  cmd.add_flag("--netns", flags.plan.netns,
               "each node in its own network namespace on a bridge, like separate hosts; "
               "partitions are iptables rules (root only)");
  cmd.add_option("--redis-server", flags.plan.server_binary, "redis-server binary")
      ->capture_default_str();
}

// What the run reports and where: latency objectives, the results directory, JSON.
void add_output_flags(CLI::App& cmd, RunFlags& flags) {
  cmd.add_option("--slo", flags.plan.slos, "latency objective, e.g. p99<2ms (repeatable)");
  cmd.add_option("--results-dir", flags.plan.results_dir, "root of the results directories")
      ->capture_default_str();
  cmd.add_flag("--json", flags.plan.json, "print results.json instead of the summary");
}

// The run's clock: request timeout, fault spacing, recovery before the final reads.
void add_timing_flags(CLI::App& cmd, RunFlags& flags) {
  cmd.add_option("--request-timeout", flags.request_timeout,
                 "a request without a reply by then is recorded as info")
      ->check(duration_check())
      ->capture_default_str();
  cmd.add_option("--fault-interval", flags.fault_interval, "mean time between faults")
      ->check(duration_check())
      ->capture_default_str();
  cmd.add_option("--recovery", flags.recovery,
                 "after the final heal, wait this long before the final reads")
      ->check(duration_check())
      ->capture_default_str();
}

// Tuning of the workload and checkers: knobs, the fault hook, the checkers' budget, own Lua.
void add_tuning_flags(CLI::App& cmd, RunFlags& flags) {
  cmd.add_option("--param", flags.params,
                 "workload knob NAME=VALUE (see `redproof list WORKLOAD`)");
  cmd.add_option("--fault-at", flags.plan.fault_at,
                 "start each fault when a client reaches this hook (see `redproof list WORKLOAD`)");
  cmd.add_option("--check-timeout", flags.check_timeout,
                 "how long the checkers may search before answering unknown (default: the run's "
                 "length, at least 10s)")
      ->check(duration_check());
  cmd.add_option("--script", flags.plan.script,
                 "your own Lua in place of the variant's (contract: `redproof list WORKLOAD`)");
  cmd.add_option("--script-argv", flags.plan.script_argv,
                 "map our ARGV onto your script's, e.g. '{capacity} {rate} 1 {tokens}'");
}

// Comparison with a stored run.
void add_baseline_flags(CLI::App& cmd, RunFlags& flags) {
  cmd.add_option("--baseline", flags.baseline,
                 "a stored run's results directory: a latency percentile or the throughput worse "
                 "than it by more than --tolerance is a regression (exit 1)");
  cmd.add_option("--tolerance", flags.tolerance, "percent allowed before a regression")
      ->check(CLI::Range(0.0, 1e6))
      ->capture_default_str();
}

// "a,b" -> {"a", "b"}; nothing given means the fault "none".
std::vector<std::string> fault_list(const std::string& faults) {
  std::vector<std::string> out;
  std::string rest = faults;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    out.push_back(rest.substr(0, comma));
    rest = comma == std::string::npos ? "" : rest.substr(comma + 1);
  }
  if (out.empty()) out.push_back("none");
  return out;
}

// The plan the flags describe; nullopt (having said why) when a --param is not NAME=VALUE or a
// fault cannot run against a remote --target. The
// duration texts were checked by the validators, so they parse.
std::optional<RunPlan> plan_from_flags(const RunFlags& flags) {
  RunPlan plan = flags.plan;
  plan.time = *parse_duration(flags.time);
  plan.request_timeout = *parse_duration(flags.request_timeout);
  plan.fault_interval = *parse_duration(flags.fault_interval);
  plan.recovery = *parse_duration(flags.recovery);
  if (!flags.check_timeout.empty()) plan.check_timeout = *parse_duration(flags.check_timeout);
  plan.faults = fault_list(flags.faults);
  plan.target = flags.target.text;
  plan.target_security = flags.target.security;
  plan.target_allow_remote = flags.target.allow_remote;
  for (const auto& fault : plan.faults) {
    if (const std::string why = remote_fault_problem(flags.target, fault); !why.empty()) {
      std::fprintf(stderr, "redproof: %s\n", why.c_str());
      return std::nullopt;
    }
  }
  for (const auto& p : flags.params) {
    auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::fprintf(stderr, "redproof: --param %s: expected NAME=VALUE\n", p.c_str());
      return std::nullopt;
    }
    plan.params[p.substr(0, eq)] = p.substr(eq + 1);
  }
  return plan;
}

int run_from_flags(const RunFlags& flags) {
  const std::optional<RunPlan> parsed = plan_from_flags(flags);
  if (!parsed) return kExitUsage;
  const RunPlan& plan = *parsed;
  if (flags.baseline.empty()) return execute_run(plan);
  // The baseline is checked before the run, so a mistyped path costs no run.
  if (auto why = suite::baseline_problem(flags.baseline)) {
    std::fprintf(stderr, "redproof: --baseline: %s\n", why->c_str());
    return kExitUsage;
  }
  const std::string before = suite::latest_target(plan.results_dir);
  const int code = execute_run(plan);
  if (code == kExitUsage) return code;
  return suite::compare_run_with_baseline(flags.baseline, plan.results_dir, flags.tolerance, code,
                                          before, plan.json ? stderr : stdout);
}

}  // namespace

void add_run_command(CLI::App& root, CommandAction& action) {
  auto flags = std::make_shared<RunFlags>();
  CLI::App* cmd = root.add_subcommand(
      "run", "drive one workload against real Redis under a fault schedule, then check it");
  add_subject_flags(*cmd, *flags);
  add_load_flags(*cmd, *flags);
  add_server_flags(*cmd, *flags);
  add_output_flags(*cmd, *flags);
  add_timing_flags(*cmd, *flags);
  add_tuning_flags(*cmd, *flags);
  add_baseline_flags(*cmd, *flags);
  cmd->callback([flags, &action] { action = [flags] { return run_from_flags(*flags); }; });
}

}  // namespace redproof

// `redproof run WORKLOAD [flags]` (../shared/spec/cli.md, "Common flags").
#include <CLI/CLI.hpp>

#include <memory>

#include "core/duration.hpp"
#include "driver/command.hpp"
#include "driver/duration_validator.hpp"
#include "driver/rate_validator.hpp"
#include "driver/run_plan.hpp"
#include "driver/suite/baseline.hpp"

namespace redproof {

void add_run_command(CLI::App& root, CommandAction& action) {
  struct Flags {
    RunPlan plan;
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
  auto flags = std::make_shared<Flags>();
  static const DurationValidator duration;

  CLI::App* cmd = root.add_subcommand(
      "run", "drive one workload against real Redis under a fault schedule, then check it");
  cmd->add_option("workload", flags->plan.workload, "workload name (see `redproof list`)")
      ->required();
  cmd->add_option("--variant", flags->plan.variant,
                  "variant (default: the workload's correct one)");
  cmd->add_option("--fault", flags->faults, "fault name, or several separated by commas")
      ->capture_default_str();
  cmd->add_option("--time", flags->time, "how long the load runs")
      ->check(duration)
      ->capture_default_str();
  cmd->add_option("--clients", flags->plan.clients, "concurrent clients")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  cmd->add_option("--threads", flags->plan.threads,
                  "event loops (threads) the clients are spread over")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->add_option("--rate", flags->plan.rate,
                  "target operations per second over all clients, open loop (latency from each "
                  "operation's intended start); 0 = closed loop, as fast as they go")
      ->check(RateValidator())
      ->capture_default_str();
  cmd->add_option("--seed", flags->plan.seed, "seed of every random choice")->capture_default_str();
  cmd->add_option(
         "--topology", flags->plan.topology,
         "servers to start: single, redlock (5 independent masters), replicated (primary + 2 "
         "replicas), sentinel (3 servers, 3 Sentinels), cluster (3 masters + 3 replicas); default: "
         "what the variant and faults need")
      ->capture_default_str();
  cmd->add_option("--target", flags->plan.target, "HOST:PORT of an existing server to use instead");
  cmd->add_option("--port", flags->plan.port, "port of the first server started (default: free)");
  cmd->add_option("--persistence", flags->plan.persistence,
                  "what a server keeps across kill-restart: none (comes back empty), aof "
                  "(fsync before every reply), rdb (snapshot every second)")
      ->check(CLI::IsMember({"none", "aof", "rdb"}))
      ->capture_default_str();
  cmd->add_flag("--netns", flags->plan.netns,
                "each node in its own network namespace on a bridge, like separate hosts; "
                "partitions are iptables rules (root only)");
  cmd->add_option("--redis-server", flags->plan.server_binary, "redis-server binary")
      ->capture_default_str();
  cmd->add_option("--slo", flags->plan.slos, "latency objective, e.g. p99<2ms (repeatable)");
  cmd->add_option("--results-dir", flags->plan.results_dir, "root of the results directories")
      ->capture_default_str();
  cmd->add_flag("--json", flags->plan.json, "print results.json instead of the summary");
  cmd->add_option("--request-timeout", flags->request_timeout,
                  "a request without a reply by then is recorded as info")
      ->check(duration)
      ->capture_default_str();
  cmd->add_option("--fault-interval", flags->fault_interval, "mean time between faults")
      ->check(duration)
      ->capture_default_str();
  cmd->add_option("--recovery", flags->recovery,
                  "after the final heal, wait this long before the final reads")
      ->check(duration)
      ->capture_default_str();
  cmd->add_option("--param", flags->params,
                  "workload knob NAME=VALUE (see `redproof list WORKLOAD`)");
  cmd->add_option(
      "--fault-at", flags->plan.fault_at,
      "start each fault when a client reaches this hook (see `redproof list WORKLOAD`)");
  cmd->add_option("--check-timeout", flags->check_timeout,
                  "how long the checkers may search before answering unknown (default: the run's "
                  "length, at least 10s)")
      ->check(duration);
  cmd->add_option("--script", flags->plan.script,
                  "your own Lua in place of the variant's (contract: `redproof list WORKLOAD`)");
  cmd->add_option("--script-argv", flags->plan.script_argv,
                  "map our ARGV onto your script's, e.g. '{capacity} {rate} 1 {tokens}'");
  cmd->add_option("--baseline", flags->baseline,
                  "a stored run's results directory: a latency percentile or the throughput worse "
                  "than it by more than --tolerance is a regression (exit 1)");
  cmd->add_option("--tolerance", flags->tolerance, "percent allowed before a regression")
      ->check(CLI::Range(0.0, 1e6))
      ->capture_default_str();

  cmd->callback([flags, &action] {
    action = [flags]() -> int {
      RunPlan plan = flags->plan;
      plan.time = *parse_duration(flags->time);
      plan.request_timeout = *parse_duration(flags->request_timeout);
      plan.fault_interval = *parse_duration(flags->fault_interval);
      plan.recovery = *parse_duration(flags->recovery);
      if (!flags->check_timeout.empty()) plan.check_timeout = *parse_duration(flags->check_timeout);
      plan.faults.clear();
      std::string rest = flags->faults;
      while (!rest.empty()) {
        auto comma = rest.find(',');
        plan.faults.push_back(rest.substr(0, comma));
        rest = comma == std::string::npos ? "" : rest.substr(comma + 1);
      }
      if (plan.faults.empty()) plan.faults.push_back("none");
      for (const auto& p : flags->params) {
        auto eq = p.find('=');
        if (eq == std::string::npos || eq == 0) {
          std::fprintf(stderr, "redproof: --param %s: expected NAME=VALUE\n", p.c_str());
          return kExitUsage;
        }
        plan.params[p.substr(0, eq)] = p.substr(eq + 1);
      }
      if (flags->baseline.empty()) return execute_run(plan);
      if (auto why = suite::baseline_problem(flags->baseline)) {
        std::fprintf(stderr, "redproof: --baseline: %s\n", why->c_str());
        return kExitUsage;
      }
      const std::string before = suite::latest_target(plan.results_dir);
      const int code = execute_run(plan);
      if (code == kExitUsage) return code;
      return suite::compare_run_with_baseline(flags->baseline, plan.results_dir, flags->tolerance,
                                              code, before, plan.json ? stderr : stdout);
    };
  });
}

}  // namespace redproof

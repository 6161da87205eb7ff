// `redproof bench`: a load benchmark without correctness checking (../shared/spec/cli.md), on
// the same load engine every run uses. Without --target it starts its own redis-server.
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>

#include "checkers/latency_slo.hpp"
#include "driver/command.hpp"
#include "driver/duration_validator.hpp"
#include "driver/load/bench_output.hpp"
#include "driver/load/load_engine.hpp"
#include "driver/load/pattern_load.hpp"
#include "driver/rate_validator.hpp"
#include "driver/target_options.hpp"
#include "redis/local_server.hpp"
#include "workloads/workload.hpp"

namespace redproof {

namespace {

std::atomic<load::LoadProgress*> g_progress{nullptr};

extern "C" void stop_bench(int) {
  if (auto* p = g_progress.load()) p->stop.store(true);
}

struct BenchFlags {
  TargetSpec target;
  std::string redis_server = "redis-server";
  int clients = 50;
  int threads = 1;
  int pipeline = 1;
  double rate = 0;
  std::string time = "10s";
  std::uint64_t requests = 0;
  std::vector<std::string> templates;
  std::string mix;
  std::uint64_t keys = 100000;
  std::string key_pattern = "uniform";
  std::string key_prefix = "key:";
  std::size_t data_size = 3;
  std::uint64_t seed = 0;
  std::string request_timeout = "2s";
  std::vector<std::string> slos;
  std::string history;
  std::string workload;
  std::string variant;
  std::vector<std::string> params;
  bool json = false;
  bool quiet = false;
};

// Removes the temporary server directory however the command ends.
struct TempDirectory {
  std::string path;
  ~TempDirectory() {
    std::error_code ec;
    if (!path.empty()) std::filesystem::remove_all(path, ec);
  }
};

// The --workload load: the same connections, threads, rate, time and seed as a command load.
load::PatternLoadOptions pattern_options(const BenchFlags& f, const load::LoadOptions& o) {
  load::PatternLoadOptions p;
  p.endpoint = o.endpoint;
  p.workload = f.workload;
  p.variant = f.variant;
  for (const auto& param : f.params) {
    const auto eq = param.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw std::invalid_argument("--param " + param + ": expected NAME=VALUE");
    }
    p.params[param.substr(0, eq)] = param.substr(eq + 1);
  }
  p.clients = o.connections;
  p.threads = o.threads;
  p.rate = o.rate;
  p.duration = o.duration;
  p.seed = o.seed;
  p.request_timeout = o.request_timeout;
  p.history_path = o.history_path;
  return p;
}

// The flags as load options and SLOs; throws std::invalid_argument with one line.
void load_options_from_flags(const BenchFlags& f, load::LoadOptions& o, std::vector<Slo>& slos) {
  {
    o.connections = f.clients;
    o.threads = f.threads;
    o.pipeline = f.pipeline;
    o.rate = f.rate;
    o.duration = *parse_duration(f.time);
    o.request_timeout = *parse_duration(f.request_timeout);
    o.max_requests = f.requests;
    o.key_count = f.keys;
    o.seed = f.seed;
    o.template_options.key_prefix = f.key_prefix;
    o.template_options.data_size = f.data_size;
    o.key_distribution = load::parse_key_distribution(f.key_pattern);
    for (const auto& t : f.templates) {
      o.commands.push_back(load::make_template(t, o.template_options));
    }
    if (!f.mix.empty() || (o.commands.empty() && f.workload.empty())) {
      for (auto& c : load::parse_mix(f.mix.empty() ? "set,get" : f.mix, o.template_options)) {
        o.commands.push_back(std::move(c));
      }
    }
    for (const auto& s : f.slos) slos.push_back(parse_slo(s));
    o.history_path = f.history;
    if (!f.workload.empty()) {
      // A pattern workload chooses its own commands and keys and has one operation in flight
      // per client: the flags that shape raw commands do not apply.
      if (!f.templates.empty() || !f.mix.empty()) {
        throw std::invalid_argument(
            "--workload sends its pattern's own commands: drop --command/--mix");
      }
      if (f.pipeline != 1) {
        throw std::invalid_argument(
            "--pipeline applies to --command/--mix loads: a pattern client has one operation "
            "in flight (use more --clients)");
      }
      if (f.requests != 0) {
        throw std::invalid_argument(
            "--requests applies to --command/--mix loads: bound a "
            "--workload load with --time");
      }
      const auto resolved = load::resolve_pattern_load(pattern_options(f, o));
      o.workload = f.workload + " (" + resolved.variant->name + ")";
    } else if (!f.variant.empty() || !f.params.empty()) {
      throw std::invalid_argument("--variant and --param go with --workload");
    }
  }
}

// Prints the live progress line once a second until `done`.
void show_progress(const load::LoadProgress& progress, const std::atomic<bool>& done, bool live,
                   double planned_s) {
  const auto started = std::chrono::steady_clock::now();
  std::uint64_t last = 0;
  auto last_at = started;
  while (!done) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto now = std::chrono::steady_clock::now();
    if (live && now - last_at >= std::chrono::seconds(1)) {
      std::uint64_t c = progress.completed.load();
      double rate = (c - last) / std::chrono::duration<double>(now - last_at).count();
      std::cout << load::progress_line(std::chrono::duration<double>(now - started).count(),
                                       planned_s, rate, progress.errors.load())
                << std::flush;
      last = c;
      last_at = now;
    }
  }
}

// Points the load at --target, or starts a redis-server in `temp` for it. Returns the exit code
// when neither works (having said why), nullopt when `o.endpoint` is set.
std::optional<int> set_endpoint(const BenchFlags& f, load::LoadOptions& o, TempDirectory& temp,
                                std::unique_ptr<redis::LocalServer>& server) {
  if (!f.target.text.empty()) {
    // The load engine speaks plain TCP without AUTH to one server, so far.
    if (f.target.address.kind != TargetAddress::Kind::kServer || f.target.security) {
      std::cerr << "redproof bench: --target " << f.target.text
                << ": bench loads one server over plain TCP without AUTH (no --tls, --user, "
                   "--password, sentinel:// or cluster:// yet)\n";
      return kExitUsage;
    }
    o.endpoint = f.target.address.endpoints.front();
    return std::nullopt;
  }
  std::string pattern = (std::filesystem::temp_directory_path() / "redproof-bench-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) {
    std::cerr << "redproof bench: cannot create a temporary directory\n";
    return kExitUnknown;
  }
  temp.path = pattern;
  redis::LocalServerOptions so;
  so.directory = temp.path + "/n1";
  so.binary = f.redis_server;
  server = std::make_unique<redis::LocalServer>(so);
  try {
    server->start();
  } catch (const std::exception& e) {
    std::cerr << "redproof bench: " << e.what() << "\n";
    return kExitUnknown;
  }
  o.endpoint = server->endpoint();
  return std::nullopt;
}

// What the load thread hands back: the figures, or why it failed (error non-empty) and the exit
// code that failure means (a rejected option is usage, anything else unknown).
struct LoadOutcome {
  load::LoadResult result;
  std::string error;
  int error_code = kExitUsage;
};

// Runs the load on its own thread while this one draws the progress line (when stdout is a
// terminal and neither --json nor --quiet); SIGINT/SIGTERM stop the load early via `progress`.
LoadOutcome run_load_with_progress(const BenchFlags& f, const load::LoadOptions& o,
                                   load::LoadProgress& progress) {
  g_progress = &progress;
  auto old_int = std::signal(SIGINT, stop_bench);
  auto old_term = std::signal(SIGTERM, stop_bench);
  LoadOutcome outcome;
  std::atomic<bool> done{false};
  std::thread runner([&] {
    try {
      outcome.result = f.workload.empty()
                           ? load::run_load(o, &progress)
                           : load::run_pattern_load(pattern_options(f, o), &progress);
    } catch (const std::invalid_argument& e) {
      outcome.error = e.what();
      outcome.error_code = kExitUsage;
    } catch (const std::exception& e) {
      outcome.error = e.what();
      outcome.error_code = kExitUnknown;
    }
    done = true;
  });
  const bool live = !f.json && !f.quiet && ::isatty(STDOUT_FILENO);
  show_progress(progress, done, live, o.duration.count() / 1e9);
  runner.join();
  g_progress = nullptr;
  std::signal(SIGINT, old_int);
  std::signal(SIGTERM, old_term);
  if (live) std::cout << "\r" << std::string(60, ' ') << "\r";
  return outcome;
}

// Judges the SLOs on corrected latency, prints the figures, and returns the exit code.
int report_bench(const BenchFlags& f, const load::LoadOptions& o, const load::LoadResult& result,
                 const std::vector<Slo>& slos, bool interrupted) {
  std::vector<load::SloOutcome> outcomes;
  bool met = true;
  for (const auto& s : slos) {
    const std::int64_t observed = slo_observed(s, result.corrected);
    const bool ok = slo_met(s, observed);
    outcomes.push_back({s.text, observed, s.limit_ns, ok});
    met = met && ok;
  }
  if (f.json) {
    std::cout << load::bench_json(o, result, outcomes).dump(2) << "\n";
  } else {
    load::print_bench_summary(std::cout, o, result, outcomes);
  }
  if (result.completed == result.error_replies + result.failed) {
    // Unlike tools that exit 0 when every request failed: nothing was measured.
    std::cerr << "redproof bench: no request succeeded against " << o.endpoint.to_string() << "\n";
    return kExitUnknown;
  }
  if (interrupted) {
    std::cerr << "redproof bench: interrupted\n";
    return kExitUnknown;
  }
  return met ? kExitValid : kExitInvalid;
}

int run_bench(const BenchFlags& f) {
  load::LoadOptions o;
  std::vector<Slo> slos;
  try {
    load_options_from_flags(f, o, slos);
  } catch (const std::exception& e) {
    std::cerr << "redproof bench: " << e.what() << "\n";
    return kExitUsage;
  }

  TempDirectory temp;  // declared before the server: removed after it stops
  std::unique_ptr<redis::LocalServer> server;
  if (const auto failed = set_endpoint(f, o, temp, server)) return *failed;

  load::LoadProgress progress;
  const LoadOutcome outcome = run_load_with_progress(f, o, progress);
  if (server) server->stop();
  if (!outcome.error.empty()) {
    std::cerr << "redproof bench: " << outcome.error << "\n";
    return outcome.error_code;
  }
  return report_bench(f, o, outcome.result, slos, progress.stop.load());
}

}  // namespace

void add_bench_command(CLI::App& root, CommandAction& action) {
  auto f = std::make_shared<BenchFlags>();
  static const DurationValidator duration;
  CLI::App* cmd = root.add_subcommand(
      "bench", "load benchmark: throughput and latency percentiles, no correctness checking");
  add_target_options(*cmd, f->target);
  cmd->add_option("--redis-server", f->redis_server, "redis-server binary")->capture_default_str();
  cmd->add_option("--clients", f->clients, "connections")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cmd->add_option("--threads", f->threads, "event-loop threads")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->add_option("--pipeline", f->pipeline, "requests in flight per connection")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cmd->add_option("--rate", f->rate,
                  "requests/s over all connections, open loop (latency from intended start); "
                  "0 = closed loop")
      ->check(RateValidator())
      ->capture_default_str();
  cmd->add_option("--time", f->time, "how long the load runs")
      ->check(duration)
      ->capture_default_str();
  cmd->add_option("--requests", f->requests, "stop after this many requests (0: time only)")
      ->capture_default_str();
  cmd->add_option("--command", f->templates,
                  "a command template, e.g. \"SET __key__ __data__\" (repeatable)");
  cmd->add_option("--mix", f->mix,
                  "built-in commands with weights, e.g. set:1,get:10 (default set,get when no "
                  "--command): set get incr lpush rpush lpop sadd hset zadd ping");
  cmd->add_option("--keys", f->keys, "key range")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--key-pattern", f->key_pattern,
                  "uniform, zipf[:EXPONENT], sequential, gaussian[:STDDEV_FRACTION]")
      ->capture_default_str();
  cmd->add_option("--key-prefix", f->key_prefix, "key name prefix")->capture_default_str();
  cmd->add_option("--data-size", f->data_size, "bytes of __data__")
      ->check(CLI::Range(0, 512 * 1024 * 1024))
      ->capture_default_str();
  cmd->add_option("--seed", f->seed, "seed of key and command choices")->capture_default_str();
  cmd->add_option("--request-timeout", f->request_timeout,
                  "a request without a reply by then is counted as timed out")
      ->check(duration)
      ->capture_default_str();
  cmd->add_option("--slo", f->slos, "latency objective on corrected latency, e.g. p99<2ms");
  cmd->add_option("--history", f->history,
                  "also record every request in this history file (as `run` does)");
  cmd->add_option("--workload", f->workload,
                  "drive a pattern workload of `run` (lock, register, ...) instead of commands: "
                  "each client is one of run's workers, without faults or checkers");
  cmd->add_option("--variant", f->variant, "the --workload's variant (default: its correct one)");
  cmd->add_option("--param", f->params, "a --workload knob NAME=VALUE (see `redproof list`)");
  cmd->add_flag("--json", f->json, "print the figures as JSON");
  cmd->add_flag("--quiet", f->quiet, "no live progress line");
  cmd->callback([f, &action] { action = [f] { return run_bench(*f); }; });
}

}  // namespace redproof

// `redproof bench`: a load benchmark without correctness checking (../shared/spec/cli.md), on
// the same load engine every run uses. Without --target it starts its own servers (--topology),
// and with --fault it runs `run`'s nemesis beside the load, with latency per fault window.
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
#include "core/text_format.hpp"
#include "driver/command.hpp"
#include "driver/duration_validator.hpp"
#include "driver/fault_setup.hpp"
#include "driver/load/bench_fault_windows.hpp"
#include "driver/load/bench_nemesis.hpp"
#include "driver/load/bench_output.hpp"
#include "driver/load/bench_runs.hpp"
#include "driver/load/load_engine.hpp"
#include "driver/load/pattern_load.hpp"
#include "driver/load/server_info.hpp"
#include "driver/rate_validator.hpp"
#include "driver/target_options.hpp"
#include "driver/topology/topology.hpp"
#include "results/bench_directory.hpp"
#include "results/bench_figures.hpp"
#include "results/results_directory.hpp"
#include "workloads/workload.hpp"

namespace redproof {

namespace {

std::atomic<load::LoadProgress*> g_progress{nullptr};

extern "C" void stop_bench(int) {
  if (auto* p = g_progress.load()) p->stop.store(true);
}

// SIGINT/SIGTERM stop the bench through `progress` while this lives: from before the first server
// starts (a topology takes seconds to set up), so that Ctrl-C then still heals and stops them.
struct StopOnSignals {
  explicit StopOnSignals(load::LoadProgress& progress) {
    g_progress = &progress;
    old_int = std::signal(SIGINT, stop_bench);
    old_term = std::signal(SIGTERM, stop_bench);
  }
  ~StopOnSignals() {
    g_progress = nullptr;
    std::signal(SIGINT, old_int);
    std::signal(SIGTERM, old_term);
  }
  void (*old_int)(int);
  void (*old_term)(int);
};

struct BenchFlags {
  TargetSpec target;
  std::string redis_server = "redis-server";
  std::string topology;             // empty: single, or what the faults need
  std::vector<std::string> faults;  // --fault a,b
  std::string fault_interval = "2s";
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
  std::string results_dir = "results";
  std::string label;  // default: the workload or the commands
  int repeat = 1;
  std::string baseline;
  double tolerance = 10;
};

// Removes the temporary server directory however the command ends.
struct TempDirectory {
  std::string path;
  ~TempDirectory() {
    std::error_code ec;
    if (!path.empty()) std::filesystem::remove_all(path, ec);
  }
};

// What --topology and --fault resolve to, checked before any server starts.
struct BenchPlan {
  std::string topology;  // empty with --target
  std::vector<const FaultInfo*> faults;
  std::chrono::nanoseconds fault_interval{};
};

// Throws std::invalid_argument with one line.
BenchPlan resolve_bench_plan(const BenchFlags& f) {
  BenchPlan p;
  p.faults = resolve_faults(f.faults);
  for (const FaultInfo* fault : p.faults) {
    if (fault->name == "pause-client") {
      throw std::invalid_argument(
          "--fault pause-client stops a pattern client at one of its hooks: bench's clients "
          "have none (`redproof run` injects it)");
    }
  }
  p.fault_interval = *parse_duration(f.fault_interval);
  if (!f.target.text.empty()) {
    if (!f.topology.empty()) {
      throw std::invalid_argument("--topology " + f.topology +
                                  " starts servers: it cannot go with --target " + f.target.text);
    }
    if (!p.faults.empty()) {
      throw std::invalid_argument("--fault " + p.faults.front()->name +
                                  ": bench injects faults only into servers it starts; drop "
                                  "--target (and choose --topology)");
    }
    return p;
  }
  const bool known = f.topology.empty() || f.topology == "single" || f.topology == "replicated" ||
                     f.topology == "sentinel" || f.topology == "cluster";
  if (!known) {
    throw std::invalid_argument("--topology " + f.topology +
                                ": bench runs on single, replicated, sentinel or cluster");
  }
  p.topology = f.topology.empty() ? topology_for_faults("single", p.faults) : f.topology;
  check_fault_needs(p.faults, /*netns=*/false, /*target=*/false);
  if (!f.workload.empty() && p.topology != "single") {
    // A pattern load connects its workers to one endpoint (PatternLoadOptions): it would not
    // follow a failover nor route by slot.
    throw std::invalid_argument("--workload drives one server: --topology " + p.topology +
                                " goes with --command/--mix loads (`redproof run` drives "
                                "patterns on every topology)");
  }
  return p;
}

// The servers and faults of one run where the harness starts them. However the run ends (done,
// an error, Ctrl-C) every fault is healed, then every server stopped, then the directory
// removed (members are destroyed after this destructor's body, the directory last).
struct BenchServers {
  TempDirectory temp;
  std::unique_ptr<Topology> topology;
  std::vector<std::unique_ptr<Fault>> owned;
  std::vector<Fault*> faults;
  ~BenchServers() {
    for (Fault* f : faults) f->heal();
    if (topology) topology->teardown();
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

// Points the load at the topology's primary as each connection reaches it now (so connections
// follow a failover), routing by slot on a cluster, redirections through the fault proxies.
void point_load_at(const Topology& topology, load::LoadOptions& o) {
  const Topology* t = &topology;
  o.endpoint = t->client_node(0).endpoint;
  o.resolve_endpoint = [t](int connection) { return t->client_node(connection).endpoint; };
  o.cluster = t->cluster();
  o.redirect_to = t->client_addresses();
}

// Starts the topology in `s.temp` and makes the faults, which act on its servers; points the load
// at it: at the primary as each connection reaches it now (so connections follow a failover),
// routing by slot on a cluster, redirections through the fault proxies.
std::optional<int> start_topology(const BenchFlags& f, const BenchPlan& plan, load::LoadOptions& o,
                                  BenchServers& s) {
  TopologyOptions to;
  to.kind = plan.topology;
  to.nodes_directory = s.temp.path + "/nodes";
  to.server_binary = f.redis_server;
  to.proxied = faults_need_proxy(plan.faults);
  try {
    s.topology = make_topology(to);
  } catch (const std::exception& e) {
    std::cerr << "redproof bench: " << e.what() << "\n";
    return kExitUsage;
  }
  try {
    s.topology->setup();
  } catch (const std::exception& e) {
    std::cerr << "redproof bench: " << e.what() << "\n";
    return kExitUnknown;
  }
  const FaultContext context = topology_fault_context(*s.topology);
  for (const FaultInfo* info : plan.faults) {
    try {
      s.owned.push_back(info->make(context));
    } catch (const std::exception& e) {
      std::cerr << "redproof bench: " << e.what() << " (--topology " << plan.topology << ")\n";
      return kExitUsage;
    }
    s.faults.push_back(s.owned.back().get());
  }
  point_load_at(*s.topology, o);
  return std::nullopt;
}

// `--target sentinel://...` or `cluster://...`: run's target topologies find the master (and
// follow it) or check the cluster's health and that its nodes are local (unless
// --allow-remote); the load is wired as for a topology the harness starts.
std::optional<int> connect_target(const BenchFlags& f, load::LoadOptions& o, BenchServers& s) {
  TopologyOptions to;
  to.target = f.target.text;
  to.target_allow_remote = f.target.allow_remote;
  try {
    s.topology = make_topology(to);
    s.topology->setup();
  } catch (const std::invalid_argument& e) {
    std::cerr << "redproof bench: " << e.what() << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "redproof bench: " << e.what() << "\n";
    return kExitUnknown;
  }
  point_load_at(*s.topology, o);
  return std::nullopt;
}

// Points the load at --target, or starts the servers in a temporary directory for it. Returns
// the exit code when neither works (having said why), nullopt when `o.endpoint` is set.
std::optional<int> set_endpoint(const BenchFlags& f, const BenchPlan& plan, load::LoadOptions& o,
                                BenchServers& s) {
  if (!f.target.text.empty()) {
    // The load engine speaks plain TCP without AUTH, so far.
    if (f.target.security) {
      std::cerr << "redproof bench: --target " << f.target.text
                << ": bench's load speaks plain TCP without AUTH (no --tls, --user or --password "
                   "yet; `run` has them)\n";
      return kExitUsage;
    }
    if (f.target.address.kind == TargetAddress::Kind::kServer) {
      o.endpoint = f.target.address.endpoints.front();
      return std::nullopt;
    }
    if (!f.workload.empty()) {
      std::cerr << "redproof bench: --target " << f.target.text
                << ": --workload loads one server (HOST:PORT), not a Sentinel's master or a "
                   "cluster\n";
      return kExitUsage;
    }
    return connect_target(f, o, s);
  }
  std::string pattern = (std::filesystem::temp_directory_path() / "redproof-bench-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) {
    std::cerr << "redproof bench: cannot create a temporary directory\n";
    return kExitUnknown;
  }
  s.temp.path = pattern;
  return start_topology(f, plan, o, s);
}

// What the load thread hands back: the figures, or why it failed (error non-empty) and the exit
// code that failure means (a rejected option is usage, anything else unknown).
struct LoadOutcome {
  load::LoadResult result;
  std::string error;
  int error_code = kExitUsage;
  std::vector<load::BenchFaultWindow> fault_windows;
};

// Runs the load on its own thread while this one draws the progress line (when stdout is a
// terminal and neither --json nor --quiet); SIGINT/SIGTERM stop the load early via `progress`
// (StopOnSignals), and `nemesis`, when there is one, is ended (faults healed) once the load is.
LoadOutcome run_load_with_progress(const BenchFlags& f, const load::LoadOptions& o,
                                   load::LoadProgress& progress,
                                   std::optional<load::BenchNemesis>& nemesis) {
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
  if (nemesis) outcome.fault_windows = nemesis->finish();
  if (live) std::cout << "\r" << std::string(60, ' ') << "\r";
  return outcome;
}

// Judges the SLOs on corrected latency.
std::vector<load::SloOutcome> judge_slos(const std::vector<Slo>& slos,
                                         const load::LoadResult& result) {
  std::vector<load::SloOutcome> outcomes;
  for (const auto& s : slos) {
    const std::int64_t observed = slo_observed(s, result.corrected);
    outcomes.push_back({s.text, observed, s.limit_ns, slo_met(s, observed)});
  }
  return outcomes;
}

// The directory's name under results/bench/: --label, else the workload or the commands.
std::string bench_label(const BenchFlags& f, const load::LoadOptions& o) {
  if (!f.label.empty()) return f.label;
  if (!f.workload.empty()) return f.workload + (f.variant.empty() ? "" : "-" + f.variant);
  std::vector<std::string> names;
  for (const auto& c : o.commands) names.push_back(c.name);
  std::string label = join(names, "+");
  for (char& c : label) {
    if (c == ' ' || c == '/') c = '_';
  }
  return label.size() > 60 ? label.substr(0, 60) : label;
}

// run.json: every resolved option, the server's figures, the baseline compared with.
nlohmann::json bench_run_json(const BenchFlags& f, const load::LoadOptions& o,
                              const load::BenchSummary& summary, const load::BenchRun& shown,
                              const std::string& started, const std::string& baseline_dir) {
  nlohmann::json config = summary.bench["config"];
  config["key_pattern"] = f.key_pattern;
  config["key_prefix"] = f.key_prefix;
  config["request_timeout_ms"] = o.request_timeout.count() / 1000000;
  config["slos"] = f.slos;
  config["history"] = f.history;
  config["repeat"] = f.repeat;
  config["server_started_by_harness"] = f.target.text.empty();
  if (f.target.text.empty()) config["redis_server"] = f.redis_server;
  config["topology"] = shown.topology;
  config["faults"] = f.faults.empty() ? std::vector<std::string>{"none"} : f.faults;
  if (shown.faulted) {
    config["fault_schedule"] = {
        {"interval_ms", parse_duration(f.fault_interval)->count() / 1000000},
        {"first_delay_ms", 1000},
        {"quiet_ms", 1000}};
  }
  nlohmann::json run = {{"command", "bench"}, {"label", bench_label(f, o)},
                        {"started", started}, {"harness_version", REDPROOF_VERSION},
                        {"config", config},   {"server", summary.server}};
  if (!baseline_dir.empty()) {
    run["baseline"] = {{"directory", baseline_dir}, {"tolerance_pct", f.tolerance}};
  }
  return run;
}

// The baseline's record, read before anything runs; nullopt without --baseline. Throws
// std::runtime_error naming what is wrong with it.
std::optional<BenchBaseline> read_baseline(const BenchFlags& f) {
  if (f.baseline.empty()) return std::nullopt;
  return BenchBaseline{read_bench_directory(f.baseline), f.tolerance};
}

// Prints the figures (and their comparison with the baseline) and returns the exit code.
int report_bench(const BenchFlags& f, const load::LoadOptions& o, const load::BenchRun& shown,
                 const nlohmann::json& bench, const std::string& dir, bool interrupted) {
  const load::LoadResult& result = shown.result;
  bool met = true;
  for (const auto& s : shown.slos) met = met && s.met;
  const bool regressed = bench.contains("baseline") && bench["baseline"].value("regression", false);
  if (f.json) {
    std::cout << bench.dump(2) << "\n";
  } else {
    load::print_bench_summary(std::cout, o, result, shown.slos);
    if (shown.servers_before.is_array()) {
      std::cout << load::servers_text(
          load::servers_usage(shown.servers_before, shown.servers_after));
    }
    if (bench.contains("latency_by_window")) {
      std::cout << load::by_window_text(bench["latency_by_window"]);
    }
    if (bench.contains("repeat")) std::cout << load::repeat_text(bench["repeat"]);
    if (bench.contains("baseline")) {
      std::cout << "  against the baseline " << bench["baseline"].value("directory", "") << ":\n"
                << bench["baseline"].value("text", "")
                << (regressed ? "  REGRESSION beyond the tolerance\n" : "  no regression\n");
    }
    if (!dir.empty()) std::cout << "  results      " << dir << "\n";
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
  return met && !regressed ? kExitValid : kExitInvalid;
}

// What each fault did (its targets, a promoted replica), before the run's directory goes.
std::string read_nemesis_log(const std::string& path) {
  try {
    return read_text_file(path);
  } catch (const std::exception&) {
    return {};  // the windows in bench.json do not depend on it
  }
}

// The servers whose own counts say where the load went: every node of a topology of several
// (a cluster's masters and replicas, a primary and its replicas); none for one server.
std::vector<std::pair<std::string, redis::Endpoint>> several_servers(const Topology* topology) {
  std::vector<std::pair<std::string, redis::Endpoint>> out;
  if (!topology) return out;
  for (const Node& n : topology->nodes()) out.emplace_back(n.name, n.endpoint);
  if (out.size() < 2) out.clear();
  return out;
}

// One run: its own server where the harness starts one, INFO before and after, the load.
// Returns the exit code when it could not be carried out (having said why).
std::optional<int> run_once(const BenchFlags& f, const BenchPlan& plan, load::LoadOptions& o,
                            const std::vector<Slo>& slos, load::LoadProgress& progress,
                            std::vector<load::BenchRun>& runs) {
  BenchServers servers;
  const auto failed = set_endpoint(f, plan, o, servers);
  if (failed) return failed;
  if (progress.stop.load()) {
    std::cerr << "redproof bench: interrupted before the load started\n";
    return kExitUnknown;
  }
  progress.completed = 0;  // the progress line counts this run alone
  progress.errors = 0;
  progress.fault_window = -1;
  load::BenchRun run;
  run.faulted = !servers.faults.empty();
  run.topology =
      servers.topology ? servers.topology->describe() : nlohmann::json{{"target", f.target.text}};
  run.server_before = load::server_info(o.endpoint);
  const auto nodes = several_servers(servers.topology.get());
  if (!nodes.empty()) run.servers_before = load::servers_info(nodes);
  std::optional<load::BenchNemesis> nemesis;
  try {
    if (run.faulted) {
      nemesis.emplace(servers.faults, plan.fault_interval, o.duration, o.seed,
                      servers.temp.path + "/nemesis.jsonl", progress);
    }
  } catch (const std::exception& e) {
    std::cerr << "redproof bench: " << e.what() << "\n";
    return kExitUnknown;
  }
  LoadOutcome outcome = run_load_with_progress(f, o, progress, nemesis);
  if (nemesis) run.nemesis_log = read_nemesis_log(servers.temp.path + "/nemesis.jsonl");
  // After the faults are healed: the primary now (a failover may have moved it).
  run.server_after =
      load::server_info(servers.topology ? servers.topology->client_node(0).endpoint : o.endpoint);
  if (!nodes.empty()) run.servers_after = load::servers_info(nodes);
  o.resolve_endpoint = nullptr;  // it asks this run's topology, which ends here
  if (!outcome.error.empty()) {
    std::cerr << "redproof bench: " << outcome.error << "\n";
    return outcome.error_code;
  }
  run.result = std::move(outcome.result);
  run.fault_windows = std::move(outcome.fault_windows);
  load::attach_fault_targets(run.fault_windows, run.nemesis_log);
  run.slos = judge_slos(slos, run.result);
  runs.push_back(std::move(run));
  return std::nullopt;
}

// Writes the results directory (after the load: nothing here is on the request path) and
// returns its path; throws std::runtime_error when it cannot.
std::string write_results(const BenchFlags& f, const load::LoadOptions& o,
                          const load::BenchSummary& summary, const load::BenchRun& shown,
                          const nlohmann::json& bench, const std::string& started,
                          const std::optional<BenchBaseline>& baseline) {
  BenchRecord record;
  record.directory = create_results_directory(f.results_dir, {"bench", bench_label(f, o)});
  record.run =
      bench_run_json(f, o, summary, shown, started, baseline ? baseline->record.directory : "");
  record.bench = bench;
  record.hgrm = shown.result.corrected.to_hgrm();
  write_bench_directory(record, shown.result.uncorrected.to_hgrm(),
                        baseline ? &*baseline : nullptr);
  if (!shown.nemesis_log.empty()) {
    write_file_atomically(record.directory + "/nemesis.jsonl", shown.nemesis_log);
  }
  return record.directory;
}

int run_bench(const BenchFlags& f) {
  load::LoadOptions o;
  std::vector<Slo> slos;
  std::optional<BenchBaseline> baseline;
  BenchPlan plan;
  try {
    plan = resolve_bench_plan(f);
    load_options_from_flags(f, o, slos);
    if (f.repeat > 1 && !f.history.empty()) {
      throw std::invalid_argument("--history records one run: it cannot go with --repeat");
    }
    baseline = read_baseline(f);
  } catch (const std::exception& e) {
    std::cerr << "redproof bench: " << e.what() << "\n";
    return kExitUsage;
  }

  const std::string started = utc_now_iso();
  load::LoadProgress progress;
  const StopOnSignals stop_on_signals(progress);
  std::vector<load::BenchRun> runs;
  for (int i = 0; i < f.repeat && !progress.stop.load(); ++i) {
    if (const auto failed = run_once(f, plan, o, slos, progress, runs)) return *failed;
  }
  const load::BenchSummary summary = load::summarize_runs(o, runs);
  nlohmann::json bench = summary.bench;
  if (baseline) {
    const auto changes = compare_bench(baseline->record.bench, bench, f.tolerance);
    bench["baseline"] = {{"directory", baseline->record.directory},
                         {"tolerance_pct", f.tolerance},
                         {"regression", any_regression(changes)},
                         {"text", comparison_text(changes, f.tolerance)}};
  }
  std::string dir;
  try {
    dir = write_results(f, o, summary, runs[summary.shown], bench, started, baseline);
  } catch (const std::exception& e) {
    std::cerr << "redproof bench: " << e.what() << "\n";
    return kExitUnknown;
  }
  return report_bench(f, o, runs[summary.shown], bench, dir, progress.stop.load());
}

}  // namespace

void add_bench_command(CLI::App& root, CommandAction& action) {
  auto f = std::make_shared<BenchFlags>();
  static const DurationValidator duration;
  CLI::App* cmd = root.add_subcommand(
      "bench", "load benchmark: throughput and latency percentiles, no correctness checking");
  add_target_options(*cmd, f->target);
  cmd->add_option("--redis-server", f->redis_server, "redis-server binary")->capture_default_str();
  cmd->add_option("--topology", f->topology,
                  "the servers the harness starts: single, replicated, sentinel or cluster "
                  "(default: single, or what --fault needs)");
  cmd->add_option("--fault", f->faults,
                  "faults injected during the load, as `run` does (see `redproof list`); the "
                  "report gives latency inside each fault's windows and outside them")
      ->delimiter(',');
  cmd->add_option("--fault-interval", f->fault_interval, "mean time between faults")
      ->check(duration)
      ->capture_default_str();
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
                  "each client is one of run's workers, without checkers (single topology only)");
  cmd->add_option("--variant", f->variant, "the --workload's variant (default: its correct one)");
  cmd->add_option("--param", f->params, "a --workload knob NAME=VALUE (see `redproof list`)");
  cmd->add_option("--results-dir", f->results_dir,
                  "results root: the run goes to DIR/bench/LABEL/<UTC timestamp>/, DIR/latest "
                  "points at it")
      ->capture_default_str();
  cmd->add_option("--label", f->label,
                  "the results directory's name under bench/ (default: the workload or the "
                  "commands, e.g. set+get)");
  cmd->add_option("--repeat", f->repeat,
                  "run the benchmark N times back to back (each with its own server start "
                  "when the harness starts it); report each figure's median and spread")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->add_option("--baseline", f->baseline,
                  "a bench results directory to compare with: a figure worse by more than "
                  "--tolerance exits 1");
  cmd->add_option("--tolerance", f->tolerance,
                  "percent by which throughput may fall or a latency percentile rise before it "
                  "is a regression")
      ->check(CLI::Range(0.0, 1e6))
      ->capture_default_str();
  cmd->add_flag("--json", f->json, "print the figures as JSON (bench.json's content)");
  cmd->add_flag("--quiet", f->quiet, "no live progress line");
  cmd->callback([f, &action] { action = [f] { return run_bench(*f); }; });
}

}  // namespace redproof

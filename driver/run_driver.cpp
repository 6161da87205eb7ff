// The interpreter of one run: plan -> servers -> workers and nemesis -> heal -> checkers ->
// results directory -> summary and exit code (../shared/design/architecture.md, "The flow of one
// run").
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <thread>

#include "checkers/latency_slo.hpp"
#include "checkers/progress_checker.hpp"
#include "core/cpu_time.hpp"
#include "core/duration.hpp"
#include "core/history_reader.hpp"
#include "core/text_format.hpp"
#include "driver/command.hpp"
#include "driver/fault_setup.hpp"
#include "driver/heal/run_state_file.hpp"
#include "driver/load/event_loops.hpp"
#include "driver/nemesis.hpp"
#include "driver/run_checking.hpp"
#include "driver/run_plan.hpp"
#include "driver/topology/namespace_network.hpp"
#include "driver/worker.hpp"
#include "driver/worker_pool.hpp"
#include "faults/fault_registry.hpp"
#include "faults/pause_client_fault.hpp"
#include "redis/local_server.hpp"
#include "results/console_summary.hpp"
#include "results/results_directory.hpp"
#include "results/results_json.hpp"
#include "results/run_record.hpp"

namespace redproof {

namespace {

namespace asio = boost::asio;

// A problem the user can fix: printed as one line, with the exit code it maps to.
struct RunError {
  int exit_code;
  std::string message;
};

// Everything that can be rejected before a server starts.
struct ResolvedPlan {
  const WorkloadInfo* workload = nullptr;
  std::string variant;
  KnobValues knobs;
  std::vector<const FaultInfo*> faults;  // without "none"
  std::vector<Slo> slos;
};

ResolvedPlan resolve(const RunPlan& plan) {
  ResolvedPlan r;
  try {
    const ResolvedWorkload w = resolve_workload(plan.workload, plan.variant, plan.params);
    r.workload = w.info;
    r.variant = w.variant->name;
    r.knobs = w.knobs;
  } catch (const std::invalid_argument& e) {
    throw RunError{kExitUsage, e.what()};
  }
  try {
    r.faults = resolve_faults(plan.faults);
  } catch (const std::invalid_argument& e) {
    throw RunError{kExitUsage, e.what()};
  }
  for (const auto& text : plan.slos) {
    try {
      r.slos.push_back(parse_slo(text));
    } catch (const std::exception& e) {
      throw RunError{kExitUsage, e.what()};
    }
  }
  if (plan.clients < 1) throw RunError{kExitUsage, "--clients must be at least 1"};
  if (plan.time.count() <= 0) throw RunError{kExitUsage, "--time must be positive"};
  return r;
}

std::chrono::milliseconds check_budget(const RunPlan& plan) {
  if (plan.check_timeout.count() > 0) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(plan.check_timeout);
  }
  return default_check_budget(plan.time);
}

nlohmann::json run_config(const RunPlan& plan, const ResolvedPlan& r, const Workload& workload,
                          const Topology& topology, const std::string& started) {
  nlohmann::json params = nlohmann::json::object();
  for (const auto& [k, v] : plan.params) params[k] = v;
  return {{"workload", plan.workload},
          {"variant", r.variant},
          {"faults", plan.faults},
          {"fault_schedule",
           {{"interval_ms", plan.fault_interval.count() / 1000000},
            {"first_delay_ms", 1000},
            {"quiet_ms", 1000},
            {"recovery_ms", plan.recovery.count() / 1000000}}},
          {"time_ms", plan.time.count() / 1000000},
          {"clients", plan.clients},
          {"threads", plan.threads},
          {"rate", plan.rate},
          {"seed", plan.seed},
          {"topology", topology.describe()},
          {"request_timeout_ms", plan.request_timeout.count() / 1000000},
          {"slos", plan.slos},
          {"params", params},
          {"knobs", r.knobs.to_json()},
          {"script", plan.script},
          {"fault_at", plan.fault_at},
          {"check_timeout_ms", check_budget(plan).count()},
          {"script_argv", plan.script_argv},
          {"workload_config", workload.describe()},
          {"harness_version", REDPROOF_VERSION},
          {"started", started}};
}

struct RunFaults {
  std::vector<std::unique_ptr<Fault>> owned;
  std::vector<Fault*> all;
  PauseClientFault* pause_client = nullptr;
  std::unique_ptr<HookTrigger> trigger;  // --fault-at HOOK
};

struct LoadOutcome {
  std::string failure;  // the first worker failure: the run then decides nothing for certain
  std::uint64_t unsent = 0;
  std::uint64_t backoffs = 0;  // reconnections after an unknown outcome, and their total wait
  std::int64_t backoff_ns = 0;
  double seconds = 0;
  CpuTime cpu;
};

// What every worker of the run shares: the workload, the recorder, where to connect, and when
// the load ends.
void prepare_workers(WorkerEnvironment& env, const RunPlan& plan, Workload& workload,
                     const RunFaults& faults, const Topology& topology, HistoryRecorder& recorder,
                     const RunClock& clock, RunState& state) {
  env.workload = &workload;
  env.recorder = &recorder;
  env.state = &state;
  env.pause_client = faults.pause_client;
  env.trigger = faults.trigger.get();
  env.declared_hooks = workload.hooks();
  env.topology = &topology;
  env.connection.request_timeout = plan.request_timeout;
  env.connection.connect_timeout = plan.request_timeout;
  env.connection.cluster = topology.cluster();
  env.connection.security = plan.target_security;
  if (auto addresses = topology.client_addresses(); !addresses.empty()) {
    env.connection.redirect_to = std::make_shared<const redis::AddressMap>(std::move(addresses));
  }
  env.start_ns = clock.now_ns();
  env.end_ns = env.start_ns + plan.time.count();
  env.workers = plan.clients;
  // Room to finish what is held (a release) after the load: a pause and a time-out or two.
  env.hard_end_ns =
      env.end_ns + 2 * plan.request_timeout.count() +
      std::chrono::duration_cast<std::chrono::nanoseconds>(workload.client_pause_length()).count();
  env.seed = plan.seed;
  env.rate = plan.rate;
  state.set_first_free_process(plan.clients);
}

// The load phase: workers over --threads event loops (worker w on loop w % threads, as bench
// spreads its connections; loop 0 is the caller's, which also serves the signals and the
// flushes), the nemesis on its own thread. Returns the first worker failure.
std::string run_load(WorkerEnvironment& env, const RunPlan& plan, const RunFaults& faults,
                     HistoryRecorder& recorder, const RunClock& clock, RunState& state,
                     asio::io_context& io) {
  NemesisSchedule schedule;
  schedule.interval = plan.fault_interval;
  schedule.end_ns = env.end_ns;
  schedule.trigger = faults.trigger.get();
  std::thread nemesis([&] {
    run_nemesis(faults.all, schedule, Random(plan.seed).fork("nemesis"), clock, recorder, state);
  });
  load::EventLoops loops(std::clamp(plan.threads, 1, plan.clients), &io);
  WorkerPool workers;
  // The signal set keeps io_context busy for ever: the load ends with the last worker.
  workers.spawn(env, plan.clients, loops, [&io] { io.stop(); });
  // Flush the history often, so that a run killed outright leaves most of what it saw.
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        asio::steady_timer timer(io);
        while (workers.running() > 0) {
          timer.expires_after(std::chrono::milliseconds(100));
          co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
          recorder.flush();
        }
      },
      asio::detached);
  loops.run();
  state.end_load();  // the nemesis stops and heals every fault
  nemesis.join();
  std::string failure = workers.failure();
  if (!failure.empty()) std::cerr << "redproof: worker failed: " << failure << "\n";
  return failure;
}

// Recovery, then the final phase (Jepsen's final reads) for workloads that have one, under
// fresh processes. Returns the first failure of a final reader.
std::string run_final_reads(WorkerEnvironment& env, const RunPlan& plan, Workload& workload,
                            HistoryRecorder& recorder, RunState& state, asio::io_context& io) {
  bool any_final = false;
  for (int w = 0; w < plan.clients && !any_final; ++w) {
    any_final = workload.make_final_generator(w, env.end_ns) != nullptr;
  }
  if (!any_final || !state.begin_final_phase()) return {};
  recorder.flush();
  if (!state.sleep_until(std::chrono::steady_clock::now() + plan.recovery)) return {};
  env.final_phase = true;
  env.hard_end_ns = recorder.now_ns() + 4 * plan.request_timeout.count() +
                    std::chrono::nanoseconds(std::chrono::seconds(5)).count();
  env.rate = 0;
  load::EventLoops loops(1, &io);
  WorkerPool readers;
  readers.spawn(env, plan.clients, loops, [&io] { io.stop(); });
  io.restart();
  loops.run();
  const std::string failure = readers.failure();
  if (!failure.empty()) std::cerr << "redproof: final reads failed: " << failure << "\n";
  return failure;
}

// The whole recorded run: the load, then the final reads. Fills `out`'s counts and failure.
void drive(const RunPlan& plan, Workload& workload, const RunFaults& faults,
           const Topology& topology, HistoryRecorder& recorder, const RunClock& clock,
           RunState& state, asio::io_context& io, LoadOutcome& out) {
  WorkerEnvironment env;
  prepare_workers(env, plan, workload, faults, topology, recorder, clock, state);
  out.failure = run_load(env, plan, faults, recorder, clock, state, io);
  const std::string final_failure = run_final_reads(env, plan, workload, recorder, state, io);
  if (out.failure.empty()) out.failure = final_failure;
  out.unsent = env.unsent.load();
  out.backoffs = env.backoffs.load();
  out.backoff_ns = env.backoff_ns.load();
}

void require_netns_where_needed(const RunPlan& plan, const ResolvedPlan& resolved) {
  try {
    check_fault_needs(resolved.faults, plan.netns, !plan.target.empty());
  } catch (const std::invalid_argument& e) {
    throw RunError{kExitUsage, e.what()};
  }
  if (!plan.netns) return;
  if (!plan.target.empty()) {
    throw RunError{kExitUsage, "--netns starts servers in namespaces; it cannot go with --target"};
  }
  if (const std::string why = NamespaceNetwork::unavailable_reason(); !why.empty()) {
    throw RunError{kExitUsage, why};
  }
}

std::unique_ptr<Workload> make_workload(const RunPlan& plan, const ResolvedPlan& resolved,
                                        const std::string& dir) {
  WorkloadConfig wc;
  wc.results_directory = dir;
  wc.variant = resolved.variant;
  wc.clients = plan.clients;
  wc.seed = plan.seed;
  wc.knobs = resolved.knobs;
  try {
    if (!plan.script.empty()) wc.script = load_user_script(plan.script, plan.script_argv);
    if (plan.script.empty() && !plan.script_argv.empty()) {
      throw std::invalid_argument("--script-argv goes with --script");
    }
    return resolved.workload->make(wc);
  } catch (const std::exception& e) {
    throw RunError{kExitUsage, e.what()};
  }
}

// The servers to start: what the run names, else what the variant and faults need (Sentinel
// for a partition, replicas for failover).
std::string topology_kind(const RunPlan& plan, const ResolvedPlan& resolved) {
  if (!plan.topology.empty()) return plan.topology;
  std::string kind = "single";
  for (const auto& v : resolved.workload->variants) {
    if (v.name == resolved.variant && !v.topology.empty()) kind = v.topology;
  }
  // A variant that names its topology (redlock's five masters) keeps it: on Sentinel's
  // replicas it could never acquire anything. A fault it cannot run there says so later.
  if (kind != "single") return kind;
  return topology_for_faults(kind, resolved.faults);
}

std::unique_ptr<Topology> make_run_topology(const RunPlan& plan, const ResolvedPlan& resolved,
                                            const std::string& dir) {
  TopologyOptions to;
  to.kind = topology_kind(plan, resolved);
  to.target = plan.target;
  to.target_security = plan.target_security;
  to.target_allow_remote = plan.target_allow_remote;
  to.nodes_directory = dir + "/nodes";
  to.base_port = plan.port;
  to.netns = plan.netns;
  try {
    to.persistence = redis::parse_persistence(plan.persistence);
  } catch (const std::exception& e) {
    throw RunError{kExitUsage, std::string("--persistence: ") + e.what()};
  }
  to.server_binary = plan.server_binary;
  to.proxied = faults_need_proxy(resolved.faults);
  try {
    return make_topology(to);
  } catch (const std::exception& e) {
    throw RunError{kExitUsage, e.what()};
  }
}

// Faults are made once the servers (and proxies) exist, since they act on them; a fault the
// topology cannot support (a server fault with --target) is still a usage error.
void make_faults(const ResolvedPlan& resolved, Topology& topology, const Workload& workload,
                 RunFaults& out) {
  FaultContext fc = topology_fault_context(topology);
  fc.client_hooks = workload.pause_hooks();
  if (out.trigger) {  // aimed: a client pause strikes at that hook, whatever the variant offers
    for (const Hook& h : workload.hooks()) {
      if (h.name == out.trigger->hook()) fc.client_hooks = {h};
    }
  }
  fc.client_pause_length = workload.client_pause_length();
  fc.aimed = out.trigger != nullptr;
  for (const FaultInfo* f : resolved.faults) {
    try {
      out.owned.push_back(f->make(fc));
    } catch (const std::exception& e) {
      throw RunError{kExitUsage, e.what()};
    }
    out.all.push_back(out.owned.back().get());
    if (auto* p = dynamic_cast<PauseClientFault*>(out.all.back())) out.pause_client = p;
  }
}

// `--fault-at HOOK`: the hook must be one the workload's clients pass.
std::unique_ptr<HookTrigger> make_trigger(const RunPlan& plan, const Workload& workload) {
  if (plan.fault_at.empty()) return nullptr;
  std::string names;
  for (const Hook& h : workload.hooks()) {
    if (h.name == plan.fault_at) return std::make_unique<HookTrigger>(h);
    names += (names.empty() ? "" : ", ") + std::string(h.name);
  }
  throw RunError{kExitUsage,
                 fmt::format("--fault-at {}: {} has no such hook (its hooks: {})", plan.fault_at,
                             plan.workload, names.empty() ? "none" : names)};
}

// The recorded part of the run: workers and nemesis, history appended as it goes.
LoadOutcome record_history(const RunPlan& plan, const ResolvedPlan& resolved, Workload& workload,
                           RunFaults& faults, const Topology& topology, const std::string& path,
                           RunState& state, asio::io_context& io) {
  RunClock clock;
  LoadOutcome out;
  const CpuTime cpu_before = process_cpu_time();
  HistoryWriter writer(path);
  HistoryRecorder recorder(writer, clock);
  if (!plan.json) {
    std::cerr << fmt::format("redproof: {} / {} / {} for {} with {} clients on {} (seed {})\n",
                             plan.workload, resolved.variant, join(plan.faults, ","),
                             format_duration(plan.time), plan.clients,
                             topology.nodes().front().endpoint.to_string(), plan.seed);
  }
  drive(plan, workload, faults, topology, recorder, clock, state, io, out);
  for (Fault* f : faults.all) f->heal();
  recorder.flush();
  out.seconds = clock.now_ns() / 1e9;
  out.cpu = process_cpu_time() - cpu_before;
  return out;
}

// A run whose servers never came up still leaves a results.json that says why it decided nothing.
void record_setup_failure(const std::string& dir, const std::string& what) {
  RunRecord failed;
  failed.directory = dir;
  failed.reason = "setup failed before the load started: " + what;
  try {
    write_results_json(failed);
  } catch (const std::exception&) {
    // The error itself is reported on stderr by the caller either way.
  }
}

// Checkers see exactly what is on disk, so a later `redproof check` agrees with this run.
RunRecord check_run(const std::string& dir, const nlohmann::json& config,
                    const ResolvedPlan& resolved, const RunPlan& plan, const LoadOutcome& load,
                    bool interrupted) {
  RunRecord record;
  record.directory = dir;
  record.config = config;
  try {
    record.history = read_history_file(dir + "/history.jsonl");
  } catch (const std::exception& e) {
    throw RunError{kExitUnknown, std::string("the run's own history is unreadable: ") + e.what()};
  }
  CheckPlan checks{
      resolved.workload, {resolved.variant, resolved.knobs, check_budget(plan)}, resolved.slos};
  check_record(record, checks);
  if (interrupted) record.reason = "interrupted (Ctrl-C or SIGTERM) before the load ended";
  if (!load.failure.empty()) record.reason = "a client worker failed: " + load.failure;
  if (!record.reason.empty()) record.valid = merge_validity(record.valid, Validity::kUnknown);
  record.stats = {{"duration_s", load.seconds}, {"interrupted", interrupted}};
  if (plan.rate > 0) record.stats["unsent"] = load.unsent;
  record.stats["reconnect_backoff"] = {{"count", load.backoffs},
                                       {"total_ms", load.backoff_ns / 1000000}};
  record.stats["client_cpu"] = {{"user_s", load.cpu.user_seconds},
                                {"system_s", load.cpu.system_seconds}};
  return record;
}

int execute(const RunPlan& plan) {
  const ResolvedPlan resolved = resolve(plan);
  require_netns_where_needed(plan, resolved);

  // Ctrl-C and SIGTERM from here on stop the run cleanly: heal, stop servers, report.
  asio::io_context io;
  RunState state;
  asio::signal_set signals(io, SIGINT, SIGTERM);
  bool interrupted = false;
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (ec) return;
    interrupted = true;
    state.request_stop();
  });

  const std::string started = utc_now_iso();
  std::string dir;
  try {
    dir = create_run_directory(plan.results_dir, plan.workload, resolved.variant,
                               join(plan.faults, "+"));
  } catch (const std::exception& e) {
    throw RunError{kExitUsage, e.what()};
  }
  // Made once its directory exists (a workload may keep files there); a workload that refuses
  // its configuration leaves no empty run behind.
  std::unique_ptr<Workload> workload;
  RunFaults faults;
  try {
    workload = make_workload(plan, resolved, dir);
    faults.trigger = make_trigger(plan, *workload);
  } catch (const RunError&) {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
    throw;
  }
  std::unique_ptr<Topology> topology = make_run_topology(plan, resolved, dir);
  // Before any server starts: a run killed from here on leaves what `redproof heal` needs.
  write_run_state(dir, "running");
  // Whatever happens below, faults are healed before servers stop.
  struct Cleanup {
    RunFaults& faults;
    Topology& topology;
    ~Cleanup() {
      for (Fault* f : faults.all) f->heal();
      topology.teardown();
    }
  } cleanup{faults, *topology};
  try {
    topology->setup();
  } catch (const std::exception& e) {
    record_setup_failure(dir, e.what());
    throw RunError{kExitUnknown, e.what()};
  }
  make_faults(resolved, *topology, *workload, faults);

  nlohmann::json config = run_config(plan, resolved, *workload, *topology, started);
  write_run_json(dir, config);
  const LoadOutcome load = record_history(plan, resolved, *workload, faults, *topology,
                                          dir + "/history.jsonl", state, io);
  config["workload_config"] = workload->describe();  // now with the resource's counts
  write_run_json(dir, config);
  topology->teardown();
  write_run_state(dir, "finished");

  RunRecord record = check_run(dir, config, resolved, plan, load, interrupted);
  write_results(record);
  if (plan.json) {
    std::cout << results_json(record).dump(2) << "\n";
  } else {
    print_console_summary(std::cout, record);
  }
  if (interrupted) std::cerr << "redproof: interrupted; faults healed, servers stopped\n";
  return exit_code_for(record.valid);
}

}  // namespace

int execute_run(const RunPlan& plan) {
  try {
    return execute(plan);
  } catch (const RunError& e) {
    std::cerr << "redproof: " << e.message << "\n";
    return e.exit_code;
  } catch (const redis::ServerStartError& e) {
    std::cerr << "redproof: " << e.what() << "\n";
    return kExitUnknown;
  } catch (const std::exception& e) {
    std::cerr << "redproof: run failed: " << e.what() << "\n";
    return kExitUnknown;
  }
}

}  // namespace redproof

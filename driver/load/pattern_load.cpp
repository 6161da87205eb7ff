#include "driver/load/pattern_load.hpp"

#include "driver/worker_pool.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <stdexcept>

#include "core/clock.hpp"
#include "core/cpu_time.hpp"
#include "core/history_writer.hpp"
#include "driver/history_recorder.hpp"
#include "driver/load/event_loops.hpp"
#include "driver/load/load_recording.hpp"
#include "driver/run_state.hpp"
#include "driver/topology/external_topology.hpp"
#include "driver/worker.hpp"

namespace redproof::load {

namespace asio = boost::asio;

ResolvedWorkload resolve_pattern_load(const PatternLoadOptions& o) {
  if (o.clients < 1) throw std::invalid_argument("--clients must be at least 1");
  if (o.threads < 1) throw std::invalid_argument("--threads must be at least 1");
  if (o.rate < 0) throw std::invalid_argument("--rate must not be negative");
  const ResolvedWorkload resolved = resolve_workload(o.workload, o.variant, o.params);
  const std::string& topology_needed = resolved.variant->topology;
  if (!topology_needed.empty() && topology_needed != "single") {
    throw std::invalid_argument("variant " + resolved.variant->name + " needs the " +
                                topology_needed +
                                " topology, and bench loads one server: use "
                                "`redproof run " +
                                o.workload + " --variant " + resolved.variant->name + "`");
  }
  return resolved;
}

LoadResult run_pattern_load(const PatternLoadOptions& o, LoadProgress* progress) {
  const ResolvedWorkload resolved = resolve_pattern_load(o);
  WorkloadConfig config;
  config.variant = resolved.variant->name;
  config.clients = o.clients;
  config.seed = o.seed;
  config.knobs = resolved.knobs;
  std::unique_ptr<Workload> workload = resolved.info->make(config);

  ExternalTopology topology(o.endpoint);
  topology.setup();  // throws when the server does not answer
  // The workers record a history as in `run`; without --history it goes nowhere.
  HistoryWriter writer(o.history_path.empty() ? "/dev/null" : o.history_path);
  RunClock clock;
  HistoryRecorder recorder(writer, clock);
  RunState state;

  const int threads = std::min(o.threads, o.clients);
  EventLoops loops(threads);
  SecondSeries series(threads);
  std::vector<std::unique_ptr<LoadRecording>> recordings;
  WorkerEnvironment env;
  for (int t = 0; t < threads; ++t) {
    recordings.push_back(std::make_unique<LoadRecording>(series, progress));
    env.recordings.push_back(recordings.back().get());
  }
  env.workload = workload.get();
  env.recorder = &recorder;
  env.state = &state;
  env.topology = &topology;
  env.connection.request_timeout = o.request_timeout;
  env.connection.connect_timeout = o.request_timeout;
  env.workers = o.clients;
  env.rate = o.rate;
  env.seed = o.seed;
  env.progress = progress;
  state.set_first_free_process(o.clients);

  const CpuTime before = process_cpu_time();
  env.start_ns = clock.now_ns();
  env.end_ns = env.start_ns + o.duration.count();
  // Room to finish what is held (a release) after the load: a pause and a time-out or two.
  env.hard_end_ns =
      env.end_ns + 2 * o.request_timeout.count() +
      std::chrono::duration_cast<std::chrono::nanoseconds>(workload->client_pause_length()).count();

  env.declared_hooks = workload->hooks();
  WorkerPool workers;
  workers.spawn(env, o.clients, loops);
  // Ctrl-C reaches bench as progress->stop: pass it on to the workers.
  asio::co_spawn(
      loops.at(0),
      [&]() -> asio::awaitable<void> {
        asio::steady_timer timer(loops.at(0));
        while (workers.running() > 0) {
          if (progress && progress->stop.load()) state.request_stop();
          timer.expires_after(std::chrono::milliseconds(50));
          co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        }
      },
      asio::detached);
  loops.run();
  const double wall = (clock.now_ns() - env.start_ns) / 1e9;
  const CpuTime used = process_cpu_time() - before;
  writer.flush();
  if (const std::string failure = workers.failure(); !failure.empty()) {
    throw std::runtime_error("a client failed: " + failure);
  }

  std::vector<const LoadRecording*> finished;
  for (auto& r : recordings) {
    r->finish();
    finished.push_back(r.get());
  }
  return merge_recordings(finished, series, wall, used.user_seconds, used.system_seconds,
                          o.rate > 0);
}

}  // namespace redproof::load

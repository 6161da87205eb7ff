#include "driver/worker.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "faults/pause_client_fault.hpp"

namespace redproof {

namespace {

namespace asio = boost::asio;

asio::awaitable<void> sleep_ns(std::int64_t ns) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(std::chrono::nanoseconds(ns));
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

// A client pause (GC-pause stand-in) taken at a hook point, recorded by the worker itself because
// only it knows when the pause struck. Arguments by value: the frame outlives the caller's.
asio::awaitable<void> pause_at_hook(WorkerEnvironment* env, std::int64_t process,
                                    std::string hook) {
  if (!env->pause_client) co_return;
  auto length = env->pause_client->take(hook);
  if (!length) co_return;
  nlohmann::json target = {{"process", process}, {"hook", hook}, {"ms", length->count()}};
  env->recorder->nemesis("pause", "pause-client", "start", target);
  co_await sleep_ns(std::chrono::duration_cast<std::chrono::nanoseconds>(*length).count());
  env->recorder->nemesis("resume", "pause-client", "stop", target);
}

// How many slots of a grid with period `interval` fall due in [from, to): ceil((to - from) /
// interval).
std::int64_t slots_between(std::int64_t from, std::int64_t to, std::int64_t interval) {
  return (to - from + interval - 1) / interval;
}

std::unique_ptr<Client> open_client(WorkerEnvironment& env, asio::any_io_executor executor,
                                    std::int64_t process, const Node& node) {
  ClientSetup setup;
  setup.executor = executor;
  setup.endpoint = node.endpoint;
  setup.node = node.name;
  for (const auto& n : env.topology->nodes()) setup.all_nodes.emplace_back(n.name, n.endpoint);
  setup.process = process;
  setup.connection = env.connection;
  WorkerEnvironment* e = &env;
  setup.hook = [e, process](std::string_view hook) {
    return pause_at_hook(e, process, std::string(hook));
  };
  HistoryRecorder* recorder = env.recorder;
  setup.now_ns = [recorder] { return recorder->now_ns(); };
  return env.workload->make_client(setup);
}

}  // namespace

asio::awaitable<void> run_worker(WorkerEnvironment& env, int worker) {
  auto executor = co_await asio::this_coro::executor;
  auto generator = env.final_phase
                       ? env.workload->make_final_generator(worker, env.end_ns)
                       : env.workload->make_generator(
                             worker, Random(env.seed).fork("worker", worker), env.end_ns);
  if (!generator) co_return;
  // In the final phase a worker's old process may have crashed (info): never reuse it.
  std::int64_t process = env.final_phase ? env.state->next_process() : worker;
  Node node = env.topology->client_node(worker);
  auto client = open_client(env, executor, process, node);
  // Open loop: the next operation's due time on this worker's grid. A late operation keeps its
  // due time (latency counts from it, Gil Tene's coordinated omission correction) and none is
  // skipped, so a stalled server shows as the wait a user arriving at that rate would see.
  const std::int64_t interval = env.op_interval_ns;
  std::int64_t due =
      interval > 0 ? env.start_ns + interval * worker / std::max(env.workers, 1) : -1;

  while (!env.state->stop_requested()) {
    const std::int64_t now = env.recorder->now_ns();
    if (now >= env.hard_end_ns) break;
    GeneratorStep step = generator->next(now);
    if (step.kind == GeneratorStep::Kind::kDone) break;
    if (step.kind == GeneratorStep::Kind::kWait) {
      co_await sleep_ns(std::min(step.wait_ns, env.hard_end_ns - now));
      // The workload chose to wait (a lock held for its work, think time): the slots that fell
      // due during the wait were not requests the system kept waiting. Slots already overdue
      // when it began stay overdue: they are the system's backlog.
      if (due >= now) {
        const std::int64_t after = env.recorder->now_ns();
        if (due < after) due += slots_between(due, after, interval) * interval;
      }
      continue;
    }
    if (due >= 0 && due < env.end_ns) {
      if (due > now) co_await sleep_ns(due - now);
      step.op.intended = due;
      due += interval;
    }  // past the end: what finishes a sequence (a release) goes at once, off the schedule
    step.op.node = node.name;
    Op invoke = env.recorder->invoke(process, std::move(step.op));
    Completion c = co_await client->invoke(invoke);
    Op completion = env.recorder->complete(invoke, c.type, std::move(c.value), std::move(c.error));
    generator->update(completion);
    if (completion.type == OpType::kInfo) {
      // The old process may still have an operation in effect: never use it again.
      process = env.state->next_process();
      node = env.topology->client_node(worker);
      client = open_client(env, executor, process, node);
      generator->process_replaced();
    } else if (completion.type == OpType::kFail) {
      // A refused request (READONLY from a demoted primary, a closed connection): when the
      // primary has moved meanwhile, follow it, as the same process since nothing is in flight.
      Node now = env.topology->client_node(worker);
      if (!(now.endpoint == node.endpoint)) {
        node = std::move(now);
        client = open_client(env, executor, process, node);
      }
    }
  }
  if (due >= 0 && due < env.end_ns) {
    env.unsent += static_cast<std::uint64_t>(slots_between(due, env.end_ns, interval));
  }
}

}  // namespace redproof

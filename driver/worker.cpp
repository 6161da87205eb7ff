#include "driver/worker.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "driver/load/load_engine.hpp"
#include "driver/load/load_recording.hpp"
#include "driver/load/open_loop_schedule.hpp"
#include "driver/reconnect_backoff.hpp"
#include "faults/pause_client_fault.hpp"

namespace redproof {

namespace {

namespace asio = boost::asio;

asio::awaitable<void> sleep_ns(std::int64_t ns) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(std::chrono::nanoseconds(ns));
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

bool declared(const WorkerEnvironment& env, const Hook& hook) {
  for (const Hook& h : env.declared_hooks) {
    if (h == hook) return true;
  }
  return false;
}

// A client pause (GC-pause stand-in) taken at a hook point, recorded by the worker itself because
// only it knows when the pause struck; at a crash hook the process dies there instead (thrown
// as ClientCrashed to the worker). Arguments by value: the frame outlives the caller's.
constexpr std::int64_t kSettleAfterTriggerNs = 20'000'000;

// With --fault-at, the client the armed trigger caught waits here until the nemesis has started
// its fault (bounded: a nemesis that never answers does not hold the client for ever).
asio::awaitable<void> wait_for_triggered_fault(WorkerEnvironment* env, std::int64_t process,
                                               const Hook& hook) {
  std::uint64_t ticket = 0;
  if (!env->trigger || !env->trigger->reached(hook.name, process, ticket)) co_return;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!env->trigger->released(ticket) && std::chrono::steady_clock::now() < give_up &&
         !env->state->stop_requested()) {
    co_await sleep_ns(1'000'000);
  }
  // A moment for the other clients' requests to queue up behind the fault before this client's
  // next one, as when a stall catches a client in the middle of its operation.
  co_await sleep_ns(kSettleAfterTriggerNs);
}

asio::awaitable<void> pause_at_hook(WorkerEnvironment* env, std::int64_t process, Hook hook) {
  if (!declared(*env, hook)) {
    throw std::logic_error("hook " + std::string(hook.name) +
                           " is awaited by the client but not declared by its workload");
  }
  co_await wait_for_triggered_fault(env, process, hook);
  if (!env->pause_client) co_return;
  auto length = env->pause_client->take(hook);
  if (!length) co_return;
  nlohmann::json target = {{"process", process}, {"hook", hook.name}};
  if (hook.effect == HookEffect::kCrash) {
    env->recorder->nemesis("crash", "pause-client", "start", target);
    env->recorder->nemesis("crashed", "pause-client", "stop", target);
    throw ClientCrashed{hook.name};
  }
  target["ms"] = length->count();
  env->recorder->nemesis("pause", "pause-client", "start", target);
  co_await sleep_ns(std::chrono::duration_cast<std::chrono::nanoseconds>(*length).count());
  env->recorder->nemesis("resume", "pause-client", "stop", target);
}

// An operation into the load engine's recording, on its clock (0 = the load's start): its
// send, then its answer.
std::int64_t intended_start(const WorkerEnvironment& env, const Op& invoke) {
  return (invoke.intended >= 0 ? invoke.intended : invoke.time) - env.start_ns;
}

void record_sent(const WorkerEnvironment& env, load::LoadRecording& recording, const Op& invoke) {
  recording.advance(invoke.time - env.start_ns);
  recording.sent(invoke.time - env.start_ns, intended_start(env, invoke));
}

void record_answer(const WorkerEnvironment& env, load::LoadRecording& recording, const Op& invoke,
                   const Op& completion) {
  const std::int64_t sent = invoke.time - env.start_ns;
  const std::int64_t intended = intended_start(env, invoke);
  const std::int64_t now = completion.time - env.start_ns;
  recording.advance(now);
  switch (completion.type) {
    case OpType::kOk:
      recording.answered(now, intended, sent, load::Answer::kOk);
      break;
    case OpType::kFail:
      recording.answered(now, intended, sent, load::Answer::kFailed);
      break;
    default:  // info: the outcome is unknown
      if (completion.error.find("timed out") != std::string::npos) {
        recording.timed_out(now);
      } else {
        recording.lost_in_flight();
      }
  }
  if (env.progress) env.progress->completed.fetch_add(1, std::memory_order_relaxed);
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
  setup.hook = [e, process](const Hook& hook) { return pause_at_hook(e, process, hook); };
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
  // Open loop: this worker's slots on the load engine's grid (late operations keep their slot's
  // time as their intended start; none is skipped).
  load::OpenLoopSchedule schedule(env.rate, env.workers, worker, env.start_ns, env.end_ns);
  load::LoadRecording* recording =
      env.recordings.empty() ? nullptr : env.recordings[worker % env.recordings.size()];
  ReconnectBackoff backoff(Random(env.seed).fork("backoff", worker));

  while (!env.state->stop_requested()) {
    const std::int64_t now = env.recorder->now_ns();
    if (now >= env.hard_end_ns) break;
    GeneratorStep step = generator->next(now);
    if (step.kind == GeneratorStep::Kind::kDone) break;
    if (step.kind == GeneratorStep::Kind::kWait) {
      co_await sleep_ns(std::min(step.wait_ns, env.hard_end_ns - now));
      // The workload chose to wait (a lock held for its work, think time).
      schedule.skip_wait(now, env.recorder->now_ns());
      continue;
    }
    if (schedule.has_slot()) {
      if (schedule.next_ns() > now) co_await sleep_ns(schedule.next_ns() - now);
      step.op.intended = schedule.take();
    }  // past the end: what finishes a sequence (a release) goes at once, off the schedule
    step.op.node = node.name;
    Op invoke = env.recorder->invoke(process, std::move(step.op));
    if (recording) record_sent(env, *recording, invoke);
    Completion c;
    try {
      c = co_await client->invoke(invoke);
    } catch (const ClientCrashed& crash) {
      // The process died mid-operation: what it did before the hook may have taken effect.
      c = Completion::info("crashed at hook " + std::string(crash.hook));
    }
    Op completion = env.recorder->complete(invoke, c.type, std::move(c.value), std::move(c.error));
    if (recording) record_answer(env, *recording, invoke, completion);
    generator->update(completion);
    if (completion.type == OpType::kInfo) {
      // The old process may still have an operation in effect: never use it again. A
      // connection that failed is not retried at once (reconnect_backoff.hpp).
      const std::int64_t wait = backoff.next();
      env.backoffs.fetch_add(1, std::memory_order_relaxed);
      env.backoff_ns.fetch_add(wait, std::memory_order_relaxed);
      co_await sleep_ns(
          std::min(wait, std::max<std::int64_t>(0, env.hard_end_ns - env.recorder->now_ns())));
      process = env.state->next_process();
      node = env.topology->client_node(worker);
      client = open_client(env, executor, process, node);
      generator->process_replaced();
    } else {
      backoff.reset();
    }
    if (completion.type == OpType::kFail) {
      // A refused request (READONLY from a demoted primary, a closed connection): when the
      // primary has moved meanwhile, follow it, as the same process since nothing is in flight.
      Node now = env.topology->client_node(worker);
      if (!(now.endpoint == node.endpoint)) {
        node = std::move(now);
        client = open_client(env, executor, process, node);
      }
    }
  }
  env.unsent += schedule.unsent();
  if (recording) recording->add_unsent(schedule.unsent());
}

}  // namespace redproof

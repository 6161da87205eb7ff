#include "workloads/queue/queue_workload.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>

#include "checkers/queue_checker.hpp"
#include "workloads/generators/phases.hpp"
#include "workloads/generators/sequence.hpp"
#include "workloads/generators/time_limit.hpp"
#include "workloads/queue/queue_client.hpp"
#include "workloads/queue/queue_generator.hpp"
#include "workloads/queue/queue_hooks.hpp"

namespace redproof::queue {

namespace {

class QueueWorkload : public Workload {
 public:
  QueueWorkload(const QueueOptions& options, int clients)
      : options_(options), producers_(producer_count(options, clients)) {}

  std::unique_ptr<Client> make_client(const ClientSetup& setup) override {
    return std::make_unique<QueueClient>(setup, options_);
  }

  std::unique_ptr<Generator> make_generator(int worker, Random rng, std::int64_t end_ns) override {
    if (worker < producers_) {
      const auto think = std::chrono::nanoseconds(options_.think).count();
      return std::make_unique<gen::TimeLimit>(
          end_ns, std::make_unique<gen::ThinkTime>(
                      rng, 0, think, std::make_unique<ProducerGenerator>(options_, worker, rng)));
    }
    // Consumers start a little later, so that the first jobs wait in the queue; they stop
    // themselves at the end, after finishing the job they hold.
    return std::make_unique<gen::Stagger>(
        rng, 50'000'000,
        std::make_unique<ConsumerGenerator>(options_, worker - producers_, end_ns));
  }

  // After the last heal: what is left in each queue, its processing lists or pending entries.
  std::unique_ptr<Generator> make_final_generator(int worker, std::int64_t) override {
    if (worker != 0) return nullptr;
    std::vector<GeneratorStep> drains;
    for (int q = 0; q < options_.queues; ++q) {
      drains.push_back(GeneratorStep::operation("drain", queue_key(q)));
    }
    return std::make_unique<gen::Sequence>(std::move(drains));
  }

  std::vector<Hook> pause_hooks() const override { return {kHookAfterTake}; }
  std::chrono::milliseconds client_pause_length() const override {
    return std::chrono::milliseconds(500);
  }

  nlohmann::json describe() const override {
    return {{"queues", options_.queues},          {"producers", producers_},
            {"think_ms", options_.think.count()}, {"work_ms", options_.work.count()},
            {"block_ms", options_.block.count()}, {"visibility_ms", options_.visibility.count()}};
  }

 private:
  QueueOptions options_;
  int producers_;
};

CheckerList queue_checkers(const CheckerSetup& setup) {
  const QueueVariant v = parse_queue_variant(setup.variant);
  QueueCheckerOptions o;
  o.at_most_once = v == QueueVariant::kListBrpop;
  CheckerList out;
  out.push_back(std::make_unique<QueueChecker>(o));
  // Only LPUSH + BRPOP promises an order: the others redeliver stalled jobs out of it.
  if (v == QueueVariant::kListBrpop) out.push_back(std::make_unique<QueueFifoChecker>());
  return out;
}

}  // namespace

WorkloadInfo queue_workload_info() {
  WorkloadInfo info;
  info.name = "queue";
  info.summary = "background jobs: producers enqueue, consumers take, process and acknowledge";
  info.variants = {
      {"list-brpop", "LPUSH + BRPOP: a consumer that dies after the pop loses the job", false},
      {"list-blmove",
       "BLMOVE into a per-consumer processing list, LREM on ack, a reaper requeues jobs stuck "
       "past the visibility time-out (at-least-once)",
       false},
      {"stream", "XADD, XREADGROUP, XACK, XAUTOCLAIM of stalled entries (at-least-once)", false},
  };
  info.knobs = {
      {"queues", KnobType::kCount, "1", "number of queues", 1},
      {"producers", KnobType::kRatio, "0.5", "share of the workers that produce"},
      {"think", KnobType::kDuration, "2ms", "longest pause of a producer between enqueues"},
      {"work", KnobType::kDuration, "5ms", "a consumer's processing time before its ack"},
      {"block", KnobType::kDuration, "200ms", "blocking dequeue time-out", 10},
      {"visibility", KnobType::kDuration, "1s",
       "a job taken longer ago than this is taken back (reaper, XAUTOCLAIM)", 50},
  };
  info.make = [](const WorkloadConfig& config) -> std::unique_ptr<Workload> {
    if (config.script) throw std::invalid_argument("--script: the queue workload has no Lua core");
    if (config.clients < 2) {
      throw std::invalid_argument("queue: needs at least 2 clients (producers and consumers)");
    }
    return std::make_unique<QueueWorkload>(queue_options(config.variant, config.knobs),
                                           config.clients);
  };
  info.checkers = queue_checkers;
  info.contract =
      "history: enqueue \"id\" -> null; dequeue -> \"id\" or null (blocking time-out); ack \"id\" "
      "-> null; drain (final) -> [ids left in the queue, processing lists, pending entries]";
  return info;
}

}  // namespace redproof::queue

#include "workloads/pubsub/pubsub_workload.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "checkers/pubsub_checker.hpp"
#include "workloads/generators/time_limit.hpp"
#include "workloads/pubsub/pubsub_client.hpp"
#include "workloads/pubsub/pubsub_generator.hpp"
#include "workloads/pubsub/pubsub_hooks.hpp"

namespace redproof::pubsub {

namespace {

struct PubsubOptions {
  std::int64_t channels = 0;
  std::int64_t subscribers = 0;
  std::int64_t slow = 0;
  std::int64_t stall_ns = 0;
  std::int64_t hold_ns = 0;
  std::int64_t think_ns = 0;
  PubsubClientOptions client;
};

class PubsubWorkload : public Workload {
 public:
  explicit PubsubWorkload(PubsubOptions o) : o_(o) {}

  std::unique_ptr<Client> make_client(const ClientSetup& setup) override {
    return std::make_unique<PubsubClient>(setup, o_.client);
  }
  // Workers [0, subscribers) subscribe, the first `slow` of them slowly; the others publish.
  std::unique_ptr<Generator> make_generator(int worker, Random rng, std::int64_t end_ns) override {
    if (worker < o_.subscribers) {
      SubscriberPlan plan{o_.channels, o_.hold_ns, worker < o_.slow ? o_.stall_ns : 0, end_ns};
      return std::make_unique<SubscriberGenerator>(plan, rng.fork("subscriber"));
    }
    auto publisher = std::make_unique<PublisherGenerator>(worker, o_.channels, rng.fork("pub"));
    // Publishers start a little late and stop a little early, so that subscribers are there.
    return std::make_unique<gen::TimeLimit>(
        end_ns - std::min<std::int64_t>(200'000'000, end_ns / 10),
        std::make_unique<gen::Stagger>(
            rng.fork("stagger"), 100'000'000,
            std::make_unique<gen::ThinkTime>(rng.fork("think"), 0, o_.think_ns,
                                             std::move(publisher))));
  }
  std::vector<Hook> pause_hooks() const override { return {kHookBeforeReceive}; }
  std::chrono::milliseconds client_pause_length() const override {
    return std::chrono::milliseconds(std::max<std::int64_t>(o_.stall_ns / 1'000'000, 1000));
  }
  nlohmann::json describe() const override {
    return {{"variant", "pubsub"},
            {"channels", o_.channels},
            {"subscribers", o_.subscribers},
            {"slow", o_.slow},
            {"stall_ms", o_.stall_ns / 1e6},
            {"hold_ms", o_.hold_ns / 1e6},
            {"payload_bytes", o_.client.payload_bytes},
            {"output_limit_kb", o_.client.output_limit_kb},
            {"think_ms", o_.think_ns / 1e6}};
  }

 private:
  PubsubOptions o_;
};

PubsubOptions pubsub_options(const WorkloadConfig& config) {
  const KnobValues& k = config.knobs;
  PubsubOptions o;
  o.channels = k.count("channels");
  o.subscribers = k.count("subscribers");
  o.slow = k.count("slow");
  o.stall_ns = k.duration("stall").count();
  o.hold_ns = k.duration("hold").count();
  o.think_ns = k.duration("think").count();
  o.client.payload_bytes = k.count("payload");
  o.client.output_limit_kb = k.count("output-limit-kb");
  o.client.receive_wait = std::chrono::milliseconds(100);
  if (o.subscribers >= config.clients) {
    throw std::invalid_argument(
        fmt::format("--param subscribers={}: leaves no publisher among {} clients", o.subscribers,
                    config.clients));
  }
  if (o.slow > o.subscribers) {
    throw std::invalid_argument(
        fmt::format("--param slow={}: more than the {} subscribers", o.slow, o.subscribers));
  }
  return o;
}

}  // namespace

WorkloadInfo pubsub_workload_info() {
  WorkloadInfo info;
  info.name = "pubsub";
  info.summary = "publishers and subscribers on several channels; slow subscribers are cut off";
  info.variants = {{"pubsub", "PUBLISH / SUBSCRIBE with a pubsub output-buffer limit", false, ""}};
  info.knobs = {
      {"channels", KnobType::kCount, "3", "channels in use", 1},
      {"subscribers", KnobType::kCount, "2", "clients that subscribe (the others publish)", 1},
      {"slow", KnobType::kCount, "0", "subscribers that stall after subscribing"},
      {"stall", KnobType::kDuration, "4s", "how long a slow subscriber stops reading", 1},
      {"hold", KnobType::kDuration, "2s", "how long a subscription lasts", 1},
      {"payload", KnobType::kCount, "1024", "bytes of padding in each message"},
      {"output-limit-kb", KnobType::kCount, "256",
       "client-output-buffer-limit pubsub (hard, KB), set on each subscriber connection", 1},
      {"think", KnobType::kDuration, "1ms", "longest pause between a publisher's messages"},
  };
  info.make = [](const WorkloadConfig& config) -> std::unique_ptr<Workload> {
    if (config.script) throw std::invalid_argument("--script: the pubsub workload takes no Lua");
    return std::make_unique<PubsubWorkload>(pubsub_options(config));
  };
  info.checkers = [](const CheckerSetup&) {
    CheckerList out;
    out.push_back(std::make_unique<PubsubChecker>());
    return out;
  };
  info.contract =
      "history: subscribe -> null; receive -> message id (as each message arrives); "
      "unsubscribe -> null, or info when the server dropped the subscriber; publish id -> "
      "number of receivers (key: the channel). Checked by `pubsub`: lost-while-subscribed, "
      "missed-before-subscribe (a note), delivery ratio per subscriber.";
  return info;
}

}  // namespace redproof::pubsub

#include "toy_counter_workload.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "checkers/anomaly_collector.hpp"
#include "redis/command_encoder.hpp"
#include "workloads/generators/mix.hpp"
#include "workloads/generators/sequence.hpp"
#include "workloads/generators/time_limit.hpp"

namespace redproof::toy {

namespace {

constexpr const char* kKey = "toy:counter";

// The client: `incr` as GET then SET (the bug), `read` as GET.
class CounterClient : public Client {
 public:
  explicit CounterClient(const ClientSetup& setup)
      : connection_(setup.executor, setup.endpoint, setup.connection) {}

  boost::asio::awaitable<Completion> invoke(const Op& invoke) override {
    auto got = co_await connection_.exec(redis::command("GET", kKey));
    if (!got.ok()) co_return completion_for_failure(got);
    const std::int64_t now = got.reply.is_nil() ? 0 : got.reply.as_integer().value_or(0);
    if (invoke.f == "read") co_return Completion::ok(std::to_string(now));
    auto set = co_await connection_.exec(redis::command("SET", kKey, std::to_string(now + 1)));
    if (!set.ok()) co_return completion_for_failure(set);
    co_return Completion::ok();
  }

 private:
  redis::Connection connection_;
};

// The checker: the final read against the increments acknowledged (certain: every ok increment
// took effect before the read began, and none can be undone by anything but another's SET).
class CounterChecker : public Checker {
 public:
  std::string name() const override { return "toy-counter"; }
  CheckResult check(const std::vector<Op>& history) override {
    std::int64_t acked = 0, last_read = -1, read_index = -1, read_ns = 0;
    for (const Op& op : history) {
      if (op.type != OpType::kOk) continue;
      if (op.f == "incr") ++acked;
      if (op.f == "read") {
        last_read = std::stoll(op.value);
        read_index = op.index;
        read_ns = op.time;
      }
    }
    AnomalyCollector anomalies(history);
    if (last_read >= 0 && last_read < acked) {
      Anomaly a;
      a.name = "lost-increment";
      a.key = kKey;
      a.ops = {read_index};
      a.from_ns = read_ns;
      a.to_ns = read_ns;
      a.magnitude = {{"acknowledged", acked}, {"final", last_read}};
      a.sentence = fmt::format("{} increments were acknowledged but the final read found {}", acked,
                               last_read);
      anomalies.add(std::move(a));
    }
    CheckResult r;
    r.details["acknowledged"] = acked;
    anomalies.store_into(r, last_read >= 0);
    return r;
  }
};

class CounterWorkload : public Workload {
 public:
  explicit CounterWorkload(const WorkloadConfig& config)
      : think_ns_(config.knobs.duration("think").count()) {}

  std::unique_ptr<Client> make_client(const ClientSetup& setup) override {
    return std::make_unique<CounterClient>(setup);
  }
  std::unique_ptr<Generator> make_generator(int, Random rng, std::int64_t end_ns) override {
    auto incr = std::make_unique<gen::Mix>(
        rng, std::vector<gen::Weighted>{
                 {1, [](Random&) { return GeneratorStep::operation("incr", kKey); }}});
    return std::make_unique<gen::TimeLimit>(
        end_ns, std::make_unique<gen::ThinkTime>(rng, 0, think_ns_, std::move(incr)));
  }
  std::unique_ptr<Generator> make_final_generator(int worker, std::int64_t) override {
    if (worker != 0) return nullptr;
    return std::make_unique<gen::Sequence>(
        std::vector<GeneratorStep>{GeneratorStep::operation("read", kKey)});
  }
  nlohmann::json describe() const override { return {{"think_ns", think_ns_}}; }

 private:
  std::int64_t think_ns_;
};

}  // namespace

WorkloadInfo toy_counter_workload_info() {
  WorkloadInfo info;
  info.name = "toy-counter";
  info.summary = "a counter incremented with GET then SET (a test-only example)";
  info.variants = {{"get-set", "GET, add one, SET: not atomic", true, ""}};
  info.knobs = {{"think", KnobType::kDuration, "1ms", "longest pause between increments"}};
  info.make = [](const WorkloadConfig& c) { return std::make_unique<CounterWorkload>(c); };
  info.checkers = [](const CheckerSetup&) {
    CheckerList out;
    out.push_back(std::make_unique<CounterChecker>());
    return out;
  };
  return info;
}

}  // namespace redproof::toy

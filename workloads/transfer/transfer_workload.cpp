#include "workloads/transfer/transfer_workload.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "checkers/bank_checker.hpp"
#include "core/json_text.hpp"
#include "workloads/generators/after_init.hpp"
#include "workloads/generators/mix.hpp"
#include "workloads/generators/sequence.hpp"
#include "workloads/generators/time_limit.hpp"
#include "workloads/transfer/transfer_client.hpp"
#include "workloads/transfer/transfer_hooks.hpp"

namespace redproof::transfer {

namespace {

TransferVariant variant_of(const std::string& name) {
  if (name == "watch-multi") return TransferVariant::kWatchMulti;
  if (name == "no-watch") return TransferVariant::kNoWatch;
  throw std::invalid_argument("unknown transfer variant " + name);
}

TransferOptions options_of(const WorkloadConfig& config) {
  if (config.script) throw std::invalid_argument("--script: the transfer workload takes no Lua");
  TransferOptions o;
  o.variant = variant_of(config.variant);
  o.accounts = static_cast<int>(config.knobs.count("accounts"));
  o.balance = config.knobs.count("balance");
  o.max_amount = config.knobs.count("max-amount");
  o.read_ratio = config.knobs.number("read-ratio");
  o.think_ns = config.knobs.duration("think").count();
  o.retries = static_cast<int>(config.knobs.count("retries"));
  return o;
}

class TransferWorkload : public Workload {
 public:
  explicit TransferWorkload(TransferOptions options)
      : options_(std::move(options)), seeded_(std::make_shared<std::atomic<bool>>(false)) {}

  std::unique_ptr<Client> make_client(const ClientSetup& setup) override {
    return std::make_unique<TransferClient>(setup, options_);
  }

  std::unique_ptr<Generator> make_generator(int worker, Random rng, std::int64_t end_ns) override {
    auto keys = options_.keys();
    const std::int64_t max_amount = options_.max_amount;
    auto transfer = [keys, max_amount](Random& r) {
      const auto n = static_cast<std::int64_t>(keys.size());
      const auto from = r.uniform(0, n - 1);
      const auto to = (from + r.uniform(1, n - 1)) % n;  // another account
      return GeneratorStep::operation(
          "transfer", std::nullopt,
          fmt::format("{{\"from\":{},\"to\":{},\"amount\":{}}}", json_text::quote(keys[from]),
                      json_text::quote(keys[to]), r.uniform(1, max_amount)));
    };
    auto read = [](Random&) { return GeneratorStep::operation("read", std::nullopt); };
    auto mix = std::make_unique<gen::Mix>(
        rng, std::vector<gen::Weighted>{{1 - options_.read_ratio, transfer},
                                        {options_.read_ratio, read}});
    std::unique_ptr<Generator> load = std::make_unique<gen::TimeLimit>(
        end_ns, std::make_unique<gen::ThinkTime>(rng, 0, options_.think_ns, std::move(mix)));
    std::optional<GeneratorStep> init;
    if (worker == 0) init = GeneratorStep::operation("init", std::nullopt, init_value());
    return std::make_unique<gen::TimeLimit>(
        end_ns, std::make_unique<gen::AfterInit>(seeded_, std::move(init), std::move(load)));
  }

  std::unique_ptr<Generator> make_final_generator(int worker, std::int64_t) override {
    if (worker != 0) return nullptr;
    return std::make_unique<gen::Sequence>(
        std::vector<GeneratorStep>{GeneratorStep::operation("read", std::nullopt)});
  }

  std::vector<Hook> pause_hooks() const override { return {kHookBetweenReadsAndWrites}; }

  nlohmann::json describe() const override {
    return {
        {"variant", options_.variant == TransferVariant::kWatchMulti ? "watch-multi" : "no-watch"},
        {"accounts", options_.accounts},
        {"balance", options_.balance},
        {"max_amount", options_.max_amount},
        {"read_ratio", options_.read_ratio},
        {"think_ns", options_.think_ns},
        {"retries", options_.retries}};
  }

 private:
  std::string init_value() const { return gen::seed_value(options_.keys(), options_.balance); }

  TransferOptions options_;
  std::shared_ptr<std::atomic<bool>> seeded_;
};

}  // namespace

WorkloadInfo transfer_workload_info() {
  WorkloadInfo info;
  info.name = "transfer";
  info.summary = "money moved between accounts; every balance read atomically";
  info.variants = {
      {"watch-multi", "WATCH, read both, MULTI, DECRBY/INCRBY, EXEC; retried on abort", false, ""},
      {"no-watch", "GET, GET, SET, SET (not atomic)", true, ""},
  };
  info.knobs = {
      {"accounts", KnobType::kCount, "5", "accounts ({bank}:acct:N)", 2},
      {"balance", KnobType::kCount, "100", "initial balance of each account", 0},
      {"max-amount", KnobType::kCount, "20", "a transfer moves 1 to this much", 1},
      {"read-ratio", KnobType::kRatio, "0.1", "share of operations that read every balance"},
      {"think", KnobType::kDuration, "1ms", "longest pause between a client's operations"},
      {"retries", KnobType::kCount, "100", "watch-multi: EXEC aborts retried within one transfer",
       1},
  };
  info.make = [](const WorkloadConfig& config) -> std::unique_ptr<Workload> {
    return std::make_unique<TransferWorkload>(options_of(config));
  };
  info.checkers = [](const CheckerSetup&) {
    CheckerList out;
    out.push_back(std::make_unique<BankChecker>());
    return out;
  };
  info.contract =
      "history: init {account: balance, ...} (process 0, first); transfer {from, to, amount} -> "
      "null (fail: insufficient funds, or every EXEC aborted); read -> {account: balance or "
      "null} read atomically (MGET), during the run and once at the end.";
  return info;
}

}  // namespace redproof::transfer

#include "workloads/inventory/inventory_workload.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "checkers/inventory_checker.hpp"
#include "workloads/generators/after_init.hpp"
#include "workloads/generators/mix.hpp"
#include "workloads/generators/sequence.hpp"
#include "workloads/generators/time_limit.hpp"
#include "workloads/inventory/inventory_client.hpp"
#include "workloads/inventory/inventory_hooks.hpp"

namespace redproof::inventory {

namespace {

InventoryVariant variant_of(const std::string& name) {
  if (name == "lua") return InventoryVariant::kLua;
  if (name == "get-decr") return InventoryVariant::kGetDecr;
  throw std::invalid_argument("unknown inventory variant " + name);
}

// A hash tag per item, so that a cluster spreads the items over its slots.
std::string item_key(int i) {
  return fmt::format("item:{{{}}}", i);
}

InventoryOptions options_of(const WorkloadConfig& config) {
  InventoryOptions o;
  o.variant = variant_of(config.variant);
  o.items = static_cast<int>(config.knobs.count("items"));
  o.stock = config.knobs.count("stock");
  o.max_quantity = config.knobs.count("max-quantity");
  o.think_ns = config.knobs.duration("think").count();
  o.script = config.script;
  if (o.script) {
    if (o.variant != InventoryVariant::kLua) {
      throw std::invalid_argument("--script: inventory's get-decr has no Lua; use --variant lua");
    }
    user_script_argv(o.script->argv_template, {"quantity"}, {{"quantity", "1"}});  // throws
  }
  return o;
}

class InventoryWorkload : public Workload {
 public:
  explicit InventoryWorkload(InventoryOptions options)
      : options_(std::move(options)), seeded_(std::make_shared<std::atomic<bool>>(false)) {}

  std::unique_ptr<Client> make_client(const ClientSetup& setup) override {
    return std::make_unique<InventoryClient>(setup, options_);
  }

  std::unique_ptr<Generator> make_generator(int worker, Random rng, std::int64_t end_ns) override {
    const int items = options_.items;
    const std::int64_t max_q = options_.max_quantity;
    auto buys = std::make_unique<gen::Mix>(
        rng, std::vector<gen::Weighted>{{1, [items, max_q](Random& r) {
                                           return GeneratorStep::operation(
                                               "buy", item_key(r.uniform(0, items - 1)),
                                               std::to_string(r.uniform(1, max_q)));
                                         }}});
    std::unique_ptr<Generator> load = std::make_unique<gen::TimeLimit>(
        end_ns, std::make_unique<gen::ThinkTime>(rng, 0, options_.think_ns, std::move(buys)));
    std::optional<GeneratorStep> init;
    if (worker == 0) init = GeneratorStep::operation("init", std::nullopt, init_value());
    return std::make_unique<gen::TimeLimit>(
        end_ns, std::make_unique<gen::AfterInit>(seeded_, std::move(init), std::move(load)));
  }

  std::unique_ptr<Generator> make_final_generator(int worker, std::int64_t) override {
    if (worker != 0) return nullptr;
    std::vector<GeneratorStep> reads;
    for (int i = 0; i < options_.items; ++i)
      reads.push_back(GeneratorStep::operation("read", item_key(i)));
    return std::make_unique<gen::Sequence>(std::move(reads));
  }

  std::vector<Hook> hooks() const override { return {kHookBeforeBuy, kHookBetweenGetAndDecr}; }
  std::vector<Hook> pause_hooks() const override {
    if (options_.variant == InventoryVariant::kGetDecr) return {kHookBetweenGetAndDecr};
    return {kHookBeforeBuy};
  }

  nlohmann::json describe() const override {
    nlohmann::json d = {
        {"variant", options_.variant == InventoryVariant::kLua ? "lua" : "get-decr"},
        {"items", options_.items},
        {"stock", options_.stock},
        {"max_quantity", options_.max_quantity},
        {"think_ns", options_.think_ns}};
    if (options_.script) d["script"] = options_.script->path;
    return d;
  }

 private:
  // {"item:{0}": stock, ...}: the init operation's value and what it sets.
  std::string init_value() const {
    std::vector<std::string> keys;
    for (int i = 0; i < options_.items; ++i) keys.push_back(item_key(i));
    return gen::seed_value(keys, options_.stock);
  }

  InventoryOptions options_;
  std::shared_ptr<std::atomic<bool>> seeded_;
};

}  // namespace

WorkloadInfo inventory_workload_info() {
  WorkloadInfo info;
  info.name = "inventory";
  info.summary = "first-come-first-served stock: buyers race to buy items seeded by init";
  info.variants = {
      {"lua", "check-and-decrement in one Lua script", false, ""},
      {"get-decr", "GET, compare, DECRBY (not atomic)", true, ""},
  };
  info.knobs = {
      {"items", KnobType::kCount, "4", "items on sale (keys item:{N})", 1},
      {"stock", KnobType::kCount, "100", "initial stock of each item", 1},
      {"max-quantity", KnobType::kCount, "3", "a buy asks for 1 to this many units", 1},
      {"think", KnobType::kDuration, "1ms", "longest pause between a buyer's purchases"},
  };
  info.make = [](const WorkloadConfig& config) -> std::unique_ptr<Workload> {
    return std::make_unique<InventoryWorkload>(options_of(config));
  };
  info.checkers = [](const CheckerSetup&) {
    CheckerList out;
    out.push_back(std::make_unique<InventoryChecker>());
    return out;
  };
  info.contract =
      "history: init {item: stock, ...} (process 0, first); buy (item) quantity -> true sold | "
      "false sold out; read (item, final) -> stock or null. A buy that finds its key missing "
      "reloads the initial stock (SET NX) and tries once more.\n"
      "--script (variant lua): KEYS[1] item key, ARGV[1] quantity ({quantity} in "
      "--script-argv); return 1 sold, 0 sold out (an integer, or a table whose first element is "
      "one).";
  return info;
}

}  // namespace redproof::inventory

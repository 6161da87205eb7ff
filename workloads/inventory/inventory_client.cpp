#include "workloads/inventory/inventory_client.hpp"

#include <nlohmann/json.hpp>

#include "redis/command_encoder.hpp"
#include "workloads/inventory/inventory_hooks.hpp"

namespace redproof::inventory {

namespace {

// Check-and-decrement in one step: sell only when the stock covers the quantity.
const redis::Script& buy_script() {
  static const redis::Script script(
      "local s = tonumber(redis.call('get', KEYS[1])) "
      "if s and s >= tonumber(ARGV[1]) then redis.call('decrby', KEYS[1], ARGV[1]) return 1 end "
      "return 0");
  return script;
}

Completion sold(bool yes) {
  return Completion::ok(yes ? "true" : "false");
}

}  // namespace

boost::asio::awaitable<Completion> InventoryClient::invoke(const Op& invoke) {
  if (invoke.f == "init") co_return co_await init(invoke);
  if (!invoke.key) co_return Completion::fail("operation without an item key");
  if (invoke.f == "read") co_return co_await read(*invoke.key);
  if (invoke.f == "buy") {
    std::int64_t quantity = 0;
    try {
      quantity = std::stoll(invoke.value);
    } catch (const std::exception&) {
      co_return Completion::fail("buy value is not a quantity");
    }
    co_return co_await buy(*invoke.key, quantity);
  }
  co_return Completion::fail("unknown operation " + invoke.f);
}

boost::asio::awaitable<Completion> InventoryClient::init(const Op& invoke) {
  auto stock = nlohmann::json::parse(invoke.value, nullptr, false);
  if (!stock.is_object() || stock.empty()) co_return Completion::fail("init value is not a map");
  std::vector<std::string> mset{"MSET"};
  for (const auto& [key, n] : stock.items()) {
    mset.push_back(key);
    mset.push_back(n.dump());
  }
  auto r = co_await connection_.exec(std::move(mset));
  if (!r.ok()) co_return completion_for_failure(r);
  co_return Completion::ok();
}

boost::asio::awaitable<Completion> InventoryClient::buy(const std::string& key,
                                                        std::int64_t quantity) {
  co_await setup_.hook(kHookBeforeBuy);
  for (int attempt = 0; attempt < 2; ++attempt) {
    // (No co_await inside ?: — GCC 12 miscompiles it.)
    std::optional<Completion> done;
    if (options_.variant == InventoryVariant::kLua) {
      done = co_await buy_lua(key, quantity);
    } else {
      done = co_await buy_get_decr(key, quantity);
    }
    if (done) co_return std::move(*done);
    // The stock key is gone (a restart, an eviction): the application reloads it from the
    // database, whose stock is the campaign's initial one, and tries once more.
    if (!co_await reload(key)) break;
  }
  co_return Completion::ok("false");  // nothing sold: the key stayed missing
}

boost::asio::awaitable<std::optional<Completion>> InventoryClient::buy_lua(const std::string& key,
                                                                           std::int64_t quantity) {
  const std::string q = std::to_string(quantity);
  redis::Result r;
  if (user_script_) {
    std::map<std::string, std::string> ours;
    ours.emplace("quantity", q);
    auto argv = user_script_argv(options_.script->argv_template, {"quantity"}, ours);
    r = co_await connection_.eval(*user_script_, redis::command(key), std::move(argv));
  } else {
    r = co_await connection_.eval(buy_script(), redis::command(key), redis::command(q));
  }
  if (!r.ok()) co_return completion_for_failure(r);
  auto decision = user_script_decision(r.reply);
  if (!decision) co_return Completion::info("script returned " + r.reply.describe());
  if (*decision) co_return sold(true);
  auto e = co_await connection_.exec(redis::command("EXISTS", key));
  // The script already said "sold out"; only a missing key earns a reload and a retry.
  if (e.ok() && e.reply.as_integer() == 0) co_return std::nullopt;
  co_return sold(false);
}

boost::asio::awaitable<std::optional<Completion>> InventoryClient::buy_get_decr(
    const std::string& key, std::int64_t quantity) {
  auto g = co_await connection_.exec(redis::command("GET", key));
  if (!g.ok()) co_return completion_for_failure(g);
  if (g.reply.is_nil()) co_return std::nullopt;
  auto stock = g.reply.as_integer();
  if (!stock) co_return Completion::info("stock holds " + g.reply.describe());
  if (*stock < quantity) co_return sold(false);
  // The bug's window: another buyer may take the last units before our DECRBY.
  co_await setup_.hook(kHookBetweenGetAndDecr);
  auto d = co_await connection_.exec(redis::command("DECRBY", key, std::to_string(quantity)));
  if (!d.ok()) co_return completion_for_failure(d);
  co_return sold(true);
}

boost::asio::awaitable<bool> InventoryClient::reload(const std::string& key) {
  auto r =
      co_await connection_.exec(redis::command("SET", key, std::to_string(options_.stock), "NX"));
  co_return r.ok();
}

boost::asio::awaitable<Completion> InventoryClient::read(const std::string& key) {
  auto g = co_await connection_.exec(redis::command("GET", key));
  if (!g.ok()) co_return completion_for_failure(g);
  if (g.reply.is_nil()) co_return Completion::ok("null");
  auto stock = g.reply.as_integer();
  if (!stock) co_return Completion::info("stock holds " + g.reply.describe());
  co_return Completion::ok(std::to_string(*stock));
}

}  // namespace redproof::inventory

// The inventory workload's client: `init` (MSET of every item's stock), `buy` as the variant
// does it, and `read` (GET). A buy that finds its item's key missing reloads the stock from the
// "database" (the campaign's initial stock, SET NX), as a cache warmer does, and tries once
// more: that is how a restart without persistence or an eviction turns into an oversell.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "redis/connection.hpp"
#include "workloads/client.hpp"
#include "workloads/user_script.hpp"

namespace redproof::inventory {

enum class InventoryVariant { kLua, kGetDecr };

struct InventoryOptions {
  InventoryVariant variant = InventoryVariant::kLua;
  int items = 4;
  std::int64_t stock = 100;       // initial stock of each item
  std::int64_t max_quantity = 3;  // a buy asks for 1..max_quantity
  std::int64_t think_ns = 0;      // longest pause between a buyer's purchases
  std::optional<UserScript> script;
};

class InventoryClient : public Client {
 public:
  InventoryClient(const ClientSetup& setup, const InventoryOptions& options)
      : setup_(setup),
        options_(options),
        connection_(setup.executor, setup.endpoint, setup.connection) {
    if (options_.script) user_script_.emplace(options_.script->source);
  }

  boost::asio::awaitable<Completion> invoke(const Op& invoke) override;

 private:
  boost::asio::awaitable<Completion> init(const Op& invoke);
  boost::asio::awaitable<Completion> buy(const std::string& key, std::int64_t quantity);
  // One attempt; nullopt when the key is missing (so the caller may reload it and retry).
  boost::asio::awaitable<std::optional<Completion>> buy_lua(const std::string& key,
                                                            std::int64_t quantity);
  boost::asio::awaitable<std::optional<Completion>> buy_get_decr(const std::string& key,
                                                                 std::int64_t quantity);
  // SET key stock NX; false when the request failed.
  boost::asio::awaitable<bool> reload(const std::string& key);
  boost::asio::awaitable<Completion> read(const std::string& key);

  ClientSetup setup_;
  InventoryOptions options_;
  redis::Connection connection_;
  std::optional<redis::Script> user_script_;  // --script, in place of our check-and-decrement
};

}  // namespace redproof::inventory

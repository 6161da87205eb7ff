// The transfer workload's client: `init` (MSET of every account), `transfer` as the variant does
// it, and `read` (MGET of every account: atomic). A transfer refused for insufficient funds is a
// `fail`; so is one whose WATCH kept aborting past the retry limit (nothing was applied).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "redis/connection.hpp"
#include "workloads/client.hpp"

namespace redproof::transfer {

enum class TransferVariant { kWatchMulti, kNoWatch };

struct TransferOptions {
  TransferVariant variant = TransferVariant::kWatchMulti;
  int accounts = 5;
  std::int64_t balance = 100;    // initial balance of each account
  std::int64_t max_amount = 20;  // a transfer moves 1..max_amount
  double read_ratio = 0.1;       // share of operations that read every balance
  std::int64_t think_ns = 0;
  int retries = 100;  // WATCH aborts retried within one operation

  std::vector<std::string> keys() const;
};

class TransferClient : public Client {
 public:
  TransferClient(const ClientSetup& setup, const TransferOptions& options)
      : setup_(setup),
        options_(options),
        keys_(options.keys()),
        connection_(setup.executor, setup.endpoint, setup.connection) {}

  boost::asio::awaitable<Completion> invoke(const Op& invoke) override;

 private:
  struct Move {
    std::string from, to;
    std::int64_t amount = 0;
  };
  boost::asio::awaitable<Completion> init(const Op& invoke);
  boost::asio::awaitable<Completion> read();
  boost::asio::awaitable<Completion> watch_multi(const Move& m);
  // One WATCH ... EXEC attempt: nullopt when EXEC aborted (a watched key changed).
  boost::asio::awaitable<std::optional<Completion>> watch_multi_once(const Move& m);
  boost::asio::awaitable<Completion> no_watch(const Move& m);

  ClientSetup setup_;
  TransferOptions options_;
  std::vector<std::string> keys_;
  redis::Connection connection_;
};

}  // namespace redproof::transfer

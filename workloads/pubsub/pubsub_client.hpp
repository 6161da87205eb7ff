// The pubsub workload's client. A publisher's `publish` is PUBLISH of "<id> <padding>". A
// subscriber's connection is long-lived: `subscribe` (CONFIG SET of the pubsub output-buffer
// limit on each new connection, then SUBSCRIBE), `receive` (the next pushed message, read
// without a request: ok with its id; fail "nothing received" when none came within the wait;
// fail "subscription lost: ..." when the server dropped the connection), `unsubscribe` (ok once
// confirmed; info when the connection had been dropped). Messages that arrive while the
// UNSUBSCRIBE is being confirmed are kept and handed out by the `receive`s that follow it.
#pragma once

#include <deque>
#include <optional>
#include <string>

#include "redis/connection.hpp"
#include "workloads/client.hpp"

namespace redproof::pubsub {

struct PubsubClientOptions {
  std::int64_t payload_bytes = 0;
  std::int64_t output_limit_kb = 0;
  std::chrono::nanoseconds receive_wait{0};
};

class PubsubClient : public Client {
 public:
  PubsubClient(const ClientSetup& setup, PubsubClientOptions o)
      : setup_(setup), o_(o), connection_(setup.executor, setup.endpoint, setup.connection) {}

  boost::asio::awaitable<Completion> invoke(const Op& invoke) override;

 private:
  boost::asio::awaitable<Completion> publish(const Op& invoke);
  boost::asio::awaitable<Completion> subscribe(const std::string& channel);
  boost::asio::awaitable<Completion> receive(const std::string& channel);
  boost::asio::awaitable<Completion> unsubscribe(const std::string& channel);

  ClientSetup setup_;
  PubsubClientOptions o_;
  redis::Connection connection_;
  std::optional<std::string> subscribed_;  // the channel of the live subscription
  std::string lost_;                       // why the subscription was lost, when it was
  std::deque<std::string> arrived_;        // message ids kept while unsubscribing
};

}  // namespace redproof::pubsub

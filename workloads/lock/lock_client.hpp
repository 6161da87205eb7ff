// The lock workload's client: the Redis commands (and Lua) of each variant, and the holder's own
// belief about its validity (acquire invoke time + TTL minus drift), which it checks before
// writing to the protected resource, as a careful client does.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "redis/connection.hpp"
#include "workloads/client.hpp"
#include "workloads/lock/fenced_resource.hpp"
#include "workloads/lock/lock_hooks.hpp"
#include "workloads/lock/lock_options.hpp"

namespace redproof::lock {

class LockClient : public Client {
 public:
  LockClient(const ClientSetup& setup, const LockOptions& options,
             std::shared_ptr<FencedResource> resource);

  boost::asio::awaitable<Completion> invoke(const Op& invoke) override;

 private:
  struct Holding {
    std::string key;
    std::string owner;
    std::int64_t deadline_ns = 0;  // validity end as this client believes it
    std::optional<std::int64_t> fence;
  };

  boost::asio::awaitable<Completion> acquire(const Op& invoke, const std::string& owner);
  boost::asio::awaitable<Completion> write(const Op& invoke, const std::string& owner);
  boost::asio::awaitable<Completion> release(const Op& invoke, const std::string& owner);
  // A final read of the lock key: its owner and PTTL (-1: no expiry, -2: absent).
  boost::asio::awaitable<Completion> inspect(const Op& invoke);
  // `validity`: what the client believes it holds for, counted from the invoke (default: the
  // TTL less the drift allowance).
  Completion acquired(const Op& invoke, const std::string& owner, std::optional<std::int64_t> fence,
                      std::optional<std::chrono::milliseconds> validity = std::nullopt);
  // watchdog: extends the lease if it is still ours (fail "lease-lost" otherwise).
  boost::asio::awaitable<Completion> renew(const Op& invoke, const std::string& owner);
  // The compare-and-delete release (ours, or the user's --script): 1 released, 0 not the owner.
  boost::asio::awaitable<Completion> lua_release(const std::string& key, const std::string& owner);
  boost::asio::awaitable<Completion> redlock_acquire(const Op& invoke, const std::string& owner);
  // Lua release on every master; true when any of them still held it for `owner`.
  boost::asio::awaitable<bool> redlock_release(const std::string& key, const std::string& owner);

  ClientSetup setup_;
  LockOptions options_;
  std::shared_ptr<FencedResource> resource_;
  redis::Connection connection_;
  std::vector<std::unique_ptr<redis::Connection>> masters_;  // Redlock: one per master
  std::optional<Holding> holding_;
  std::optional<redis::Script> user_release_;  // --script
};

}  // namespace redproof::lock

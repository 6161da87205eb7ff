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
  Completion acquired(const Op& invoke, const std::string& owner,
                      std::optional<std::int64_t> fence);
  boost::asio::awaitable<Completion> redlock_acquire(const Op& invoke, const std::string& owner);
  // Lua release on every master; true when any of them still held it for `owner`.
  boost::asio::awaitable<bool> redlock_release(const std::string& key, const std::string& owner);

  ClientSetup setup_;
  LockOptions options_;
  std::shared_ptr<FencedResource> resource_;
  redis::Connection connection_;
  std::vector<std::unique_ptr<redis::Connection>> masters_;  // Redlock: one per master
  std::optional<Holding> holding_;
};

}  // namespace redproof::lock

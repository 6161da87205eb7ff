// The register workload's client: GET and SET of integers, and a compare-and-set in Lua.
#pragma once

#include "redis/connection.hpp"
#include "workloads/client.hpp"
#include "workloads/register/register_options.hpp"

namespace redproof::reg {

class RegisterClient : public Client {
 public:
  // `ttl`: every write sets it (zero: none), so that eviction under volatile-lru can strike.
  RegisterClient(const ClientSetup& setup, std::chrono::milliseconds ttl)
      : connection_(setup.executor, setup.endpoint, setup.connection),
        ttl_ms_(std::to_string(ttl.count())) {}

  boost::asio::awaitable<Completion> invoke(const Op& invoke) override;

 private:
  redis::Connection connection_;
  std::string ttl_ms_;  // "0": writes carry no TTL
};

}  // namespace redproof::reg

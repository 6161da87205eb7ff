// The register workload's client: GET and SET of integers, and a compare-and-set in Lua.
#pragma once

#include "redis/connection.hpp"
#include "workloads/client.hpp"
#include "workloads/register/register_options.hpp"

namespace redproof::reg {

class RegisterClient : public Client {
 public:
  explicit RegisterClient(const ClientSetup& setup)
      : connection_(setup.executor, setup.endpoint, setup.connection) {}

  boost::asio::awaitable<Completion> invoke(const Op& invoke) override;

 private:
  redis::Connection connection_;
};

}  // namespace redproof::reg

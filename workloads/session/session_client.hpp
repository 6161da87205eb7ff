// The session workload's client: login (HSET + PEXPIRE in one MULTI/EXEC), refresh (HGETALL +
// PEXPIRE in one MULTI/EXEC: the sliding TTL, which never recreates a session that is gone),
// logout (DEL).
#pragma once

#include <string>
#include <vector>

#include "redis/connection.hpp"
#include "workloads/client.hpp"

namespace redproof::session {

class SessionClient : public Client {
 public:
  explicit SessionClient(const ClientSetup& setup)
      : setup_(setup), connection_(setup.executor, setup.endpoint, setup.connection) {}

  boost::asio::awaitable<Completion> invoke(const Op& invoke) override;

 private:
  // MULTI, the commands, EXEC: the EXEC's result. A failure before EXEC was sent applied
  // nothing (the server discards a transaction whose connection closes).
  boost::asio::awaitable<redis::Result> transaction(std::vector<std::vector<std::string>> cmds);

  ClientSetup setup_;
  redis::Connection connection_;
};

}  // namespace redproof::session

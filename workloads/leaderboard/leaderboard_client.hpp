// The leaderboard workload's client: incr (ZINCRBY -> the new score), top (ZREVRANGE WITHSCORES
// -> [[member, score], ...] best first), read (ZRANGE WITHSCORES -> {member: score}).
#pragma once

#include "redis/connection.hpp"
#include "workloads/client.hpp"

namespace redproof::leaderboard {

class LeaderboardClient : public Client {
 public:
  explicit LeaderboardClient(const ClientSetup& setup)
      : setup_(setup), connection_(setup.executor, setup.endpoint, setup.connection) {}

  boost::asio::awaitable<Completion> invoke(const Op& invoke) override;

 private:
  ClientSetup setup_;
  redis::Connection connection_;
};

}  // namespace redproof::leaderboard

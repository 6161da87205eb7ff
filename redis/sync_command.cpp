#include "redis/sync_command.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <optional>

#include "redis/connection.hpp"

namespace redproof::redis {

Reply sync_command(const Endpoint& endpoint, std::vector<std::string> args,
                   std::chrono::milliseconds timeout,
                   std::shared_ptr<const ConnectionSecurity> security) {
  boost::asio::io_context io;
  ConnectionOptions options;
  options.connect_timeout = timeout;
  options.request_timeout = timeout;
  options.security = std::move(security);
  Connection connection(io.get_executor(), endpoint, options);
  std::optional<Result> result;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> { result = co_await connection.exec(std::move(args)); },
      boost::asio::detached);
  io.run();
  if (!result || result->certainty != Certainty::kReplied) {
    throw CommandError(endpoint.to_string() + ": " + (result ? result->error : "no reply"));
  }
  return std::move(result->reply);
}

}  // namespace redproof::redis

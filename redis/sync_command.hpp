// One command, blocking, for set-up and control paths (waiting for a server to answer, INFO,
// SHUTDOWN, CONFIG SET) where no event loop is running. Not for load: workers use Connection.
#pragma once

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "redis/connection_security.hpp"
#include "redis/endpoint.hpp"
#include "redis/reply.hpp"

namespace redproof::redis {

class CommandError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The server's reply (an error reply is returned, not thrown). Throws CommandError, with the
// endpoint in the message, when there was no reply (refused, timed out, closed, AUTH or the TLS
// handshake failed). `security`: AUTH and TLS for a server the harness did not start.
Reply sync_command(const Endpoint& endpoint, std::vector<std::string> args,
                   std::chrono::milliseconds timeout,
                   std::shared_ptr<const ConnectionSecurity> security = nullptr);

}  // namespace redproof::redis

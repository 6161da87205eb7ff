// What a connection to a server the harness did not start needs beyond an address: credentials
// for AUTH and, for TLS, the trust settings. Light on purpose (no OpenSSL, no Asio): it travels
// in ConnectionOptions, which every workload includes.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace redproof::redis {

class TlsContext;  // redis/tls_context.hpp

struct ConnectionSecurity {
  // An ACL user; empty: AUTH with the password alone, which Redis checks against the default
  // user (requirepass).
  std::string user;
  // Empty: no AUTH. Never printed, logged or recorded: run.json says only that one is set.
  std::string password;
  // Null: plain TCP.
  std::shared_ptr<const TlsContext> tls;

  bool authenticates() const { return !password.empty(); }
  // AUTH [user] password, sent first on every connection.
  std::vector<std::string> auth_command() const;
};

}  // namespace redproof::redis

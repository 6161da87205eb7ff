#include "redis/connection_security.hpp"

namespace redproof::redis {

std::vector<std::string> ConnectionSecurity::auth_command() const {
  if (user.empty()) return {"AUTH", password};
  return {"AUTH", user, password};
}

}  // namespace redproof::redis

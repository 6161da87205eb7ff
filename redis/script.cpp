// Script's SHA1, as Redis computes it for EVALSHA, with Boost's SHA1 (Boost.UUID's detail
// header: Boost has no public SHA1, and hand-writing one would be worse).
#include <boost/uuid/detail/sha1.hpp>
#include <cstdio>

#include "redis/connection.hpp"

namespace redproof::redis {

Script::Script(std::string source) : source_(std::move(source)) {
  boost::uuids::detail::sha1 sha;
  sha.process_bytes(source_.data(), source_.size());
  unsigned int digest[5];
  sha.get_digest(digest);
  char hex[41];
  for (int i = 0; i < 5; ++i) std::snprintf(hex + 8 * i, 9, "%08x", digest[i]);
  sha1_.assign(hex, 40);
}

}  // namespace redproof::redis

// Where a Redis server listens.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace redproof::redis {

struct Endpoint {
  std::string host = "127.0.0.1";
  std::uint16_t port = 6379;
  std::string to_string() const { return host + ":" + std::to_string(port); }
  bool operator==(const Endpoint&) const = default;
};

// Endpoints by the "host:port" text of another address (a server's own → its proxy's).
using AddressMap = std::map<std::string, Endpoint>;

}  // namespace redproof::redis

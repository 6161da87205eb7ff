#include "driver/topology/external_topology.hpp"

#include <charconv>
#include <stdexcept>

#include "redis/sync_command.hpp"

namespace redproof {

redis::Endpoint parse_endpoint(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    throw std::invalid_argument("--target " + text + ": expected HOST:PORT");
  }
  unsigned port = 0;
  const char* begin = text.data() + colon + 1;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, port);
  if (ec != std::errc() || ptr != end || port == 0 || port > 65535) {
    throw std::invalid_argument("--target " + text + ": bad port");
  }
  redis::Endpoint e;
  e.host = text.substr(0, colon);
  e.port = static_cast<std::uint16_t>(port);
  return e;
}

void ExternalTopology::setup() {
  try {
    auto info = redis::sync_command(endpoint_, {"INFO", "server"}, std::chrono::milliseconds(2000));
    auto pos = info.str.find("redis_version:");
    if (pos != std::string::npos) {
      auto end = info.str.find_first_of("\r\n", pos);
      version_ = info.str.substr(pos + 14, end - pos - 14);
    }
  } catch (const std::exception& e) {
    throw std::runtime_error("--target " + endpoint_.to_string() + " does not answer: " + e.what());
  }
}

nlohmann::json ExternalTopology::describe() const {
  return {{"kind", "target"},
          {"nodes", {{{"name", "target"}, {"endpoint", endpoint_.to_string()}}}},
          {"server_version", version_}};
}

}  // namespace redproof

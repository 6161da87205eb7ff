#include "redis/cluster_routing.hpp"

#include <strings.h>
#include <array>
#include <charconv>

namespace redproof::redis {

namespace {

constexpr std::array<std::uint16_t, 256> make_crc16_table() {
  std::array<std::uint16_t, 256> t{};
  for (int i = 0; i < 256; ++i) {
    std::uint16_t crc = static_cast<std::uint16_t>(i << 8);
    for (int b = 0; b < 8; ++b) {
      crc = static_cast<std::uint16_t>((crc & 0x8000) ? (crc << 1) ^ 0x1021 : crc << 1);
    }
    t[static_cast<std::size_t>(i)] = crc;
  }
  return t;
}

constexpr auto kCrc16Table = make_crc16_table();

bool equals_ignoring_case(std::string_view a, const char* b) {
  return a.size() == std::char_traits<char>::length(b) && strncasecmp(a.data(), b, a.size()) == 0;
}

}  // namespace

std::uint16_t crc16(std::string_view data) {
  std::uint16_t crc = 0;
  for (unsigned char c : data) {
    crc = static_cast<std::uint16_t>((crc << 8) ^ kCrc16Table[((crc >> 8) ^ c) & 0xff]);
  }
  return crc;
}

std::uint16_t key_slot(std::string_view key) {
  const auto open = key.find('{');
  if (open != std::string_view::npos) {
    const auto close = key.find('}', open + 1);
    if (close != std::string_view::npos && close > open + 1) {
      key = key.substr(open + 1, close - open - 1);
    }
  }
  return crc16(key) % kClusterSlots;
}

std::optional<std::string_view> command_key(const std::vector<std::string>& args) {
  if (args.empty()) return std::nullopt;
  const std::string_view verb = args[0];
  if (equals_ignoring_case(verb, "EVAL") || equals_ignoring_case(verb, "EVALSHA") ||
      equals_ignoring_case(verb, "FCALL")) {
    if (args.size() < 4 || args[2] == "0") return std::nullopt;
    return std::string_view(args[3]);
  }
  static constexpr const char* kKeyless[] = {
      "PING",   "INFO",     "CLUSTER", "CONFIG",  "SCRIPT",  "CLIENT",  "TIME",
      "DBSIZE", "MULTI",    "EXEC",    "DISCARD", "ASKING",  "HELLO",   "AUTH",
      "SELECT", "FLUSHALL", "ROLE",    "DEBUG",   "COMMAND", "READONLY"};
  for (const char* k : kKeyless) {
    if (equals_ignoring_case(verb, k)) return std::nullopt;
  }
  if (args.size() < 2) return std::nullopt;
  return std::string_view(args[1]);
}

std::optional<Redirect> parse_redirect(std::string_view error) {
  Redirect r;
  if (error.rfind("MOVED ", 0) == 0) {
    error.remove_prefix(6);
  } else if (error.rfind("ASK ", 0) == 0) {
    r.ask = true;
    error.remove_prefix(4);
  } else {
    return std::nullopt;
  }
  const auto space = error.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  unsigned slot = 0;
  auto [p, ec] = std::from_chars(error.data(), error.data() + space, slot);
  if (ec != std::errc() || p != error.data() + space || slot >= kClusterSlots) return std::nullopt;
  r.slot = static_cast<std::uint16_t>(slot);
  const std::string_view address = error.substr(space + 1);
  const auto colon = address.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  unsigned port = 0;
  auto [q, ec2] =
      std::from_chars(address.data() + colon + 1, address.data() + address.size(), port);
  if (ec2 != std::errc() || q != address.data() + address.size() || port == 0 || port > 65535) {
    return std::nullopt;
  }
  r.endpoint.host = std::string(address.substr(0, colon));
  r.endpoint.port = static_cast<std::uint16_t>(port);
  return r;
}

}  // namespace redproof::redis

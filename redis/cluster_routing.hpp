// The pure parts of talking to a Redis Cluster: which hash slot a key lives in (CRC16 of the key
// or of its {hash tag}, mod 16384), which argument of a command is its key, and what a MOVED or
// ASK redirection says. No I/O: Connection uses these to route and follow redirections.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "redis/endpoint.hpp"

namespace redproof::redis {

inline constexpr std::uint16_t kClusterSlots = 16384;

// CRC16-CCITT (XModem), as Redis Cluster uses it.
std::uint16_t crc16(std::string_view data);
// The slot of `key`, honouring a non-empty {hash tag}.
std::uint16_t key_slot(std::string_view key);
// The key that decides where `args` go: the first key of EVAL/EVALSHA, none for commands that
// take no key (PING, INFO, CLUSTER, ...), else the first argument.
std::optional<std::string_view> command_key(const std::vector<std::string>& args);

struct Redirect {
  bool ask = false;  // ASK: this request only, after ASKING; MOVED: the slot's new owner
  std::uint16_t slot = 0;
  Endpoint endpoint;
};
// Parses "MOVED 3999 127.0.0.1:6381" / "ASK ..."; nullopt for any other error text.
std::optional<Redirect> parse_redirect(std::string_view error);

}  // namespace redproof::redis

// The server's own figures around a benchmark, from INFO: its version, memory, CPU and commands
// before and after the load, and what the load cost it (commands processed, CPU per command).
// For run.json; asked once before and once after the load, never during it.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "redis/endpoint.hpp"

namespace redproof::load {

// {"redis_version", "role", "used_memory", "used_memory_peak", "used_cpu_user", "used_cpu_sys",
//  "total_commands_processed", "keys"}; {"error": why} when the server did not answer INFO.
nlohmann::json server_info(const redis::Endpoint& endpoint);

// The INFO text as figures (the parser alone, for tests).
nlohmann::json server_info_from_text(const std::string& info);

// {"commands", "cpu_s", "cpu_us_per_command", "used_memory"} between two server_info() readings;
// empty when either failed.
nlohmann::json server_usage(const nlohmann::json& before, const nlohmann::json& after);

// A topology of several servers (replicas, a cluster's masters): each one's INFO figures,
// [{"name", "endpoint", "info"}], read once before and once after the load, so that where the
// load went is the servers' own count, not the client's.
nlohmann::json servers_info(const std::vector<std::pair<std::string, redis::Endpoint>>& servers);

// [{"name", "endpoint", "role", "usage": server_usage(...)}] pairing two servers_info() readings.
nlohmann::json servers_usage(const nlohmann::json& before, const nlohmann::json& after);

// "  servers      n1 (master) 113024 commands, 27274 keys\n" per server; "" for none.
std::string servers_text(const nlohmann::json& usage);

}  // namespace redproof::load

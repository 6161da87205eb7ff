// The server's own figures around a benchmark, from INFO: its version, memory, CPU and commands
// before and after the load, and what the load cost it (commands processed, CPU per command).
// For run.json; asked once before and once after the load, never during it.
#pragma once

#include <nlohmann/json.hpp>

#include "redis/endpoint.hpp"

namespace redproof::load {

// {"redis_version", "used_memory", "used_memory_peak", "used_cpu_user", "used_cpu_sys",
//  "total_commands_processed", "keys"}; {"error": why} when the server did not answer INFO.
nlohmann::json server_info(const redis::Endpoint& endpoint);

// The INFO text as figures (the parser alone, for tests).
nlohmann::json server_info_from_text(const std::string& info);

// {"commands", "cpu_s", "cpu_us_per_command", "used_memory"} between two server_info() readings;
// empty when either failed.
nlohmann::json server_usage(const nlohmann::json& before, const nlohmann::json& after);

}  // namespace redproof::load

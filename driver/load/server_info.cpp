#include "driver/load/server_info.hpp"

#include <fmt/format.h>

#include <sstream>

#include "redis/sync_command.hpp"

namespace redproof::load {

namespace {

// "db0:keys=100,expires=0,avg_ttl=0" -> 100.
std::uint64_t keys_of(const std::string& keyspace_value) {
  const auto at = keyspace_value.find("keys=");
  return at == std::string::npos ? 0 : std::stoull(keyspace_value.substr(at + 5));
}

}  // namespace

nlohmann::json server_info_from_text(const std::string& info) {
  nlohmann::json out = nlohmann::json::object();
  std::uint64_t keys = 0;
  std::istringstream lines(info);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto colon = line.find(':');
    if (line.empty() || line[0] == '#' || colon == std::string::npos) continue;
    const std::string key = line.substr(0, colon), value = line.substr(colon + 1);
    try {
      if (key == "redis_version" || key == "role") out[key] = value;
      if (key == "used_memory" || key == "used_memory_peak" || key == "total_commands_processed") {
        out[key] = std::stoull(value);
      }
      if (key == "used_cpu_user" || key == "used_cpu_sys") out[key] = std::stod(value);
      if (key.rfind("db", 0) == 0) keys += keys_of(value);
    } catch (const std::exception&) {
      // A figure in a form this version does not know: left out, not guessed.
    }
  }
  out["keys"] = keys;
  return out;
}

nlohmann::json server_info(const redis::Endpoint& endpoint) {
  try {
    const redis::Reply reply = redis::sync_command(endpoint, {"INFO"}, std::chrono::seconds(2));
    if (reply.is_error()) return {{"error", reply.str}};
    return server_info_from_text(reply.str);
  } catch (const std::exception& e) {
    return {{"error", e.what()}};
  }
}

nlohmann::json server_usage(const nlohmann::json& before, const nlohmann::json& after) {
  if (before.contains("error") || after.contains("error") ||
      !before.contains("total_commands_processed") || !after.contains("total_commands_processed")) {
    return nlohmann::json::object();
  }
  // INFO itself is one command of the difference.
  const std::uint64_t commands = after["total_commands_processed"].get<std::uint64_t>() -
                                 before["total_commands_processed"].get<std::uint64_t>() - 1;
  const double cpu = after.value("used_cpu_user", 0.0) + after.value("used_cpu_sys", 0.0) -
                     before.value("used_cpu_user", 0.0) - before.value("used_cpu_sys", 0.0);
  return {{"commands", commands},
          {"cpu_s", cpu},
          {"cpu_us_per_command", commands ? cpu * 1e6 / static_cast<double>(commands) : 0.0},
          {"used_memory", after.value("used_memory", std::uint64_t{0})},
          {"used_memory_peak", after.value("used_memory_peak", std::uint64_t{0})},
          {"keys", after.value("keys", std::uint64_t{0})}};
}

nlohmann::json servers_info(const std::vector<std::pair<std::string, redis::Endpoint>>& servers) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [name, endpoint] : servers) {
    out.push_back(
        {{"name", name}, {"endpoint", endpoint.to_string()}, {"info", server_info(endpoint)}});
  }
  return out;
}

nlohmann::json servers_usage(const nlohmann::json& before, const nlohmann::json& after) {
  nlohmann::json out = nlohmann::json::array();
  if (!before.is_array() || !after.is_array() || before.size() != after.size()) return out;
  for (std::size_t i = 0; i < before.size(); ++i) {
    const nlohmann::json& a = after[i]["info"];
    out.push_back({{"name", after[i].value("name", "")},
                   {"endpoint", after[i].value("endpoint", "")},
                   {"role", a.value("role", std::string("unknown"))},
                   {"usage", server_usage(before[i]["info"], a)}});
  }
  return out;
}

std::string servers_text(const nlohmann::json& usage) {
  std::string out;
  for (const nlohmann::json& s : usage) {
    const nlohmann::json& u = s["usage"];
    const std::string figures =
        u.contains("commands")
            ? fmt::format("{} commands, {} keys", u["commands"].get<std::uint64_t>(),
                          u["keys"].get<std::uint64_t>())
            : std::string("no INFO figures");
    out += fmt::format("  {:<12} {} ({}) {}\n", out.empty() ? "servers" : "", s.value("name", ""),
                       s.value("role", ""), figures);
  }
  return out;
}

}  // namespace redproof::load

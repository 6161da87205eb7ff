#include "results/replay_command.hpp"

#include <nlohmann/json.hpp>

namespace redproof {

std::string shell_word(const std::string& word) {
  const bool plain_word =
      !word.empty() && word.find_first_not_of(
                           "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                           "0123456789_./:=,+-") == std::string::npos;
  if (plain_word) return word;
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

namespace {

std::string text(const nlohmann::json& j, const char* name) {
  return j.contains(name) && j[name].is_string() ? j[name].get<std::string>() : std::string();
}

void flag(std::string& out, const char* name, const std::string& value) {
  if (!value.empty()) out += std::string(" ") + name + " " + shell_word(value);
}

}  // namespace

std::string replay_command(const nlohmann::json& c) {
  if (!c.is_object()) return {};
  std::string out = "redproof run " + shell_word(text(c, "workload"));
  flag(out, "--variant", text(c, "variant"));
  if (c.contains("faults") && c["faults"].is_array()) {
    std::string faults;
    for (const auto& f : c["faults"]) faults += (faults.empty() ? "" : ",") + f.get<std::string>();
    flag(out, "--fault", faults);
  }
  if (c.contains("time_ms") && c["time_ms"].is_number()) {
    flag(out, "--time", std::to_string(c["time_ms"].get<std::int64_t>()) + "ms");
  }
  if (c.contains("clients")) flag(out, "--clients", c["clients"].dump());
  if (c.contains("topology") && c["topology"].is_object()) {
    flag(out, "--topology", text(c["topology"], "kind"));
  }
  if (c.contains("params") && c["params"].is_object()) {
    for (const auto& [k, v] : c["params"].items()) {
      flag(out, "--param", k + "=" + (v.is_string() ? v.get<std::string>() : v.dump()));
    }
  }
  flag(out, "--fault-at", text(c, "fault_at"));
  if (c.contains("slos") && c["slos"].is_array()) {
    for (const auto& s : c["slos"]) flag(out, "--slo", s.get<std::string>());
  }
  if (c.contains("seed")) flag(out, "--seed", c["seed"].dump());
  return out;
}

}  // namespace redproof

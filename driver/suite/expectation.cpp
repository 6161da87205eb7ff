#include "driver/suite/expectation.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace redproof::suite {

namespace {

std::string verdict_of(const nlohmann::json& v) {
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return "unknown";
}

void add_name(std::vector<std::string>& names, const nlohmann::json& anomaly) {
  std::string name;
  if (anomaly.is_object() && anomaly.contains("name") && anomaly["name"].is_string()) {
    name = anomaly["name"].get<std::string>();
  } else if (anomaly.is_string()) {
    name = anomaly.get<std::string>();
  }
  if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end()) {
    names.push_back(std::move(name));
  }
}

}  // namespace

Observed observe_results(const nlohmann::json& results) {
  Observed o;
  o.valid =
      results.is_object() && results.contains("valid") ? verdict_of(results["valid"]) : "unknown";
  if (!results.is_object()) return o;
  bool named = false;
  if (results.contains("anomalies") && results["anomalies"].is_array()) {
    named = true;
    for (const auto& a : results["anomalies"]) add_name(o.anomalies, a);
  }
  const auto checkers = results.find("checkers");
  if (checkers == results.end() || !checkers->is_object()) return o;
  if (!named) {
    for (const auto& [checker, c] : checkers->items()) {
      if (c.is_object() && c.contains("anomalies") && c["anomalies"].is_array()) {
        named = true;
        for (const auto& a : c["anomalies"]) add_name(o.anomalies, a);
      }
    }
  }
  if (!named) {
    // Before anomalies had names of their own, an invalid checker was the anomaly.
    for (const auto& [checker, c] : checkers->items()) {
      if (c.is_object() && c.contains("valid") && c["valid"].is_boolean() &&
          !c["valid"].get<bool>()) {
        add_name(o.anomalies, nlohmann::json(checker));
      }
    }
  }
  return o;
}

std::optional<std::string> mismatch(const Expectation& expect, const Observed& observed) {
  if (expect.valid != observed.valid) {
    return "expected valid=" + expect.valid + ", got " + observed.valid +
           (observed.anomalies.empty()
                ? ""
                : " (" + describe_verdict(observed.valid, observed.anomalies) + ")");
  }
  std::vector<std::string> missing;
  for (const auto& name : expect.anomalies) {
    if (std::find(observed.anomalies.begin(), observed.anomalies.end(), name) ==
        observed.anomalies.end()) {
      missing.push_back(name);
    }
  }
  if (missing.empty()) return std::nullopt;
  std::string out = missing.size() == 1 ? "anomaly " : "anomalies ";
  for (std::size_t i = 0; i < missing.size(); ++i) out += (i ? ", \"" : "\"") + missing[i] + "\"";
  out += " not found (found: ";
  if (observed.anomalies.empty()) out += "none";
  for (std::size_t i = 0; i < observed.anomalies.size(); ++i)
    out += (i ? ", " : "") + observed.anomalies[i];
  return out + ")";
}

std::string describe_verdict(const std::string& valid, const std::vector<std::string>& anomalies) {
  std::string out = valid == "true" ? "valid" : valid == "false" ? "invalid" : valid;
  for (std::size_t i = 0; i < anomalies.size(); ++i) out += (i ? ", " : " + ") + anomalies[i];
  return out;
}

}  // namespace redproof::suite

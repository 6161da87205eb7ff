#include "checkers/anomaly.hpp"

namespace redproof {

nlohmann::json to_json(const Anomaly& a) {
  nlohmann::json j = {{"name", a.name},       {"key", a.key},          {"ops", a.ops},
                      {"from_ns", a.from_ns}, {"to_ns", a.to_ns},      {"magnitude", a.magnitude},
                      {"faults", a.faults},   {"sentence", a.sentence}};
  if (!a.violation) j["violation"] = false;
  return j;
}

Anomaly anomaly_from_json(const nlohmann::json& j) {
  Anomaly a;
  a.name = j.at("name").get<std::string>();
  a.key = j.value("key", std::string());
  a.ops = j.value("ops", std::vector<std::int64_t>{});
  a.from_ns = j.value("from_ns", std::int64_t{0});
  a.to_ns = j.value("to_ns", std::int64_t{0});
  a.magnitude = j.value("magnitude", nlohmann::json::object());
  a.faults = j.value("faults", std::vector<std::string>{});
  a.sentence = j.value("sentence", std::string());
  a.violation = j.value("violation", true);
  return a;
}

}  // namespace redproof

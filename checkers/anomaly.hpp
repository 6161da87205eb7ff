// One finding of a checker, in the vocabulary every reporter renders the same way: its name (from
// ../shared/spec/patterns.md), the key, the operations involved (history indexes), when, by how
// much, the faults active then, and one plain sentence. Reporters never know a checker by name:
// the console summary prints the sentences, results.json the values, and report.html draws the
// operations around each anomaly from `ops`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace redproof {

struct Anomaly {
  std::string name;               // "double-holder", "over-admission", ...
  std::string key;                // the lock, item, queue...; empty when none applies
  std::vector<std::int64_t> ops;  // `index` of the history events involved
  std::int64_t from_ns = 0;       // the period it concerns, on the history's clock
  std::int64_t to_ns = 0;
  nlohmann::json magnitude = nlohmann::json::object();  // {"overlap_ms": 212.4}, ...
  std::vector<std::string> faults;                      // active then; ["none"] when none
  std::string sentence;                                 // what happened, for a person
  // False for a note that does not make the run invalid (a fixed window's boundary burst,
  // duplicates of an at-least-once queue): reported, counted, never a violation.
  bool violation = true;
};

nlohmann::json to_json(const Anomaly& a);
// Throws nlohmann::json::exception on a value of the wrong shape.
Anomaly anomaly_from_json(const nlohmann::json& j);

}  // namespace redproof

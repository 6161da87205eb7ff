// Workload knobs declared once: a workload lists its knobs (name, type, default, summary) in one
// table, and parsing, validation with one-line errors, `redproof list`, `--help` and run.json all
// come from that table. `--param NAME=VALUE` on the command line and `"params"` in a suite plan
// set them; checkers read the same values offline (`check --workload NAME --param ...`).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace redproof {

enum class KnobType {
  kDuration,  // "500ms", "2s"; at least `min` milliseconds
  kCount,     // a whole number, at least `min`
  kNumber,    // a decimal number, at least `min`
  kRatio,     // a decimal number in [0, 1]
  kString,    // any text (a distribution name, a script path)
};

std::string_view knob_type_name(KnobType type);  // "duration", "count", ...

struct Knob {
  std::string name;
  KnobType type = KnobType::kString;
  std::string default_value;
  std::string summary;
  double min = 0;  // durations: in ms; counts and numbers: the smallest allowed value
};

// The knobs of one workload with every value resolved (the given ones over the defaults) and
// validated. Typed getters throw std::logic_error for a knob the table does not declare: that is
// a programming error, not the user's.
class KnobValues {
 public:
  KnobValues() = default;
  // Throws std::invalid_argument with one line ("--param ttl=abc: expected a duration such as
  // 500ms or 2s") for an unknown knob or a bad value.
  KnobValues(std::string_view workload, const std::vector<Knob>& table,
             const std::map<std::string, std::string>& given);

  std::chrono::milliseconds milliseconds(std::string_view name) const;
  std::chrono::nanoseconds duration(std::string_view name) const;
  std::int64_t count(std::string_view name) const;
  double number(std::string_view name) const;  // kNumber and kRatio
  const std::string& text(std::string_view name) const;
  bool was_given(std::string_view name) const;

  // {name: value text} of every knob, as run.json records them.
  nlohmann::json to_json() const;
  const std::map<std::string, std::string, std::less<>>& values() const { return values_; }

 private:
  const std::string& raw(std::string_view name, KnobType expected) const;

  std::map<std::string, std::string, std::less<>> values_;
  std::map<std::string, KnobType, std::less<>> types_;
  std::map<std::string, bool, std::less<>> given_;
};

}  // namespace redproof

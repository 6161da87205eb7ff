#include "workloads/knobs.hpp"

#include <fmt/format.h>

#include <charconv>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "core/duration.hpp"

namespace redproof {

namespace {

std::string bad_value(const Knob& knob, const std::string& text, std::string_view expected) {
  return fmt::format("--param {}={}: expected {}", knob.name, text, expected);
}

bool parse_int(const std::string& text, std::int64_t& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

bool parse_double(const std::string& text, double& out) {
  if (text.empty()) return false;
  try {
    std::size_t used = 0;
    out = std::stod(text, &used);
    return used == text.size() && out == out;  // not NaN
  } catch (const std::exception&) {
    return false;
  }
}

// Throws std::invalid_argument when `text` is not a valid value of `knob`.
void validate(const Knob& knob, const std::string& text) {
  switch (knob.type) {
    case KnobType::kDuration: {
      auto d = parse_duration(text);
      if (!d || d->count() < knob.min * 1e6) {
        throw std::invalid_argument(bad_value(
            knob, text,
            knob.min > 0 ? fmt::format("a duration of at least {}ms such as 500ms or 2s", knob.min)
                         : std::string("a duration such as 500ms or 2s")));
      }
      return;
    }
    case KnobType::kCount: {
      std::int64_t v = 0;
      if (!parse_int(text, v) || v < knob.min) {
        throw std::invalid_argument(
            bad_value(knob, text, fmt::format("a whole number of at least {}", knob.min)));
      }
      return;
    }
    case KnobType::kNumber: {
      double v = 0;
      if (!parse_double(text, v) || v < knob.min) {
        throw std::invalid_argument(
            bad_value(knob, text, fmt::format("a number of at least {}", knob.min)));
      }
      return;
    }
    case KnobType::kRatio: {
      double v = 0;
      if (!parse_double(text, v) || v < 0 || v > 1) {
        throw std::invalid_argument(bad_value(knob, text, "a ratio between 0 and 1"));
      }
      return;
    }
    case KnobType::kString:
      return;
  }
}

}  // namespace

std::string_view knob_type_name(KnobType type) {
  switch (type) {
    case KnobType::kDuration:
      return "duration";
    case KnobType::kCount:
      return "count";
    case KnobType::kNumber:
      return "number";
    case KnobType::kRatio:
      return "ratio";
    case KnobType::kString:
      return "string";
  }
  return "string";
}

KnobValues::KnobValues(std::string_view workload, const std::vector<Knob>& table,
                       const std::map<std::string, std::string>& given) {
  for (const auto& [name, value] : given) {
    bool known = false;
    for (const Knob& k : table) known = known || k.name == name;
    if (!known) {
      throw std::invalid_argument(
          fmt::format("--param {}: workload {} has no such knob (see redproof list {})", name,
                      workload, workload));
    }
  }
  for (const Knob& k : table) {
    auto it = given.find(k.name);
    const std::string& text = it == given.end() ? k.default_value : it->second;
    validate(k, text);
    values_[k.name] = text;
    types_[k.name] = k.type;
    given_[k.name] = it != given.end();
  }
}

const std::string& KnobValues::raw(std::string_view name, KnobType expected) const {
  auto it = values_.find(name);
  auto type = types_.find(name);
  if (it == values_.end() || type == types_.end()) {
    throw std::logic_error(fmt::format("knob {} is not declared by its workload", name));
  }
  const bool numeric = expected == KnobType::kNumber &&
                       (type->second == KnobType::kRatio || type->second == KnobType::kCount);
  if (type->second != expected && !numeric) {
    throw std::logic_error(fmt::format("knob {} is a {}, read as a {}", name,
                                       knob_type_name(type->second), knob_type_name(expected)));
  }
  return it->second;
}

std::chrono::nanoseconds KnobValues::duration(std::string_view name) const {
  return *parse_duration(raw(name, KnobType::kDuration));
}

std::chrono::milliseconds KnobValues::milliseconds(std::string_view name) const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(duration(name));
}

std::int64_t KnobValues::count(std::string_view name) const {
  std::int64_t v = 0;
  parse_int(raw(name, KnobType::kCount), v);
  return v;
}

double KnobValues::number(std::string_view name) const {
  double v = 0;
  parse_double(raw(name, KnobType::kNumber), v);
  return v;
}

const std::string& KnobValues::text(std::string_view name) const {
  return raw(name, KnobType::kString);
}

bool KnobValues::was_given(std::string_view name) const {
  auto it = given_.find(name);
  return it != given_.end() && it->second;
}

nlohmann::json KnobValues::to_json() const {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, v] : values_) j[k] = v;
  return j;
}

}  // namespace redproof

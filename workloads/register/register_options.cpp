#include "workloads/register/register_options.hpp"

#include <charconv>
#include <stdexcept>

#include "core/duration.hpp"

namespace redproof::reg {

namespace {

int positive_int(const std::string& name, const std::string& text) {
  int v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v <= 0) {
    throw std::invalid_argument("--param " + name + "=" + text + ": expected a positive integer");
  }
  return v;
}

std::chrono::milliseconds duration_ms(const std::string& name, const std::string& text,
                                      bool allow_zero) {
  auto d = parse_duration(text);
  if (!d || d->count() < 0 || (!allow_zero && d->count() == 0)) {
    throw std::invalid_argument("--param " + name + "=" + text + ": expected a duration");
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(*d);
}

}  // namespace

RegisterOptions parse_register_options(RegisterVariant variant,
                                       const std::map<std::string, std::string>& params) {
  RegisterOptions o;
  o.variant = variant;
  for (const auto& [name, value] : params) {
    if (name == "keys") {
      o.keys = positive_int(name, value);
    } else if (name == "values") {
      o.values = positive_int(name, value);
    } else if (name == "key-period") {
      o.key_period = duration_ms(name, value, false);
    } else if (name == "think") {
      o.think = duration_ms(name, value, true);
    } else {
      throw std::invalid_argument("--param " + name + ": the register workload has no such knob");
    }
  }
  return o;
}

}  // namespace redproof::reg

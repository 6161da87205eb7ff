#include "workloads/register/register_options.hpp"

namespace redproof::reg {

RegisterOptions register_options(RegisterVariant variant, const KnobValues& knobs) {
  RegisterOptions o;
  o.variant = variant;
  o.keys = static_cast<int>(knobs.count("keys"));
  o.values = static_cast<int>(knobs.count("values"));
  o.key_period = knobs.milliseconds("key-period");
  o.think = knobs.milliseconds("think");
  o.ttl = knobs.milliseconds("ttl");
  return o;
}

}  // namespace redproof::reg

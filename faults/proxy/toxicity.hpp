// Which connections a toxic affects. A toxic with toxicity p applies to a connection with
// probability p, decided once per (toxic, connection) pair when the connection opens or the toxic
// is added (as in Toxiproxy). The decision is a pure function of the proxy's seed, the toxic's
// name and the connection's number, so one seed replays the same choices whatever the order in
// which connections open and toxics are added.
#pragma once

#include <cstdint>
#include <string>

#include "core/random.hpp"
#include "faults/proxy/toxic.hpp"

namespace redproof::proxy {

class ToxicityDecider {
 public:
  explicit ToxicityDecider(std::uint64_t seed) : root_(seed) {}

  bool applies(const Toxic& toxic, std::uint64_t connection) const {
    if (toxic.toxicity >= 1.0) return true;
    if (toxic.toxicity <= 0.0) return false;
    Random r = root_.fork("proxy-toxicity/" + toxic.name, connection);
    return r.chance(toxic.toxicity);
  }

 private:
  Random root_;
};

}  // namespace redproof::proxy

// The network faults of F6 (../shared/spec/anomalies.md), through redproof's own TCP proxy
// (faults/proxy/): `proxy-latency` (50 ms ± 10 ms each way), `proxy-reset` (open and new
// connections reset on their next bytes, either way), `proxy-blackhole` (bytes swallowed,
// connections left hanging). One class: each is a set of toxics (the registry's table in
// fault_registry.cpp says which) added to every proxy at start and removed at stop; heal() clears
// every toxic and re-enables every proxy, so it also undoes what a failed start left behind.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "faults/fault.hpp"

namespace redproof {

namespace proxy {
class FaultProxy;
}

class ProxyFault : public Fault {
 public:
  // `toxics` in the text form of faults/proxy/toxic.hpp, each given a name by this fault.
  ProxyFault(std::string name, std::string action, std::vector<proxy::FaultProxy*> proxies,
             std::vector<std::string> toxics, std::chrono::milliseconds min_length,
             std::chrono::milliseconds max_length);

  std::string name() const override { return name_; }
  std::chrono::milliseconds duration(Random& rng) override;
  FaultAction start(Random& rng) override;
  FaultAction stop() override;
  void heal() noexcept override;

 private:
  nlohmann::json target() const;

  std::string name_;
  std::string action_;
  std::vector<proxy::FaultProxy*> proxies_;
  std::vector<std::string> toxics_;
  std::chrono::milliseconds min_length_;
  std::chrono::milliseconds max_length_;
  std::vector<std::string> added_;  // toxic names in effect
};

}  // namespace redproof

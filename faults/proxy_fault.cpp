#include "faults/proxy_fault.hpp"

#include "faults/proxy/fault_proxy.hpp"

namespace redproof {

ProxyFault::ProxyFault(std::string name, std::string action,
                       std::vector<proxy::FaultProxy*> proxies, std::vector<std::string> toxics,
                       std::chrono::milliseconds min_length, std::chrono::milliseconds max_length)
    : name_(std::move(name)),
      action_(std::move(action)),
      proxies_(std::move(proxies)),
      toxics_(std::move(toxics)),
      min_length_(min_length),
      max_length_(max_length) {}

std::chrono::milliseconds ProxyFault::duration(Random& rng) {
  return std::chrono::milliseconds(rng.uniform(min_length_.count(), max_length_.count()));
}

nlohmann::json ProxyFault::target() const {
  nlohmann::json nodes = nlohmann::json::array();
  for (auto* p : proxies_) nodes.push_back(p->name());
  return {{"proxies", nodes}, {"toxics", toxics_}};
}

FaultAction ProxyFault::start(Random&) {
  for (std::size_t i = 0; i < toxics_.size(); ++i) {
    const std::string toxic_name = name_ + "-" + std::to_string(i);
    // Recorded before adding: should a later proxy throw, stop() still removes it from the
    // proxies it did reach (removing a toxic a proxy lacks is harmless).
    added_.push_back(toxic_name);
    for (auto* p : proxies_) p->add_toxic(toxics_[i] + ",name=" + toxic_name);
  }
  return {"start-" + action_, target()};
}

FaultAction ProxyFault::stop() {
  for (const auto& toxic_name : added_) {
    for (auto* p : proxies_) p->remove_toxic(toxic_name);
  }
  added_.clear();
  return {"stop-" + action_, target()};
}

void ProxyFault::heal() noexcept {
  for (auto* p : proxies_) p->heal();
  added_.clear();
}

}  // namespace redproof

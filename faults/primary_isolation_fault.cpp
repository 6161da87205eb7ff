#include "faults/primary_isolation_fault.hpp"

namespace redproof {

PrimaryIsolationFault::PrimaryIsolationFault(ReplicationControl& replication,
                                             std::string stop_action)
    : replication_(replication), stop_action_(std::move(stop_action)) {}

std::string PrimaryIsolationFault::isolate_primary() {
  isolated_ = replication_.primary();  // before isolating: heal() must undo a half-done start
  replication_.isolate(isolated_);
  return isolated_;
}

FaultAction PrimaryIsolationFault::stop() {
  if (isolated_.empty()) return {stop_action_, nullptr, false};
  replication_.reconnect(isolated_);
  FaultAction a{stop_action_, {{"isolated", {isolated_}}}};
  isolated_.clear();
  return a;
}

void PrimaryIsolationFault::heal() noexcept {
  replication_.heal_links();
  isolated_.clear();
}

}  // namespace redproof

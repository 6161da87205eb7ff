// eviction (F7 in ../shared/spec/anomalies.md): memory pressure. `maxmemory` is set to what the
// server uses plus 1 MB with `maxmemory-policy volatile-lru`, and a filler thread keeps writing
// keys that expire, so the server evicts keys with a TTL (locks, sessions, rate-limit windows)
// all through the fault. Stop restores both settings and deletes the fillers.
#pragma once

#include <atomic>
#include <map>
#include <string>
#include <thread>

#include "faults/fault.hpp"
#include "faults/replication_control.hpp"
#include "faults/server_control.hpp"

namespace redproof {

class EvictionFault : public Fault {
 public:
  // `replication` may be null; when given, the primary is the target (replicas do not evict).
  EvictionFault(ServerControl& servers, ReplicationControl* replication,
                std::string policy = "volatile-lru");
  ~EvictionFault() override;
  std::string name() const override { return "eviction"; }
  std::chrono::milliseconds duration(Random& rng) override;
  FaultAction start(Random& rng) override;
  FaultAction stop() override;
  void heal() noexcept override;

 private:
  struct Saved {
    std::string maxmemory;
    std::string policy;
  };
  void stop_filler() noexcept;
  // Restores the settings and deletes the fillers; returns the keys the server evicted.
  std::int64_t restore(const std::string& node);

  ServerControl& servers_;
  ReplicationControl* replication_;
  std::string policy_;
  std::map<std::string, Saved> saved_;  // by node: what to restore
  std::thread filler_;
  std::atomic<bool> filling_{false};
  std::atomic<std::int64_t> fillers_written_{0};
  std::int64_t evicted_before_ = 0;
};

}  // namespace redproof

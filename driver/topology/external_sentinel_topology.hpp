// `--target sentinel://HOST:PORT[,HOST:PORT...]/MASTERNAME`: a master the harness did not
// start, found as Sentinel clients find it. At setup the Sentinels are asked
// SENTINEL GET-MASTER-ADDR-BY-NAME (the first that answers wins); while the run goes, they are
// asked again every 100 ms, and a worker that opens a client (after a lost connection or a
// READONLY reply, see driver/worker.cpp) gets the master they name now: failovers are followed.
// The Sentinels are spoken to with the target's TLS settings but without AUTH (their own
// passwords are not supported); the master with both. Without --allow-remote, a master named
// outside loopback and the harness's namespaces is refused (at setup) or ignored (later), as a
// remote --target is: a local Sentinel must not lead the load elsewhere.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "driver/topology/target_address.hpp"
#include "driver/topology/topology.hpp"
#include "redis/connection_security.hpp"

namespace redproof {

class ExternalSentinelTopology : public Topology {
 public:
  ExternalSentinelTopology(TargetAddress target,
                           std::shared_ptr<const redis::ConnectionSecurity> security,
                           bool allow_remote = false);
  ~ExternalSentinelTopology() override;
  void setup() override;
  void teardown() noexcept override;
  std::vector<Node> nodes() const override { return {client_node(0)}; }
  Node client_node(int worker) const override;
  nlohmann::json describe() const override;

  // The master the Sentinels name now, or nullopt when none of them answers with one (a remote
  // master without --allow-remote counts as no answer; `refused`, when given, is set to it).
  std::optional<redis::Endpoint> ask_sentinels(
      std::optional<redis::Endpoint>* refused = nullptr) const;

 private:
  void watch(std::stop_token stop);

  TargetAddress target_;
  std::shared_ptr<const redis::ConnectionSecurity> security_;
  std::shared_ptr<const redis::ConnectionSecurity> sentinel_security_;  // TLS only
  bool allow_remote_ = false;
  std::string version_;
  mutable std::mutex mutex_;
  redis::Endpoint master_;  // guarded by mutex_
  int failovers_seen_ = 0;  // guarded by mutex_
  std::condition_variable_any wake_;
  std::jthread watcher_;
};

}  // namespace redproof

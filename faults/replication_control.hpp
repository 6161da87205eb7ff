// The capability to act on a replicated topology's roles and links, which the failover and
// partition faults ask for. Topologies with replicas (`replicated`, `sentinel`) provide it.
//
// Every node is reached by the other servers (its replicas, the Sentinels) through the node's
// own "peer" proxy, so cutting a node off is a black hole on that proxy: the nodes keep running,
// their clients may keep talking to them, but replication and Sentinel no longer reach them.
#pragma once

#include <string>
#include <vector>

namespace redproof {

class ReplicationControl {
 public:
  virtual ~ReplicationControl() = default;
  // The node clients are sent to for writes now.
  virtual std::string primary() const = 0;
  virtual std::vector<std::string> replicas() const = 0;
  // Cuts `node` off from the other servers (both ways) / restores it. Idempotent.
  virtual void isolate(const std::string& node) = 0;
  virtual void reconnect(const std::string& node) = 0;
  // Promotes `replica` with REPLICAOF NO ONE, points every other node (the old primary too) at
  // it, sends new clients there and drops the old primary's client connections so that current
  // clients move. Throws std::runtime_error naming the node when a step fails.
  virtual void promote(const std::string& replica) = 0;
  // Whether an external authority (Sentinel) chooses the primary: then faults isolate and wait
  // rather than promote themselves.
  virtual bool managed_failover() const { return false; }
  // Removes every isolation. Never throws.
  virtual void heal_links() noexcept = 0;
};

}  // namespace redproof

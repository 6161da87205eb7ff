// --netns: each node of a topology in its own network namespace, like a separate host. A bridge
// in the root namespace (rpb<K>, address 10.213.K.1/24, where the harness and its clients are)
// joins one veth per namespace (rp<K>-<node>, address 10.213.K.<10+i>). K is claimed by creating
// the bridge, which fails if another run holds it, so parallel runs do not collide.
//
// Partitions are iptables rules inside the namespaces: each namespace gets a chain `redproof`
// jumped to from INPUT, and a grudge becomes "-s <peer> -j DROP" rules in it (Jepsen's way: a
// node drops what comes from the nodes it holds a grudge against). Traffic from the bridge's own
// address (the clients) is never dropped.
//
// Everything created is first written to a record file (<nodes>/network.json), so that
// `redproof heal` can remove the namespaces and the bridge of a run that was killed outright.
// Deleting a namespace deletes its interfaces and rules with it.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "faults/network_control.hpp"

namespace redproof {

class ProcessRunner;

class NamespaceNetwork : public NetworkControl {
 public:
  // `record_path`: where the record file goes. Uses the real process runner unless a fake is
  // given (tests).
  explicit NamespaceNetwork(std::string record_path, ProcessRunner* runner = nullptr);
  ~NamespaceNetwork() override;  // destroy()
  NamespaceNetwork(const NamespaceNetwork&) = delete;
  NamespaceNetwork& operator=(const NamespaceNetwork&) = delete;

  // An empty string when --netns can work here, else one line saying why not (not root, no
  // `ip` or `iptables`).
  static std::string unavailable_reason();

  // Creates the bridge and one namespace per node. Throws std::runtime_error naming the
  // command that failed (after removing what it had created).
  void create(const std::vector<std::string>& nodes);
  // Removes the namespaces and the bridge. Idempotent, never throws.
  void destroy() noexcept;

  const std::string& namespace_of(const std::string& node) const;
  const std::string& address_of(const std::string& node) const;
  // The root namespace's address on the bridge: where the harness's connections come from.
  std::string host_address() const;
  const std::string& bridge() const { return bridge_; }

  std::vector<std::string> partition_nodes() const override { return nodes_; }
  void partition(const Grudge& grudge) override;
  void heal_partition() noexcept override;

 private:
  // Runs `ip args...` (or `ip netns exec NS iptables ...`); throws with the command and its
  // output on failure.
  void ip(const std::vector<std::string>& args);
  void iptables(const std::string& ns, const std::vector<std::string>& args);
  void write_record() const;

  std::string record_path_;
  ProcessRunner* runner_;
  int subnet_ = -1;  // K
  std::string bridge_;
  std::vector<std::string> nodes_;
  std::map<std::string, std::string> namespaces_;  // node -> namespace
  std::map<std::string, std::string> addresses_;   // node -> address
  std::mutex mu_;                                  // partition() and heal_partition()
};

// For `redproof heal`: removes the namespaces and the bridge a record file lists, if they still
// exist. Returns what it removed ("deleted network namespace rp3-n1").
std::vector<std::string> remove_recorded_network(const std::string& record_path);

}  // namespace redproof

#include "faults/fault_registry.hpp"

#include <stdexcept>

#include "faults/clock_jump_fault.hpp"
#include "faults/eviction_fault.hpp"
#include "faults/failover_fault.hpp"
#include "faults/kill_restart_fault.hpp"
#include "faults/partition_fault.hpp"
#include "faults/partition_shape_fault.hpp"
#include "faults/pause_client_fault.hpp"
#include "faults/pause_server_fault.hpp"
#include "faults/proxy_fault.hpp"

namespace redproof {

namespace {

ServerControl& need_servers(const FaultContext& context, const char* fault) {
  if (!context.servers) {
    throw std::invalid_argument(std::string("fault ") + fault +
                                " needs servers that redproof starts itself; it cannot act on "
                                "--target");
  }
  return *context.servers;
}

std::vector<proxy::FaultProxy*> need_proxies(const FaultContext& context, const char* fault) {
  if (context.proxies.empty()) {
    throw std::invalid_argument(std::string("fault ") + fault +
                                " needs the harness's proxy in front of the server; it is not "
                                "available with --target");
  }
  return context.proxies;
}

ReplicationControl& need_replication(const FaultContext& context, const char* fault) {
  if (!context.replication) {
    throw std::invalid_argument(std::string("fault ") + fault +
                                " needs a primary with replicas: use --topology replicated or "
                                "sentinel");
  }
  return *context.replication;
}

NetworkControl& need_network(const FaultContext& context, const std::string& fault) {
  if (!context.network) {
    throw std::invalid_argument("fault " + fault +
                                " cuts links between servers: it needs --netns (each node in "
                                "its own network namespace; root only), or without it a "
                                "replicated or sentinel topology");
  }
  return *context.network;
}

FaultInfo partition_shape(PartitionShape shape, std::string summary) {
  const std::string name = "partition-" + partition_shape_name(shape);
  return {name, std::move(summary), [shape, name](const FaultContext& c) -> std::unique_ptr<Fault> {
            return std::make_unique<PartitionShapeFault>(shape, need_network(c, name));
          }};
}

}  // namespace

const std::vector<FaultInfo>& all_faults() {
  using std::chrono::milliseconds;
  static const std::vector<FaultInfo> faults = {
      {"none", "no fault: the baseline every correct pattern must pass", nullptr},
      {"pause-client",
       "a client stops at a hook point (e.g. after checking its lock) for longer than the TTL, as "
       "in a GC pause",
       [](const FaultContext& c) -> std::unique_ptr<Fault> {
         return std::make_unique<PauseClientFault>(c.client_hooks, c.client_pause_length);
       }},
      {"pause-server",
       "a redis-server stops answering for 0.5-2 s (with --fault-at: about half the workload's "
       "lease to the whole lease): SIGSTOP then SIGCONT, or (seeded, half the time) CLIENT PAUSE "
       "ALL for as long",
       [](const FaultContext& c) -> std::unique_ptr<Fault> {
         if (c.aimed) {
           // From a third to two thirds of the client pause (a lease plus a margin): about half
           // the lease to the whole lease. Long enough, often, that the aimed holder's lease
           // runs out; short enough that rivals' requests sent during it come back with
           // validity left to act on. A pause past the whole lease leaves no one believing.
           return std::make_unique<PauseServerFault>(
               need_servers(c, "pause-server"), c.client_pause_length / 3,
               c.client_pause_length * 2 / 3, PauseServerFault::Method::kEither);
         }
         return std::make_unique<PauseServerFault>(need_servers(c, "pause-server"),
                                                   milliseconds(500), milliseconds(2000),
                                                   PauseServerFault::Method::kEither);
       }},
      {"kill-restart",
       "SIGKILL a redis-server, restart it on the same port, empty unless --persistence: at once, "
       "or (half the time) 0.2-1 s later",
       [](const FaultContext& c) -> std::unique_ptr<Fault> {
         // Aimed at a holder, the restart is immediate: the holder must still believe it holds
         // when the others find the server empty.
         const milliseconds longest = c.aimed ? milliseconds(0) : milliseconds(1000);
         return std::make_unique<KillRestartFault>(need_servers(c, "kill-restart"),
                                                   std::min(longest, milliseconds(200)), longest);
       }},
      {"proxy-latency", "the proxy delays every chunk 50 ms ± 10 ms each way for 1-3 s",
       [](const FaultContext& c) -> std::unique_ptr<Fault> {
         return std::make_unique<ProxyFault>(
             "proxy-latency", "latency", need_proxies(c, "proxy-latency"),
             std::vector<std::string>{"latency:50ms:10ms,stream=up",
                                      "latency:50ms:10ms,stream=down"},
             milliseconds(1000), milliseconds(3000));
       }},
      {"proxy-reset",
       "the proxy resets (RST) open and new connections as their next bytes arrive, either way, "
       "for 0.5-1.5 s",
       [](const FaultContext& c) -> std::unique_ptr<Fault> {
         // Both directions: a client that only listens (a blocked BRPOP, a subscriber) sends
         // nothing upstream and would otherwise never be reset.
         return std::make_unique<ProxyFault>(
             "proxy-reset", "reset", need_proxies(c, "proxy-reset"),
             std::vector<std::string>{"reset_peer,stream=up", "reset_peer,stream=down"},
             milliseconds(500), milliseconds(1500));
       }},
      {"proxy-blackhole",
       "the proxy swallows every byte both ways for 1-3 s: requests time out, connections hang",
       [](const FaultContext& c) -> std::unique_ptr<Fault> {
         return std::make_unique<ProxyFault>(
             "proxy-blackhole", "blackhole", need_proxies(c, "proxy-blackhole"),
             std::vector<std::string>{"timeout,stream=up", "timeout,stream=down"},
             milliseconds(1000), milliseconds(3000));
       }},
      {"failover",
       "the primary is cut off from its replicas, keeps acknowledging writes, then a replica is "
       "promoted (REPLICAOF NO ONE) and clients move to it; with Sentinel, Sentinel promotes",
       [](const FaultContext& c) -> std::unique_ptr<Fault> {
         return std::make_unique<FailoverFault>(need_replication(c, "failover"));
       }},
      {"partition-primary",
       "the primary is cut off from the replicas, the Sentinels and half the clients for 5-7 s, "
       "while the clients beside it keep writing",
       [](const FaultContext& c) -> std::unique_ptr<Fault> {
         return std::make_unique<PartitionFault>(need_replication(c, "partition-primary"));
       }},
      partition_shape(PartitionShape::kRandomNode,
                      "one server cut off from the others for 4-7 s (iptables with --netns, "
                      "else the peer proxies)"),
      partition_shape(PartitionShape::kRandomHalves,
                      "the servers split into two halves that do not see each other (without "
                      "--netns only where one half is a single node: three servers)"),
      partition_shape(PartitionShape::kMajoritiesRing,
                      "--netns: every server sees a majority, no two the same one (needs 3+)"),
      partition_shape(PartitionShape::kBridge,
                      "--netns: two halves that do not see each other, and one server that "
                      "sees both"),
      {"eviction",
       "maxmemory set to used + 1 MB with volatile-lru while a filler writes expiring keys, for "
       "1-3 s: keys with a TTL are evicted",
       [](const FaultContext& c) -> std::unique_ptr<Fault> {
         return std::make_unique<EvictionFault>(need_servers(c, "eviction"), c.replication);
       }},
      {"clock-jump",
       "the server's clock jumps 0.5-2 s forward: every TTL shortened by that much at once, "
       "keys with less left expire",
       [](const FaultContext& c) -> std::unique_ptr<Fault> {
         return std::make_unique<ClockJumpFault>(need_servers(c, "clock-jump"), c.replication,
                                                 milliseconds(500), milliseconds(2000));
       }},
  };
  return faults;
}

std::string topology_for_fault(std::string_view fault) {
  if (fault == "failover") return "replicated";
  if (fault == "partition-primary") return "sentinel";
  // Partition shapes: three servers with Sentinel, so a cut-off primary is failed over.
  if (fault.rfind("partition-", 0) == 0) return "sentinel";
  return "single";
}

bool fault_needs_proxy(std::string_view fault) {
  return fault.rfind("proxy-", 0) == 0;
}

bool fault_needs_netns(std::string_view fault) {
  // The others also work through a replicated topology's peer proxies.
  return fault == "partition-majorities-ring" || fault == "partition-bridge";
}

const FaultInfo* find_fault(std::string_view name) {
  for (const auto& f : all_faults()) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

}  // namespace redproof

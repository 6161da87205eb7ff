// What one load run does: where, how many connections on how many threads, how deep the
// pipeline, open loop at a rate or closed loop, for how long, which requests.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "driver/load/command_mix.hpp"
#include "driver/load/key_distribution.hpp"
#include "redis/endpoint.hpp"

namespace redproof::load {

struct LoadOptions {
  redis::Endpoint endpoint;
  // Asked again before each connect (unset: `endpoint`), so that connections follow the
  // primary after a failover, as run's workers do (Topology::client_node). `connection` is the
  // connection's index. Called on the event loops' threads: it must be thread-safe.
  std::function<redis::Endpoint(int connection)> resolve_endpoint;
  // Redis Cluster: `endpoint` is one node. The engine reads the slot map from it, opens a set of
  // `connections` to every master (memtier's cluster mode) and sends each request to its key's
  // master, following MOVED and ASK.
  bool cluster = false;
  // Redirections and slot-map entries naming these "host:port" addresses go to the mapped
  // endpoint instead (the fault proxy in front of that server). Empty: as announced.
  redis::AddressMap redirect_to;
  int connections = 50;
  int threads = 1;   // one event loop each; connections are spread over them
  int pipeline = 1;  // requests in flight per connection
  // Requests per second over all connections. > 0: open loop, each request has an intended
  // start time and latency is measured from it. 0: closed loop (send when a slot frees).
  double rate = 0;
  std::chrono::nanoseconds duration = std::chrono::seconds(10);
  std::uint64_t max_requests = 0;  // 0: bounded by time only
  std::vector<CommandTemplate> commands;
  TemplateOptions template_options;
  KeyDistributionSpec key_distribution;
  std::uint64_t key_count = 100000;
  std::uint64_t seed = 0;
  std::chrono::nanoseconds request_timeout = std::chrono::seconds(2);
  std::chrono::nanoseconds connect_timeout = std::chrono::seconds(1);
  // Record every request as an invoke and a completion in this history file (what `run` does).
  std::string history_path;
  // Set when a pattern workload of `run` is driven instead of `commands` ("lock (lua-release)"):
  // how the load is described in the summary and the JSON.
  std::string workload;
};

}  // namespace redproof::load

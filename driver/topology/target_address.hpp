// What `--target` names, parsed from its text alone: one server (HOST:PORT), Sentinels that
// know a master (sentinel://HOST:PORT[,HOST:PORT...]/MASTERNAME), or seeds of a Redis Cluster
// (cluster://HOST:PORT[,HOST:PORT...]); and whether it lies outside this machine. Nothing here
// resolves a name or opens a socket.
#pragma once

#include <string>
#include <vector>

#include "redis/endpoint.hpp"

namespace redproof {

struct TargetAddress {
  enum class Kind { kServer, kSentinel, kCluster };
  Kind kind = Kind::kServer;
  std::vector<redis::Endpoint> endpoints;  // the server, the Sentinels, or the cluster's seeds
  std::string master_name;                 // sentinel:// only
};

// Throws std::invalid_argument saying what is wrong with `text`, e.g.
// "--target sentinel://127.0.0.1:26379: expected sentinel://HOST:PORT[,HOST:PORT]/MASTERNAME".
TargetAddress parse_target(const std::string& text);

// HOST:PORT, or [IPv6]:PORT. Throws std::invalid_argument naming the text.
redis::Endpoint parse_endpoint(const std::string& text);

// 127.0.0.0/8, ::1 (and ::ffff:127.x.y.z) or "localhost"; decided from the text, without DNS:
// any other host name counts as remote, whatever it would resolve to.
bool is_loopback_host(const std::string& host);

// Loopback, or an address of the harness's own network namespaces (10.213.0.0/16, see
// driver/topology/namespace_network.hpp): traffic that cannot leave the machine.
bool is_local_host(const std::string& host);

// The first endpoint of `target` that is not local, or null when every one is.
const redis::Endpoint* first_remote_endpoint(const TargetAddress& target);

// The one wording of every remote refusal: "WHAT is not loopback or one of redproof's
// namespaces; refusing to send load and faults there without --allow-remote".
std::string remote_refusal(const std::string& what);

}  // namespace redproof

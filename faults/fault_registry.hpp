// Every fault the harness can inject, by the names of ../shared/spec/cli.md. A new fault is one
// file in this folder and one entry in fault_registry.cpp.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/hook.hpp"
#include "faults/fault.hpp"
#include "faults/network_control.hpp"
#include "faults/replication_control.hpp"
#include "faults/server_control.hpp"

namespace redproof {

namespace proxy {
class FaultProxy;
}

// What a fault may act on. A fault that needs a capability the run lacks throws
// std::invalid_argument saying what it needs.
struct FaultContext {
  ServerControl* servers = nullptr;  // null with --target
  std::vector<Hook> client_hooks;
  std::chrono::milliseconds client_pause_length{1000};
  std::vector<proxy::FaultProxy*> proxies;    // in front of each server, when the run has them
  ReplicationControl* replication = nullptr;  // with replicas (replicated, sentinel)
  NetworkControl* network = nullptr;          // with --netns
  // Faults aimed at a hook (--fault-at): a server pause then lasts what the workload says matters
  // (client_pause_length: a lease plus a margin) rather than a random length.
  bool aimed = false;
};

// The topology a fault needs when the run names none ("single" when any will do).
std::string topology_for_fault(std::string_view fault);

// Whether `fault` needs the harness's proxy between clients and servers.
bool fault_needs_proxy(std::string_view fault);

// Whether `fault` can only work with --netns (partition shapes finer than isolated nodes).
bool fault_needs_netns(std::string_view fault);

struct FaultInfo {
  std::string name;
  std::string summary;
  // Null for "none".
  std::function<std::unique_ptr<Fault>(const FaultContext&)> make;
};

const std::vector<FaultInfo>& all_faults();
const FaultInfo* find_fault(std::string_view name);

}  // namespace redproof

#include "driver/fault_setup.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "core/text_format.hpp"

namespace redproof {

std::vector<const FaultInfo*> resolve_faults(const std::vector<std::string>& names) {
  std::vector<const FaultInfo*> out;
  for (const auto& name : names) {
    const FaultInfo* f = find_fault(name);
    if (!f) {
      std::vector<std::string> known;
      for (const auto& x : all_faults()) known.push_back(x.name);
      throw std::invalid_argument(
          fmt::format("unknown fault \"{}\" (available: {})", name, join(known, ", ")));
    }
    if (f->make) out.push_back(f);
  }
  return out;
}

std::string topology_for_faults(std::string kind, const std::vector<const FaultInfo*>& faults) {
  for (const FaultInfo* f : faults) {
    const std::string need = topology_for_fault(f->name);
    if (need == "sentinel" || (need == "replicated" && kind == "single")) kind = need;
  }
  return kind;
}

bool faults_need_proxy(const std::vector<const FaultInfo*>& faults) {
  for (const FaultInfo* f : faults) {
    if (fault_needs_proxy(f->name)) return true;
  }
  return false;
}

void check_fault_needs(const std::vector<const FaultInfo*>& faults, bool netns, bool target) {
  for (const FaultInfo* f : faults) {
    if (fault_needs_netns(f->name) && !netns) {
      throw std::invalid_argument("fault " + f->name +
                                  " cuts links between servers with iptables: add --netns "
                                  "(each node in its own network namespace; root only)");
    }
    if (fault_needs_proxy(f->name) && target) {
      throw std::invalid_argument("fault " + f->name +
                                  " needs the harness's proxy in front of a server it starts; "
                                  "it is not available with --target");
    }
  }
}

FaultContext topology_fault_context(Topology& topology) {
  FaultContext fc;
  fc.servers = topology.server_control();
  fc.proxies = topology.proxies();
  fc.replication = topology.replication();
  fc.network = topology.network();
  return fc;
}

}  // namespace redproof

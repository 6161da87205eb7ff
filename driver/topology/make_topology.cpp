#include <stdexcept>

#include "driver/topology/external_topology.hpp"
#include "driver/topology/local_topology.hpp"

namespace redproof {

std::unique_ptr<Topology> make_topology(const TopologyOptions& options) {
  if (!options.target.empty()) {
    return std::make_unique<ExternalTopology>(parse_endpoint(options.target));
  }
  if (options.kind == "single") return std::make_unique<LocalTopology>(options, 1);
  throw std::invalid_argument("--topology " + options.kind +
                              ": not available in this build (available: single, or --target)");
}

}  // namespace redproof

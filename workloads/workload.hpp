// The Workload seam: one Redis usage pattern. It makes a client per logical process, a generator
// per worker, and the checkers that judge its history. Workloads register themselves in
// registry.cpp (one line each); the driver knows them only through this interface.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "checkers/checker.hpp"
#include "core/random.hpp"
#include "workloads/client.hpp"
#include "workloads/generator.hpp"

namespace redproof {

struct WorkloadConfig {
  std::string variant;
  int clients = 5;
  std::uint64_t seed = 0;
  // Workload-specific knobs from the command line (`--param ttl=500ms`): names are checked
  // against the workload's `params` by the driver; values are parsed (and rejected with
  // std::invalid_argument naming the knob) by the workload.
  std::map<std::string, std::string> params;
};

class Workload {
 public:
  virtual ~Workload() = default;
  virtual std::unique_ptr<Client> make_client(const ClientSetup& setup) = 0;
  // `end_ns`: when the load phase ends; a generator may finish what it holds (a lock's release)
  // after it, but starts nothing new.
  virtual std::unique_ptr<Generator> make_generator(int worker, Random rng,
                                                    std::int64_t end_ns) = 0;
  // Operations after the final heal and the recovery period (Jepsen's final reads): what the
  // system holds once it has settled. `load_end_ns`: when the load phase ended. Null: none.
  virtual std::unique_ptr<Generator> make_final_generator(int /*worker*/,
                                                          std::int64_t /*load_end_ns*/) {
    return nullptr;
  }
  virtual std::vector<std::unique_ptr<Checker>> make_checkers() = 0;
  // Hook points of this variant where a client pause can strike (pause-client fault).
  virtual std::vector<std::string> pause_hooks() const { return {}; }
  // How long a client pause must last to matter (e.g. the lock TTL plus a margin).
  virtual std::chrono::milliseconds client_pause_length() const {
    return std::chrono::milliseconds(1000);
  }
  // The resolved knobs, for run.json.
  virtual nlohmann::json describe() const = 0;
};

struct VariantInfo {
  std::string name;
  std::string summary;
  bool broken = false;   // known-broken on purpose (marked † in cli.md)
  std::string topology;  // the topology it needs when the run names none ("" = any)
};

struct ParamInfo {
  std::string name;
  std::string default_value;
  std::string summary;
};

struct WorkloadInfo {
  std::string name;
  std::string summary;
  std::vector<VariantInfo> variants;  // the first one is the default (the correct one)
  std::vector<ParamInfo> params;
  std::function<std::unique_ptr<Workload>(const WorkloadConfig&)> make;
};

const std::vector<WorkloadInfo>& all_workloads();
const WorkloadInfo* find_workload(std::string_view name);

// A workload, variant and knobs named on a command line, checked before anything starts.
struct ResolvedWorkload {
  const WorkloadInfo* info = nullptr;
  const VariantInfo* variant = nullptr;  // the named one, or the default (the first)
};
// Throws std::invalid_argument naming what is unknown and what is available.
ResolvedWorkload resolve_workload(std::string_view name, std::string_view variant,
                                  const std::map<std::string, std::string>& params);

}  // namespace redproof

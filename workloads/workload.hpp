// The Workload seam: one Redis usage pattern. It makes a client per logical process and a
// generator per worker; its WorkloadInfo declares its variants, knobs and the checkers that judge
// its histories (made from the variant and knobs alone, so that a stored run or any history can
// be re-checked offline). Workloads register themselves in registry.cpp (one line each); the
// driver knows them only through this interface. docs/adding-a-workload.md walks through one.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "checkers/checker.hpp"
#include "core/hook.hpp"
#include "core/random.hpp"
#include "workloads/client.hpp"
#include "workloads/generator.hpp"
#include "workloads/knobs.hpp"
#include "workloads/user_script.hpp"

namespace redproof {

struct WorkloadConfig {
  std::string variant;
  int clients = 5;
  std::uint64_t seed = 0;
  // The workload's knobs, resolved and validated against its table (`--param ttl=500ms`).
  KnobValues knobs;
  // `--script FILE.lua`: the user's Lua in place of the variant's own (user_script.hpp). A
  // workload whose variant has no Lua core rejects it from `make` (std::invalid_argument).
  std::optional<UserScript> script;
  // The run's results directory, for what a workload keeps beside the history (the cache
  // workloads' SQLite database). Empty outside a run (`bench --workload`): use a temp directory.
  std::string results_directory;
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
  // Every hook point this workload's clients may await. A client that awaits a hook not in this
  // list stops the run (a programming error the workload's tests catch).
  virtual std::vector<Hook> hooks() const { return pause_hooks(); }
  // The hooks of this variant where the pause-client fault strikes (a subset of hooks()).
  virtual std::vector<Hook> pause_hooks() const { return {}; }
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

// What a workload's checkers are made from: nothing a live run alone knows.
struct CheckerSetup {
  std::string variant;
  KnobValues knobs;
  // How long a checker that searches (linearizability) may take before answering unknown:
  // --check-timeout, by default the run's own length and at least 10 s.
  std::chrono::milliseconds budget{std::chrono::seconds(60)};
};

using CheckerList = std::vector<std::unique_ptr<Checker>>;

struct WorkloadInfo {
  std::string name;
  std::string summary;
  std::vector<VariantInfo> variants;  // the first one is the default (the correct one)
  std::vector<Knob> knobs;
  // Throws std::invalid_argument (one line) for a combination of knobs that cannot run.
  std::function<std::unique_ptr<Workload>(const WorkloadConfig&)> make;
  // The workload's own checkers; the driver adds the latency-SLO and progress checkers.
  std::function<CheckerList(const CheckerSetup&)> checkers;
  // Extra lines for `redproof list NAME`: the history it records, the Lua contract.
  std::string contract;
};

const std::vector<WorkloadInfo>& all_workloads();
// Adds a workload beside the built-in ones (registry.cpp lists those). For tests, which bring a
// toy pattern of their own; call it before looking any workload up, since it may move them.
void register_workload(WorkloadInfo info);
const WorkloadInfo* find_workload(std::string_view name);

// A workload, variant and knobs named on a command line, checked before anything starts.
struct ResolvedWorkload {
  const WorkloadInfo* info = nullptr;
  const VariantInfo* variant = nullptr;  // the named one, or the default (the first)
  KnobValues knobs;
};
// Throws std::invalid_argument naming what is unknown and what is available, or the bad knob.
ResolvedWorkload resolve_workload(std::string_view name, std::string_view variant,
                                  const std::map<std::string, std::string>& params);

}  // namespace redproof

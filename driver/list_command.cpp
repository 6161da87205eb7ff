// `redproof list [WORKLOAD]`: every workload with its variants and knobs, and every fault; with a
// workload's name, that workload alone with the history it records and its Lua contract.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <memory>

#include "driver/command.hpp"
#include "faults/fault_registry.hpp"
#include "workloads/workload.hpp"

namespace redproof {

namespace {

// Each hook the workload's clients pass (for --fault-at), from a default instance of each variant.
void print_hooks(std::ostream& out, const WorkloadInfo& w) {
  std::vector<std::string> seen;
  for (const auto& v : w.variants) {
    WorkloadConfig config;
    config.variant = v.name;
    try {
      config.knobs = KnobValues(w.name, w.knobs, {});
      for (const Hook& h : w.make(config)->hooks()) {
        if (std::find(seen.begin(), seen.end(), h.name) != seen.end()) continue;
        seen.emplace_back(h.name);
        out << fmt::format("    hook {:<27} {}{}\n", std::string(h.name), std::string(h.summary),
                           h.effect == HookEffect::kCrash ? " (the process dies there)" : "");
      }
    } catch (const std::exception&) {
      // A variant that cannot be made without its knobs lists no hooks here.
    }
  }
}

void print_workload(std::ostream& out, const WorkloadInfo& w, bool with_contract) {
  out << fmt::format("  {:<14} {}\n", w.name, w.summary);
  for (std::size_t i = 0; i < w.variants.size(); ++i) {
    const auto& v = w.variants[i];
    out << fmt::format("    --variant {:<16} {}{}\n", v.name + (v.broken ? "†" : ""), v.summary,
                       i == 0 ? " (default)" : "");
  }
  for (const auto& k : w.knobs) {
    out << fmt::format("    --param {:<18} {} ({}, default {})\n", k.name + "=", k.summary,
                       knob_type_name(k.type), k.default_value);
  }
  if (!with_contract) return;
  print_hooks(out, w);
  if (!w.contract.empty()) out << "\n" << w.contract << "\n";
}

int list(const std::string& name) {
  if (!name.empty()) {
    const WorkloadInfo* w = find_workload(name);
    if (!w) {
      std::cerr << "redproof list: unknown workload \"" << name << "\" (see redproof list)\n";
      return kExitUsage;
    }
    print_workload(std::cout, *w, true);
    return kExitValid;
  }
  std::cout << "Workloads (variants marked † are broken on purpose):\n";
  for (const auto& w : all_workloads()) print_workload(std::cout, w, false);
  std::cout << "\nFaults (--fault NAME[,NAME]):\n";
  for (const auto& f : all_faults()) std::cout << fmt::format("  {:<25} {}\n", f.name, f.summary);
  return kExitValid;
}

}  // namespace

void add_list_command(CLI::App& root, CommandAction& action) {
  CLI::App* cmd = root.add_subcommand(
      "list", "print every workload, variant, knob and fault (or one workload in full)");
  auto name = std::make_shared<std::string>();
  cmd->add_option("workload", *name, "a workload to describe in full");
  cmd->callback([name, &action] { action = [name] { return list(*name); }; });
}

}  // namespace redproof

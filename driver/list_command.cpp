// `redproof list [WORKLOAD]`: every workload with its variants and knobs, and every fault; with a
// workload's name, that workload alone with the history it records and its Lua contract.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "driver/command.hpp"
#include "faults/fault_registry.hpp"
#include "workloads/workload.hpp"

namespace redproof {

namespace {

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
  if (with_contract && !w.contract.empty()) out << "\n" << w.contract << "\n";
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

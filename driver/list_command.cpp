// `redproof list`: every workload with its variants and knobs, and every fault.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <iostream>

#include "driver/command.hpp"
#include "faults/fault_registry.hpp"
#include "workloads/workload.hpp"

namespace redproof {

void add_list_command(CLI::App& root, CommandAction& action) {
  CLI::App* cmd = root.add_subcommand("list", "print every workload, variant and fault");
  cmd->callback([&action] {
    action = [] {
      std::cout << "Workloads (variants marked † are broken on purpose):\n";
      for (const auto& w : all_workloads()) {
        std::cout << fmt::format("  {:<14} {}\n", w.name, w.summary);
        for (std::size_t i = 0; i < w.variants.size(); ++i) {
          const auto& v = w.variants[i];
          std::cout << fmt::format("    --variant {:<16} {}{}{}\n", v.name + (v.broken ? "†" : ""),
                                   v.summary, i == 0 ? " (default)" : "", "");
        }
        for (const auto& p : w.params) {
          std::cout << fmt::format("    --param {:<18} {} (default {})\n", p.name + "=", p.summary,
                                   p.default_value);
        }
      }
      std::cout << "\nFaults (--fault NAME[,NAME]):\n";
      for (const auto& f : all_faults()) {
        std::cout << fmt::format("  {:<25} {}\n", f.name, f.summary);
      }
      return kExitValid;
    };
  });
}

}  // namespace redproof

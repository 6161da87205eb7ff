// `redproof heal`: removes what a killed or crashed run left behind (../shared/spec/cli.md).
// Faults that live inside redproof (client pauses, the proxy) die with it; what can outlive it
// is its servers, stopped or not, which this finds through each run's state.json, and with
// --netns its network namespaces and bridge (nodes/network.json).
#include <CLI/CLI.hpp>
#include <iostream>

#include "driver/command.hpp"
#include "driver/heal/run_state_file.hpp"

namespace redproof {

void add_heal_command(CLI::App& root, CommandAction& action) {
  auto results_dir = std::make_shared<std::string>("results");
  CLI::App* cmd = root.add_subcommand(
      "heal",
      "remove what a killed run left behind: its paused or running servers, its network "
      "namespaces and bridge");
  cmd->add_option("--results-dir", *results_dir, "root of the results directories")
      ->capture_default_str();
  cmd->callback([results_dir, &action] {
    action = [results_dir]() -> int {
      HealReport r = heal_abandoned_runs(*results_dir);
      for (const auto& a : r.actions) std::cout << "  " << a << "\n";
      for (const auto& e : r.errors) std::cerr << "redproof heal: " << e << "\n";
      std::cout << "redproof heal: " << r.runs_healed.size() << " abandoned run"
                << (r.runs_healed.size() == 1 ? "" : "s") << " healed, " << r.actions.size()
                << " leftover" << (r.actions.size() == 1 ? "" : "s")
                << " removed (processes, namespaces, bridges)\n";
      return r.errors.empty() ? kExitValid : kExitUnknown;
    };
  });
}

}  // namespace redproof

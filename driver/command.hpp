// Each subcommand lives in its own file and registers itself on the root CLI11 app; main() parses
// once and runs the chosen one. Exit codes follow ../shared/spec/cli.md.
#pragma once

#include <functional>

#include "core/exit_codes.hpp"

namespace CLI {
class App;
}

namespace redproof {

// The action runs after a successful parse and returns the process exit code.
using CommandAction = std::function<int()>;

void add_run_command(CLI::App& root, CommandAction& action);
void add_list_command(CLI::App& root, CommandAction& action);
void add_check_command(CLI::App& root, CommandAction& action);
void add_bench_command(CLI::App& root, CommandAction& action);
void add_report_command(CLI::App& root, CommandAction& action);
void add_heal_command(CLI::App& root, CommandAction& action);
void add_suite_command(CLI::App& root, CommandAction& action);
void add_compare_command(CLI::App& root, CommandAction& action);

}  // namespace redproof

// redproof: one binary, one subcommand per file (driver/*_command.cpp).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

#include "driver/command.hpp"
#include "driver/target_options.hpp"

int main(int argc, char** argv) {
  using namespace redproof;
  CLI::App app{"redproof: proves or disproves what teams believe about their Redis usage patterns"};
  app.set_version_flag("--version", std::string("redproof ") + REDPROOF_VERSION);
  app.require_subcommand(1);
  CommandAction action;
  add_run_command(app, action);
  add_list_command(app, action);
#ifdef REDPROOF_HAVE_CHECK
  add_check_command(app, action);
#endif
#ifdef REDPROOF_HAVE_BENCH
  add_bench_command(app, action);
#endif
#ifdef REDPROOF_HAVE_REPORT
  add_report_command(app, action);
#endif
#ifdef REDPROOF_HAVE_HEAL
  add_heal_command(app, action);
#endif
#ifdef REDPROOF_HAVE_SUITE
  add_suite_command(app, action);
#endif
  add_compare_command(app, action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // One line saying what is wrong, and the usage exit code of the CLI contract.
    std::fprintf(stderr, "redproof: %s (see redproof --help)\n", e.what());
    return kExitUsage;
  }
  hide_password_arguments(argc, argv);
  if (!action) return kExitUsage;
  try {
    return action();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "redproof: %s\n", e.what());
    return kExitUnknown;
  }
}

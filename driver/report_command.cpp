// `redproof report RESULTS_DIR`: re-reads a results directory and rewrites its report.html, so a
// report can be regenerated after the reporter improves or from a copied results tree.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "core/history_reader.hpp"
#include "driver/command.hpp"
#include "results/bench_directory.hpp"
#include "results/results_directory.hpp"

namespace redproof {

namespace {

// A `bench` results directory (it has bench.json) has its own report.
int rewrite_bench_report(const std::string& dir) {
  BenchRecord record;
  try {
    record = read_bench_directory(dir);
  } catch (const std::exception& e) {
    std::cerr << "redproof: report: " << e.what() << "\n";
    return kExitUsage;
  }
  try {
    write_bench_report(record);
  } catch (const std::exception& e) {
    std::cerr << "redproof: report: " << e.what() << "\n";
    return kExitUnknown;
  }
  std::cout << (std::filesystem::path(dir) / "report.html").string() << "\n";
  return kExitValid;
}

}  // namespace

void add_report_command(CLI::App& root, CommandAction& action) {
  auto dir = std::make_shared<std::string>();
  CLI::App* cmd = root.add_subcommand("report", "(re)write the HTML report of a results directory");
  cmd->add_option("RESULTS_DIR", *dir, "a run's results directory (e.g. results/latest)")
      ->required();
  cmd->callback([&action, dir] {
    action = [dir] {
      if (is_bench_directory(*dir)) return rewrite_bench_report(*dir);
      RunRecord record;
      try {
        record = read_run_directory(*dir);
      } catch (const std::exception& e) {
        // Bad input, nothing written: one line and the usage exit code.
        std::cerr << "redproof: report: " << e.what() << "\n";
        return kExitUsage;
      }
      if (record.history_torn_lines > 0) {
        std::cerr << "redproof: report: warning: " << torn_line_warning(record.history_torn_bytes)
                  << "\n";
      }
      try {
        write_report(record);
      } catch (const std::exception& e) {
        std::cerr << "redproof: report: " << e.what() << "\n";
        return kExitUnknown;
      }
      std::cout << (std::filesystem::path(*dir) / "report.html").string() << "\n";
      return kExitValid;
    };
  });
}

}  // namespace redproof

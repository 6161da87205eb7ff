// `redproof check`, three ways (../shared/spec/cli.md):
//   check --model MODEL [--init JSON] [--timeout S] HISTORY.jsonl   linearizability alone
//   check --workload NAME [--variant V] [--param K=V] [--slo S] HISTORY.jsonl
//                                          one workload's checkers on any history
//   check RESULTS_DIR                      every checker of a stored run, as the run ran them
// Exit 0 valid, 1 not, 2 bad input (one line with the file and line), 3 unknown.
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "checkers/linearizability/linearizability_checker.hpp"
#include "core/history_reader.hpp"
#include "driver/command.hpp"
#include "driver/run_checking.hpp"
#include "results/console_summary.hpp"
#include "results/results_directory.hpp"
#include "results/results_json.hpp"

namespace redproof {

namespace {

struct CheckFlags {
  std::string model;
  std::string workload;
  std::string variant;
  std::vector<std::string> params;
  std::vector<std::string> slos;
  std::string init;
  double timeout_s = 60;
  std::string max_memory;
  std::string html;
  bool json = false;
  std::string history;  // a history file, or a results directory
};

void warn_if_torn(std::size_t torn_lines, std::size_t torn_bytes) {
  if (torn_lines > 0)
    std::cerr << "redproof check: warning: " << torn_line_warning(torn_bytes) << "\n";
}

// "2G", "512M", "100000000": bytes. nullopt when malformed.
std::optional<std::int64_t> parse_bytes(const std::string& text) {
  if (text.empty()) return std::nullopt;
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  std::string unit = text.substr(used);
  double scale = 1;
  if (unit == "K" || unit == "k")
    scale = 1 << 10;
  else if (unit == "M" || unit == "m")
    scale = 1 << 20;
  else if (unit == "G" || unit == "g")
    scale = 1 << 30;
  else if (!unit.empty())
    return std::nullopt;
  if (!(v > 0)) return std::nullopt;
  return static_cast<std::int64_t>(v * scale);
}

// A history as `check` reads it: a torn last line (a killed run's) is ignored with one warning on
// stderr; anything else malformed throws.
std::vector<Op> read_checked_history(const std::string& path, HistoryReadNotes& notes) {
  std::vector<Op> history =
      read_history_file(path, HistoryReadOptions{.allow_truncated_last_line = true}, &notes);
  warn_if_torn(notes.torn_lines, notes.torn_bytes);
  return history;
}

// Half the machine's memory: a search that needs more is better answered `unknown`.
std::int64_t default_memory_cap() {
  long pages = ::sysconf(_SC_PHYS_PAGES), size = ::sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || size <= 0) return std::int64_t{2} << 30;
  return static_cast<std::int64_t>(pages) * size / 2;
}

int run_model_check(const CheckFlags& f) {
  linearizability::CheckOptions o;
  o.model = f.model;
  o.init_json = f.init;
  o.timeout = std::chrono::milliseconds(static_cast<std::int64_t>(f.timeout_s * 1000));
  o.max_memory_bytes = default_memory_cap();
  if (!f.max_memory.empty()) {
    auto b = parse_bytes(f.max_memory);
    if (!b) {
      std::cerr << "redproof check: --max-memory " << f.max_memory
                << ": expected bytes such as 2G or 512M\n";
      return kExitUsage;
    }
    o.max_memory_bytes = *b;
  }
  std::vector<Op> history;
  HistoryReadNotes notes;
  try {
    history = read_checked_history(f.history, notes);
  } catch (const HistoryError& e) {
    std::cerr << "redproof check: " << f.history << ": " << e.what() << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "redproof check: " << e.what() << "\n";
    return kExitUsage;
  }
  linearizability::LinearizabilityResult r;
  try {
    r = linearizability::check_linearizability(history, o);
  } catch (const std::invalid_argument& e) {
    std::cerr << "redproof check: " << f.history << ": " << e.what() << "\n";
    return kExitUsage;
  }
  if (!f.html.empty()) {
    std::ofstream(f.html) << linearizability::linearizability_html(r);
  }
  if (f.json) {
    nlohmann::json out = linearizability::to_json(r);
    out["history_torn_lines"] = notes.torn_lines;
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << fmt::format("{}: {} ({} operations, {} keys, model {}, {:.3f} s)\n", f.history,
                             linearizability::verdict_name(r.verdict), r.operations, r.keys,
                             f.model, r.seconds);
    if (!r.reason.empty()) std::cout << "  gave up: " << r.reason << " budget spent\n";
    if (r.failure) {
      const auto& x = *r.failure;
      std::cout << fmt::format(
          "  key \"{}\": after a linearizable prefix of {} operations the state is {}; "
          "process {}'s {} {} -> {} (history line {}) cannot be placed\n",
          x.key, x.prefix.size(), x.state, x.stuck.process, x.stuck.f, x.stuck.invoke_value,
          x.stuck.result, x.stuck.invoke_index + 1);
    }
  }
  switch (r.verdict) {
    case linearizability::Verdict::kLinearizable:
      return kExitValid;
    case linearizability::Verdict::kNotLinearizable:
      return kExitInvalid;
    case linearizability::Verdict::kUnknown:
      return kExitUnknown;
  }
  return kExitUnknown;
}

// The verdict of a re-checked record, printed as `run` prints it.
int report(const RunRecord& record, bool json) {
  if (json) {
    std::cout << results_json(record).dump(2) << "\n";
  } else {
    print_console_summary(std::cout, record);
  }
  return exit_code_for(record.valid);
}

int run_stored_check(const CheckFlags& f) {
  RunRecord record;
  CheckPlan plan;
  try {
    record = read_run_directory(f.history);
    plan = check_plan_from_config(record.config);
  } catch (const std::exception& e) {
    std::cerr << "redproof check: " << f.history << ": " << e.what() << "\n";
    return kExitUsage;
  }
  warn_if_torn(record.history_torn_lines, record.history_torn_bytes);
  check_record(record, plan);
  // A run that was interrupted or lost a worker decided nothing for certain, now as then.
  if (!record.reason.empty()) record.valid = merge_validity(record.valid, Validity::kUnknown);
  return report(record, f.json);
}

int run_workload_check(const CheckFlags& f) {
  std::map<std::string, std::string> params;
  for (const auto& p : f.params) {
    const auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "redproof check: --param " << p << ": expected NAME=VALUE\n";
      return kExitUsage;
    }
    params[p.substr(0, eq)] = p.substr(eq + 1);
  }
  RunRecord record;
  CheckPlan plan;
  try {
    plan = check_plan(f.workload, f.variant, params, f.slos);
    HistoryReadNotes notes;
    record.history = read_checked_history(f.history, notes);
    record.history_torn_lines = notes.torn_lines;
    record.history_torn_bytes = notes.torn_bytes;
  } catch (const HistoryError& e) {
    std::cerr << "redproof check: " << f.history << ": " << e.what() << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "redproof check: " << e.what() << "\n";
    return kExitUsage;
  }
  record.config = {{"workload", f.workload},
                   {"variant", plan.setup.variant},
                   {"knobs", plan.setup.knobs.to_json()},
                   {"history", f.history}};
  check_record(record, plan);
  return report(record, f.json);
}

int run_check(const CheckFlags& f) {
  std::error_code ec;
  const bool is_dir = std::filesystem::is_directory(f.history, ec);
  if (!f.model.empty() && !f.workload.empty()) {
    std::cerr << "redproof check: --model and --workload do not go together\n";
    return kExitUsage;
  }
  if (is_dir) {
    if (!f.model.empty() || !f.workload.empty()) {
      std::cerr << "redproof check: " << f.history
                << " is a results directory: its run.json names the workload; drop --model and "
                   "--workload\n";
      return kExitUsage;
    }
    return run_stored_check(f);
  }
  if (!f.workload.empty()) return run_workload_check(f);
  if (!f.model.empty()) return run_model_check(f);
  std::cerr << "redproof check: " << f.history
            << ": give --model MODEL or --workload NAME for a history file, or a results "
               "directory\n";
  return kExitUsage;
}

}  // namespace

void add_check_command(CLI::App& root, CommandAction& action) {
  auto f = std::make_shared<CheckFlags>();
  CLI::App* cmd = root.add_subcommand(
      "check",
      "re-check a stored run (RESULTS_DIR), or a history file with a workload's checkers "
      "(--workload) or for linearizability (--model)");
  cmd->add_option("--model", f->model,
                  "register, cas-register, kv, counter, set, fifo-queue, mutex, multi-register");
  cmd->add_option("--workload", f->workload, "run this workload's checkers (see redproof list)");
  cmd->add_option("--variant", f->variant, "with --workload: the variant (default: the first)");
  cmd->add_option("--param", f->params, "with --workload: a knob NAME=VALUE (repeatable)");
  cmd->add_option("--slo", f->slos, "with --workload: a latency objective, e.g. p99<2ms");
  cmd->add_option("--init", f->init, "initial value as JSON (default: the model's)");
  cmd->add_option("--timeout", f->timeout_s, "seconds before answering unknown")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--max-memory", f->max_memory,
                  "cap on the search's memory, e.g. 2G (default: half the machine's)");
  cmd->add_option("--html", f->html, "also write the counterexample as an HTML page");
  cmd->add_flag("--json", f->json, "print the verdict as JSON");
  cmd->add_option("history", f->history, "history file (JSON Lines) or results directory")
      ->required();
  cmd->callback([f, &action] { action = [f] { return run_check(*f); }; });
}

}  // namespace redproof

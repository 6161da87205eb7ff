#include "driver/suite/suite_runner.hpp"

#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/private_files.hpp"
#include "core/text_format.hpp"
#include "driver/heal/run_state_file.hpp"
#include "driver/suite/expectation.hpp"

namespace redproof::suite {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using Status = SuiteSeedResult::Status;

// The signal handler's whole world: async-signal-safe state only.
volatile sig_atomic_t g_signal = 0;
volatile pid_t g_child = 0;

extern "C" void on_stop_signal(int sig) {
  g_signal = sig;
  const pid_t child = g_child;
  if (child > 0) kill(child, sig);  // the child heals its faults and exits by itself
}

// Ctrl-C and SIGTERM go to the running child, not to the suite: installed for the suite's
// lifetime, previous handlers restored after.
class StopSignals {
 public:
  StopSignals() {
    g_signal = 0;
    g_child = 0;
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: the waiting loop sees the signal at once
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
  }
  ~StopSignals() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
    g_child = 0;
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

std::string last_line_of(const std::string& path) {
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") != std::string::npos) last = line;
  }
  if (last.size() > 300) last = last.substr(0, 300) + "…";
  return last;
}

std::string latency_text(double ns) {
  return format_duration(Nanos(static_cast<std::int64_t>(ns)));
}

std::string figures_text(const Figures& f, std::size_t seeds) {
  return fmt::format("p50 {}, p99 {}, p99.9 {}, {:.0f} ops/s{}", latency_text(f.p50_ns),
                     latency_text(f.p99_ns), latency_text(f.p999_ns), f.ops_per_s,
                     seeds > 1 ? fmt::format(" (medians of {} seeds)", seeds) : "");
}

// Upper bound on one seed's wall time: load, setup, final reads, checking. Past it the child is
// asked to stop (SIGTERM: it heals), and killed a minute later.
Clock::duration time_limit(const PlannedRun& run) {
  const auto load = parse_duration(run.time).value_or(std::chrono::seconds(10));
  return std::chrono::duration_cast<Clock::duration>(load * 3 + std::chrono::seconds(180));
}

struct ChildOutcome {
  int exit_code = -1;
  bool timed_out = false;
  bool killed = false;
  std::string error;  // could not start it at all
};

ChildOutcome run_child(const std::string& binary, const std::vector<std::string>& args,
                       const std::string& log_path, Clock::duration limit) {
  ChildOutcome outcome;
  const int log = open_private_file(log_path);
  if (log < 0) {
    outcome.error = fmt::format("cannot write {}: {}", log_path, std::strerror(errno));
    return outcome;
  }
  std::vector<std::string> argv_strings;
  argv_strings.push_back(binary);
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_strings) argv.push_back(a.data());
  argv.push_back(nullptr);

  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = fork();
  if (pid < 0) {
    close(log);
    outcome.error = fmt::format("cannot start a run: fork: {}", std::strerror(errno));
    return outcome;
  }
  if (pid == 0) {
    // Its own process group: a terminal's Ctrl-C reaches the suite only, which forwards it once.
    setpgid(0, 0);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    dup2(log, 1);
    dup2(log, 2);
    const int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    execv(binary.c_str(), argv.data());
    std::fprintf(stderr, "redproof suite: cannot run %s: %s\n", binary.c_str(),
                 std::strerror(errno));
    _exit(127);
  }
  close(log);
  g_child = pid;
  if (g_signal) kill(pid, g_signal);  // arrived between fork and here

  const auto start = Clock::now();
  Clock::time_point kill_at{};
  int status = 0;
  for (;;) {
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (r < 0 && errno != EINTR) break;
    const auto now = Clock::now();
    if (!outcome.timed_out && now - start > limit) {
      outcome.timed_out = true;
      kill(pid, SIGTERM);
      kill_at = now + std::chrono::seconds(60);
    } else if (outcome.timed_out && !outcome.killed && now > kill_at) {
      outcome.killed = true;
      kill(-pid, SIGKILL);  // the whole group: the run and whatever it started
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  g_child = 0;
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return outcome;
}

const char* status_word(Status s) {
  switch (s) {
    case Status::kMet:
      return "met";
    case Status::kMissed:
      return "MISSED";
    default:
      return "skipped";
  }
}

std::string display_path(const std::string& path) {
  std::error_code ec;
  const fs::path rel = fs::path(path).lexically_relative(fs::current_path(ec));
  if (!rel.empty() && rel.native().rfind("..", 0) != 0) return rel.string();
  return path;
}

// One seed: start the child, wait, read what it wrote, judge it.
SuiteSeedResult run_seed(const PlannedRun& run, std::uint64_t seed, const RunnerOptions& options,
                         std::optional<Figures>& figures) {
  SuiteSeedResult s;
  s.seed = seed;
  const std::vector<std::string> args = run_arguments(run, seed);
  std::vector<std::string> replay = {options.replay_binary.empty() ? "redproof"
                                                                   : options.replay_binary};
  replay.insert(replay.end(), args.begin(), args.end());
  s.replay = shell_command(replay);

  const fs::path seed_dir =
      fs::path(options.results_root) / run_slug(run.name) / fmt::format("seed-{}", seed);
  try {
    create_private_directories(seed_dir.string());
  } catch (const std::exception& e) {
    s.status = Status::kMissed;
    s.got = "error";
    s.failure = e.what();
    return s;
  }
  std::error_code ec;
  // A `latest` left by an earlier suite must not pass for this run's results.
  fs::remove(seed_dir / "latest", ec);
  s.log = fs::absolute(seed_dir / "redproof.log", ec).string();

  std::vector<std::string> child_args = args;
  child_args.push_back("--results-dir");
  child_args.push_back(seed_dir.string());
  const auto started = Clock::now();
  const ChildOutcome child = run_child(options.binary, child_args, s.log, time_limit(run));
  s.seconds = std::chrono::duration<double>(Clock::now() - started).count();

  if (child.killed) {
    // It could not heal itself: do it for it, from its state.json.
    heal_abandoned_runs(seed_dir.string());
  }
  const fs::path latest = seed_dir / "latest";
  if (fs::exists(latest / "run.json", ec)) s.directory = fs::canonical(latest, ec).string();

  if (!child.error.empty()) {
    s.status = Status::kMissed;
    s.got = "error";
    s.failure = child.error;
    return s;
  }
  if (g_signal) {
    s.status = Status::kSkipped;
    s.got = "interrupted";
    s.failure = "interrupted: the run was stopped and healed before it could decide";
    return s;
  }
  nlohmann::json results;
  if (fs::exists(latest / "results.json", ec)) {
    std::ifstream in(latest / "results.json");
    results = nlohmann::json::parse(in, nullptr, false);
  }
  if (results.is_discarded() || !results.is_object()) {
    s.status = Status::kMissed;
    s.got = fmt::format("error (exit {})", child.exit_code);
    const std::string why = last_line_of(s.log);
    s.failure =
        child.timed_out
            ? fmt::format("no verdict: still running after {:.0f} s, stopped", s.seconds)
            : fmt::format("no verdict (exit {}){}", child.exit_code, why.empty() ? "" : ": " + why);
    return s;
  }
  const Observed observed = observe_results(results);
  s.got = describe_verdict(observed.valid, observed.anomalies);
  if (child.timed_out) {
    s.status = Status::kMissed;
    s.failure = fmt::format("timed out after {:.0f} s", s.seconds);
  } else if (auto why = mismatch(run.expect, observed)) {
    s.status = Status::kMissed;
    s.failure = *why;
  } else {
    s.status = Status::kMet;
  }
  figures = figures_from_results(results);
  return s;
}

}  // namespace

std::vector<std::string> run_arguments(const PlannedRun& run, std::uint64_t seed) {
  std::vector<std::string> a = {"run", run.workload};
  if (!run.variant.empty()) a.insert(a.end(), {"--variant", run.variant});
  a.insert(a.end(), {"--fault", join(run.faults, ","), "--time", run.time, "--seed",
                     std::to_string(seed), "--clients", std::to_string(run.clients)});
  if (!run.topology.empty()) a.insert(a.end(), {"--topology", run.topology});
  for (const auto& [k, v] : run.params) a.insert(a.end(), {"--param", k + "=" + v});
  for (const auto& slo : run.slos) a.insert(a.end(), {"--slo", slo});
  if (!run.fault_interval.empty()) a.insert(a.end(), {"--fault-interval", run.fault_interval});
  if (!run.rate.empty()) a.insert(a.end(), {"--rate", run.rate});
  if (!run.persistence.empty()) a.insert(a.end(), {"--persistence", run.persistence});
  if (!run.fault_at.empty()) a.insert(a.end(), {"--fault-at", run.fault_at});
  return a;
}

std::string shell_command(const std::vector<std::string>& args) {
  std::string out;
  for (const auto& arg : args) {
    if (!out.empty()) out += ' ';
    const bool plain = !arg.empty() && std::all_of(arg.begin(), arg.end(), [](unsigned char c) {
      return std::isalnum(c) ||
             std::string_view("_./=:,+-@%").find(static_cast<char>(c)) != std::string_view::npos;
    });
    if (plain) {
      out += arg;
      continue;
    }
    out += '\'';
    for (char c : arg) {
      if (c == '\'') {
        out += "'\\''";
      } else {
        out += c;
      }
    }
    out += '\'';
  }
  return out;
}

SuiteResult run_suite(const SuitePlan& plan, const RunnerOptions& options,
                      BaselineRuns* figures_out) {
  StopSignals signals;
  SuiteResult suite;
  suite.started = utc_now_iso();
  std::error_code ec;
  suite.directory = fs::absolute(options.results_root, ec).lexically_normal().string();
  suite.tolerance_pct = options.tolerance_pct;
  const auto suite_start = Clock::now();

  std::size_t total = 0, done = 0;
  for (const auto& run : plan.runs) total += run.seeds.size();
  const int width = static_cast<int>(std::to_string(total).size());

  for (const auto& run : plan.runs) {
    SuiteRunResult r;
    r.name = run.name;
    r.note = run.note;
    r.expected = describe_verdict(run.expect.valid, run.expect.anomalies);
    r.min_seeds = run.min_seeds();
    std::vector<Figures> seed_figures;
    bool any_ran = false;
    for (const auto seed : run.seeds) {
      ++done;
      if (g_signal) {
        SuiteSeedResult s;
        s.seed = seed;
        s.status = Status::kSkipped;
        s.failure = "skipped: the suite was interrupted";
        std::vector<std::string> replay = {options.replay_binary.empty() ? "redproof"
                                                                         : options.replay_binary};
        auto args = run_arguments(run, seed);
        replay.insert(replay.end(), args.begin(), args.end());
        s.replay = shell_command(replay);
        r.seeds.push_back(std::move(s));
        continue;
      }
      if (!options.quiet) {
        std::printf("[%*zu/%zu] %s · seed %llu … ", width, done, total, run.name.c_str(),
                    static_cast<unsigned long long>(seed));
        std::fflush(stdout);
      }
      std::optional<Figures> f;
      SuiteSeedResult s = run_seed(run, seed, options, f);
      any_ran = any_ran || s.status != Status::kSkipped || !s.directory.empty();
      if (f && s.status != Status::kSkipped) seed_figures.push_back(*f);
      if (s.status == Status::kMet) ++r.seeds_met;
      r.seconds += s.seconds;
      if (!options.quiet) {
        std::printf("%s: %s (%.1f s)\n", status_word(s.status), s.got.empty() ? "-" : s.got.c_str(),
                    s.seconds);
        if (s.status == Status::kMissed) {
          std::printf("    %s\n    replay: %s\n", s.failure.c_str(), s.replay.c_str());
        }
        std::fflush(stdout);
      }
      r.seeds.push_back(std::move(s));
    }
    r.skipped = !any_ran;
    if (!seed_figures.empty()) {
      const Figures median = median_figures(seed_figures);
      r.figures = figures_text(median, seed_figures.size());
      if (figures_out) (*figures_out)[run.name] = median;
      if (options.baseline && !g_signal) {
        if (auto it = options.baseline->find(run.name); it != options.baseline->end()) {
          r.baseline_compared = true;
          r.regression =
              describe_regressions(compare_figures(it->second, median, options.tolerance_pct));
        }
      }
    }
    suite.runs.push_back(std::move(r));
  }
  suite.interrupted = g_signal != 0;
  suite.seconds = std::chrono::duration<double>(Clock::now() - suite_start).count();
  return suite;
}

std::string suite_table(const SuiteResult& suite) {
  struct Row {
    std::string cells[6];
  };
  std::vector<Row> rows;
  rows.push_back({{"run", "expected", "got", "seeds met", "time", "results"}});
  for (const auto& run : suite.runs) {
    // "invalid + double-holder ×2, valid ×1": each distinct verdict with its count.
    std::vector<std::pair<std::string, int>> got;
    for (const auto& s : run.seeds) {
      const std::string g = s.status == Status::kSkipped ? "skipped" : s.got;
      auto it = std::find_if(got.begin(), got.end(), [&](const auto& p) { return p.first == g; });
      if (it == got.end()) {
        got.emplace_back(g, 1);
      } else {
        ++it->second;
      }
    }
    std::string got_text;
    for (const auto& [g, n] : got) {
      got_text += (got_text.empty() ? "" : ", ") + g +
                  (got.size() > 1 || n > 1 ? fmt::format(" ×{}", n) : "");
    }
    std::string met =
        fmt::format("{}/{} (need {})", run.seeds_met, run.seeds.size(), run.min_seeds);
    met += run.skipped ? " skipped" : run.met() ? " ok" : " MISSED";
    if (!run.regression.empty()) met += " REGRESSED";
    rows.push_back({{run.name, run.expected, got_text, met, fmt::format("{:.1f}s", run.seconds),
                     display_path(suite.directory + "/" + run_slug(run.name))}});
  }
  // Widths in code points, so "×" and "…" do not skew the columns.
  auto width = [](const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
  };
  std::size_t widths[6] = {};
  for (const auto& row : rows) {
    for (int i = 0; i < 6; ++i) widths[i] = std::max(widths[i], width(row.cells[i]));
  }
  std::string out;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    std::string line;
    for (int i = 0; i < 6; ++i) {
      line += rows[k].cells[i];
      if (i < 5) line += std::string(widths[i] - width(rows[k].cells[i]) + 2, ' ');
    }
    out += line + "\n";
    if (k == 0) {
      std::size_t total = 0;
      for (int i = 0; i < 6; ++i) total += widths[i] + (i < 5 ? 2 : 0);
      out += std::string(std::min<std::size_t>(total, 160), '-') + "\n";
    }
  }
  std::vector<const SuiteRunResult*> missed;
  for (const auto& run : suite.runs) {
    if (!run.skipped && !run.passed()) missed.push_back(&run);
  }
  if (!missed.empty()) out += "\n";
  for (const auto* run : missed) {
    if (!run->met()) {
      out += fmt::format("MISSED: {} (expected {}; {} of {} seeds met, {} needed)\n", run->name,
                         run->expected, run->seeds_met, run->seeds.size(), run->min_seeds);
    }
    if (!run->regression.empty())
      out += fmt::format("REGRESSED: {}: {}\n", run->name, run->regression);
    for (const auto& s : run->seeds) {
      if (s.status == Status::kMissed) {
        out += fmt::format("  seed {}: {}\n    replay: {}\n", s.seed, s.failure, s.replay);
      }
    }
  }
  return out;
}

}  // namespace redproof::suite

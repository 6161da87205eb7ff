// The linearizability checker against Porcupine (issue 21), parsing included and not: the three
// slowest corpus files, the whole corpus, a generated 200,000-operation kv history over 2,000
// keys and a generated 50,000-operation register history. Times are medians of --runs runs;
// each figure is measured in a process of its own (this program started again with --section),
// so that its peak RSS is its own. Instructions, being repeatable where times are not, come from
// the hardware counter when the machine has one (one run, parsing and checking, every thread),
// else from callgrind when valgrind is on PATH (one run of the whole process, less a run of the
// same process that skips the work: callgrind's collection toggles are per thread, so they
// would miss the checker's and the reader's worker threads), else are shown as not available.
//
//   build-release/bench/linearizability_bench [--runs N] [--corpus DIR] [--no-instructions]
//                                             [--no-generated] [--no-corpus] [--keep]
//
// --keep leaves the generated histories in the temporary directory (to profile them with
// --section gen:MODEL:PATH).
#include <fcntl.h>
#include <fmt/format.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "checkers/linearizability/linearizability_checker.hpp"
#include "core/history_reader.hpp"
#include "generate_history.hpp"

using namespace redproof;
using namespace redproof::linearizability;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

struct Job {
  std::string path;  // a history file
  std::string model;
  std::string init;  // JSON text, empty for the model's default
  std::string expected;
};

// One run: the seconds spent parsing and checking, and the verdict.
struct Run {
  double parse = 0, check = 0;
  Verdict verdict = Verdict::kUnknown;
};

Run run_job(const Job& job) {
  Run r;
  const auto t0 = Clock::now();
  auto history = read_history_file(job.path);
  const auto t1 = Clock::now();
  CheckOptions o;
  o.model = job.model;
  o.init_json = job.init;
  r.verdict = check_linearizability(history, o).verdict;
  const auto t2 = Clock::now();
  r.parse = std::chrono::duration<double>(t1 - t0).count();
  r.check = std::chrono::duration<double>(t2 - t1).count();
  return r;
}

// A user-space instruction counter for this process and its threads, when the CPU exposes one.
class InstructionCounter {
 public:
  InstructionCounter() {
    perf_event_attr a{};
    a.type = PERF_TYPE_HARDWARE;
    a.size = sizeof a;
    a.config = PERF_COUNT_HW_INSTRUCTIONS;
    a.disabled = 1;
    a.exclude_kernel = 1;
    a.exclude_hv = 1;
    a.inherit = 1;  // threads started while counting
    fd_ = static_cast<int>(syscall(SYS_perf_event_open, &a, 0, -1, -1, 0));
  }
  ~InstructionCounter() {
    if (fd_ >= 0) close(fd_);
  }
  bool available() const { return fd_ >= 0; }
  void start() {
    if (fd_ < 0) return;
    ioctl(fd_, PERF_EVENT_IOC_RESET, 0);
    ioctl(fd_, PERF_EVENT_IOC_ENABLE, 0);
  }
  std::optional<long long> stop() {
    if (fd_ < 0) return std::nullopt;
    ioctl(fd_, PERF_EVENT_IOC_DISABLE, 0);
    long long n = 0;
    if (read(fd_, &n, sizeof n) != sizeof n) return std::nullopt;
    return n;
  }

 private:
  int fd_ = -1;
};

std::vector<Job> load_corpus(const fs::path& dir) {
  std::vector<Job> jobs;
  std::ifstream in(dir / "manifest.json");
  if (!in) return jobs;
  for (const auto& e : nlohmann::json::parse(in)) {
    Job j;
    j.path = (dir / e["file"].get<std::string>()).string();
    j.model = e["model"];
    j.init = e.contains("init") && !e["init"].is_null() ? e["init"].dump() : "";
    j.expected = e["expected"];
    jobs.push_back(j);
  }
  return jobs;
}

// In the child: runs the jobs `runs` times and prints, per run, the sums of parse and check
// seconds and the number of verdicts that differ from `expected` (jobs without one count none).
// With `instructions`, one run only, counted by the hardware counter when there is one; with
// `baseline` as well, none (what callgrind counts of it is the process without the work).
int section_main(const std::vector<Job>& jobs, int runs, bool instructions, bool baseline) {
  InstructionCounter counter;
  if (instructions) {
    runs = baseline ? 0 : 1;
    counter.start();
  }
  for (int i = 0; i < runs; ++i) {
    double parse = 0, check = 0;
    int wrong = 0;
    std::string verdicts;
    for (const auto& j : jobs) {
      const Run r = run_job(j);
      parse += r.parse;
      check += r.check;
      if (!j.expected.empty() && verdict_name(r.verdict) != j.expected) ++wrong;
      if (jobs.size() == 1) verdicts = std::string(verdict_name(r.verdict));
    }
    std::printf("run %.9f %.9f %d %s\n", parse, check, wrong, verdicts.c_str());
  }
  if (instructions) {
    if (auto n = counter.stop()) std::printf("instructions %lld\n", *n);
  }
  std::fflush(stdout);
  return 0;
}

// Runs `argv` as a child, returns its standard output; `max_rss_kb` from its rusage.
std::optional<std::string> run_child(const std::vector<std::string>& argv, long* max_rss_kb) {
  int fds[2];
  if (pipe(fds) != 0) return std::nullopt;
  const pid_t pid = fork();
  if (pid < 0) return std::nullopt;
  if (pid == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    const int null = open("/dev/null", O_WRONLY);
    if (null >= 0 && argv[0] == "valgrind") dup2(null, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(fds[1]);
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  int status = 0;
  rusage ru{};
  wait4(pid, &status, 0, &ru);
  if (max_rss_kb) *max_rss_kb = ru.ru_maxrss;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  return out;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

bool on_path(const char* program) {
  const char* path = std::getenv("PATH");
  if (!path) return false;
  std::stringstream ss(path);
  for (std::string d; std::getline(ss, d, ':');) {
    if (!d.empty() && access((fs::path(d) / program).c_str(), X_OK) == 0) return true;
  }
  return false;
}

struct Measure {
  bool ok = false;
  double parse_check = 0, check = 0;  // medians, seconds
  int wrong = 0;                      // in the worst run
  std::string verdict;
  long rss_kb = 0;
  std::string instructions = "n/a";
};

std::string self_path() {
  return fs::read_symlink("/proc/self/exe").string();
}

std::vector<std::string> section_args(const std::string& section, const std::string& corpus,
                                      int runs) {
  return {self_path(), "--section", section, "--corpus", corpus, "--runs", std::to_string(runs)};
}

Measure measure(const std::string& section, const std::string& corpus, int runs,
                bool instructions) {
  Measure m;
  auto out = run_child(section_args(section, corpus, runs), &m.rss_kb);
  if (!out) return m;
  std::vector<double> totals, checks;
  std::istringstream in(*out);
  for (std::string line; std::getline(in, line);) {
    std::istringstream l(line);
    std::string tag;
    double parse = 0, check = 0;
    int wrong = 0;
    l >> tag >> parse >> check >> wrong;
    if (tag != "run") continue;
    l >> m.verdict;
    totals.push_back(parse + check);
    checks.push_back(check);
    m.wrong = std::max(m.wrong, wrong);
  }
  m.ok = !totals.empty();
  m.parse_check = median(totals);
  m.check = median(checks);
  if (!instructions) return m;
  // The hardware counter first; callgrind where there is none.
  auto args = section_args(section, corpus, 1);
  args.push_back("--instructions");
  if (auto counted = run_child(args, nullptr)) {
    auto at = counted->find("instructions ");
    if (at != std::string::npos) {
      m.instructions = fmt::format("{:.3g}", std::stod(counted->substr(at + 13))) + " (counter)";
      return m;
    }
  }
  if (!on_path("valgrind")) {
    m.instructions = "n/a (no counter, no valgrind)";
    return m;
  }
  auto callgrind = [&](std::vector<std::string> section) -> std::optional<double> {
    const std::string file =
        (fs::temp_directory_path() / fmt::format("redproof-callgrind-{}.out", getpid())).string();
    std::vector<std::string> vg = {"valgrind", "--tool=callgrind", "--callgrind-out-file=" + file};
    vg.insert(vg.end(), section.begin(), section.end());
    std::optional<double> total;
    if (run_child(vg, nullptr)) {
      std::ifstream f(file);
      for (std::string line; std::getline(f, line);) {
        if (line.rfind("totals:", 0) == 0 || line.rfind("summary:", 0) == 0) {
          total = std::stod(line.substr(line.find(':') + 1));
          break;
        }
      }
    }
    fs::remove(file);
    return total;
  };
  const auto work = callgrind(args);
  args.push_back("--baseline");
  const auto idle = callgrind(args);
  if (work && idle) m.instructions = fmt::format("{:.3g}", *work - *idle) + " (callgrind)";
  return m;
}

std::string ms(double s) {
  return fmt::format("{:.0f} ms", s * 1000);
}

void print_row(const std::string& name, const Measure& m, const std::string& reference) {
  if (!m.ok) {
    fmt::print("{:<44} failed to run\n", name);
    return;
  }
  fmt::print("{:<44} {:>8} {:>10} {:>22} {:>6} MB   {}\n", name, ms(m.check), ms(m.parse_check),
             m.instructions, m.rss_kb / 1024, reference);
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 5;
  std::string corpus = REDPROOF_CORPUS_DIR;
  std::string section;
  bool instructions = true, generated = true, whole_corpus = true, count_this = false;
  bool keep = false, baseline = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "linearizability_bench: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--runs") {
      runs = std::max(1, std::atoi(value().c_str()));
    } else if (a == "--corpus") {
      corpus = value();
    } else if (a == "--section") {
      section = value();
    } else if (a == "--instructions") {
      count_this = true;
    } else if (a == "--no-instructions") {
      instructions = false;
    } else if (a == "--no-generated") {
      generated = false;
    } else if (a == "--baseline") {
      baseline = true;
    } else if (a == "--keep") {
      keep = true;
    } else if (a == "--no-corpus") {
      whole_corpus = false;
    } else {
      std::fprintf(stderr,
                   "usage: linearizability_bench [--runs N] [--corpus DIR] [--no-instructions] "
                   "[--no-generated] [--no-corpus] [--keep]\n");
      return 2;
    }
  }
  const fs::path dir = fs::path(corpus) / "linearizability";
  const auto jobs = load_corpus(dir);

  if (!section.empty()) {
    // "corpus", "file:RELATIVE" (a corpus file) or "gen:MODEL:PATH" (a generated history).
    std::vector<Job> selected;
    if (section == "corpus") {
      selected = jobs;
    } else if (section.rfind("file:", 0) == 0) {
      const std::string path = (dir / section.substr(5)).string();
      for (const auto& j : jobs) {
        if (j.path == path) selected.push_back(j);
      }
    } else if (section.rfind("gen:", 0) == 0) {
      const auto colon = section.find(':', 4);
      selected.push_back({section.substr(colon + 1), section.substr(4, colon - 4), "", ""});
    }
    if (selected.empty()) {
      std::fprintf(stderr, "linearizability_bench: nothing to run for %s\n", section.c_str());
      return 2;
    }
    return section_main(selected, runs, count_this, baseline);
  }

  fmt::print("linearizability_bench: medians of {} runs, each section in a process of its own\n",
             runs);
  fmt::print("{:<44} {:>8} {:>10} {:>22} {:>9}   {}\n", "", "check", "+ parsing", "instructions",
             "peak RSS", "Porcupine v1.3.0, parsing included (issue 21)");
  if (jobs.empty()) {
    fmt::print("corpus: absent at {}\n", dir.string());
  } else {
    struct Heavy {
      const char* file;
      const char* reference;
    };
    const Heavy heavy[] = {{"porcupine/jepsen__etcd_002.jsonl", "257 ms"},
                           {"porcupine/kv__c50-ok.jsonl", "264 ms (476 ms CPU)"},
                           {"porcupine/jepsen__etcd_099.jsonl", "112 ms"}};
    double sum_total = 0, sum_check = 0;
    long rss = 0;
    for (const auto& h : heavy) {
      const Measure m = measure(std::string("file:") + h.file, corpus, runs, instructions);
      sum_total += m.parse_check;
      sum_check += m.check;
      rss = std::max(rss, m.rss_kb);
      std::string name = std::string(h.file).substr(10);
      name = name.substr(0, name.size() - 6) + " (" + m.verdict + ")";
      print_row(name, m, h.reference);
    }
    Measure three;
    three.ok = true;
    three.parse_check = sum_total;
    three.check = sum_check;
    three.rss_kb = rss;
    three.instructions = "";
    print_row("the three (sum of medians)", three, "634 ms; goal <= 320 ms");
    if (whole_corpus) {
      const Measure m = measure("corpus", corpus, runs, instructions);
      print_row(fmt::format("corpus: {} files, {} wrong", jobs.size(), m.wrong), m,
                "1.32-1.35 s (0.92-0.96 s checking); goal <= 0.67 s");
    }
  }
  if (generated) {
    const auto tmp = fs::temp_directory_path();
    const std::string kv = (tmp / fmt::format("redproof-lbench-kv-{}.jsonl", getpid())).string();
    const std::string reg =
        (tmp / fmt::format("redproof-lbench-register-{}.jsonl", getpid())).string();
    redproof::bench::generate(kv, "kv", 200000, 2000, 8, 0.01, 1);
    redproof::bench::generate(reg, "register", 50000, 1, 8, 0.02, 2);
    Measure m = measure("gen:kv:" + kv, corpus, runs, false);
    print_row("kv: 200,000 ops, 2,000 keys (" + m.verdict + ")", m, "goal < 0.4 s");
    m = measure("gen:register:" + reg, corpus, runs, false);
    print_row("register: 50,000 ops (" + m.verdict + ")", m, "goal < 1 s");
    if (keep) {
      fmt::print("kept {} and {}\n", kv, reg);
    } else {
      fs::remove(kv);
      fs::remove(reg);
    }
  }
  return 0;
}

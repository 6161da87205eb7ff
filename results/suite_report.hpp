// What a suite did, run by run and seed by seed, and suite.html: one self-contained page (no
// network, no script) with a row per run linking to each seed's report.html. The JUnit writer
// (junit_writer.hpp) renders the same record.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace redproof {

struct SuiteSeedResult {
  enum class Status { kMet, kMissed, kSkipped };
  std::uint64_t seed = 0;
  Status status = Status::kSkipped;
  std::string got;        // "invalid + double-holder", "error (exit 2)", "" when skipped
  std::string failure;    // what differed from the expectation, or why it was skipped
  std::string directory;  // the run's results directory (with report.html); empty if none
  std::string log;        // the child's stdout and stderr
  std::string replay;     // the command line that replays this seed
  double seconds = 0;
};

struct SuiteRunResult {
  std::string name;
  std::string expected;  // "invalid + double-holder"
  std::string note;
  int min_seeds = 0;
  int seeds_met = 0;
  std::vector<SuiteSeedResult> seeds;
  bool skipped = false;  // no seed ran (interrupted before it started)
  bool baseline_compared = false;
  std::string regression;  // what got worse than the baseline; empty when nothing did
  std::string figures;     // "p50 1.2ms, p99 30ms, p99.9 510ms, 410 ops/s" (medians over seeds)
  double seconds = 0;
  bool met() const { return !skipped && seeds_met >= min_seeds; }
  bool passed() const { return met() && regression.empty(); }
};

struct SuiteResult {
  std::string plan;       // the plan file as given
  std::string started;    // UTC, ISO 8601
  std::string directory;  // the suite's results root
  std::string baseline;   // --baseline DIR, empty without
  double tolerance_pct = 20;
  bool interrupted = false;
  double seconds = 0;
  std::vector<SuiteRunResult> runs;
  bool passed() const {
    if (interrupted) return false;
    for (const auto& r : runs) {
      if (!r.passed()) return false;
    }
    return true;
  }
};

// The page's HTML; links to report.html files are made relative to `html_dir`, the directory
// the page is written into, so the tree can be moved or served as it is.
std::string suite_html(const SuiteResult& suite, const std::string& html_dir);

// Writes suite_html() to `path` (atomically). Throws std::runtime_error naming the path.
void write_suite_html(const SuiteResult& suite, const std::string& path);

// Text made safe for HTML and XML: &, <, >, quotes escaped; control characters other than tab,
// newline and carriage return, and bytes that are not UTF-8, become U+FFFD.
std::string escape_markup(std::string_view text);

}  // namespace redproof

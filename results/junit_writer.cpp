#include "results/junit_writer.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace redproof {

namespace {

namespace fs = std::filesystem;

std::string attr(std::string_view text) {
  return escape_markup(text);
}

std::string seconds(double s) {
  return fmt::format("{:.3f}", s);
}

struct Counts {
  int tests = 0, failures = 0, skipped = 0;
};

// A seed fails in JUnit only when its run missed: with min_seeds below all, a run that met its
// expectation may contain seeds that did not, and CI must not go red for those.
bool seed_fails(const SuiteRunResult& run, const SuiteSeedResult& seed) {
  return seed.status == SuiteSeedResult::Status::kMissed && !run.met();
}

Counts count(const SuiteResult& suite) {
  Counts c;
  for (const auto& run : suite.runs) {
    for (const auto& seed : run.seeds) {
      ++c.tests;
      if (seed.status == SuiteSeedResult::Status::kSkipped) ++c.skipped;
      if (seed_fails(run, seed)) ++c.failures;
    }
    if (run.baseline_compared) {
      ++c.tests;
      if (!run.regression.empty()) ++c.failures;
    }
  }
  return c;
}

void seed_case(std::string& out, const SuiteRunResult& run, const SuiteSeedResult& seed) {
  out += fmt::format("    <testcase classname=\"{}\" name=\"seed {}\" time=\"{}\">\n",
                     attr(run.name), seed.seed, seconds(seed.seconds));
  const std::string needed = fmt::format("{} of {} seeds met the expectation, {} needed",
                                         run.seeds_met, run.seeds.size(), run.min_seeds);
  if (seed.status == SuiteSeedResult::Status::kSkipped) {
    out += fmt::format("      <skipped message=\"{}\"/>\n",
                       attr(seed.failure.empty() ? "not run" : seed.failure));
  } else if (seed_fails(run, seed)) {
    const std::string message = fmt::format("expected {}: {}", run.expected, seed.failure);
    out += fmt::format("      <failure message=\"{}\" type=\"expectation\">{}\n{}</failure>\n",
                       attr(message), escape_markup(message), escape_markup(needed));
  }
  std::string text;
  text += "expected: " + run.expected + "\n";
  if (!seed.got.empty()) text += "got: " + seed.got + "\n";
  if (seed.status == SuiteSeedResult::Status::kMissed && run.met()) {
    text += "this seed missed (" + seed.failure + "), but the run met its expectation: " + needed +
            "\n";
  }
  if (!seed.directory.empty()) text += "results: " + seed.directory + "\n";
  if (!seed.log.empty()) text += "log: " + seed.log + "\n";
  if (!seed.replay.empty()) text += "replay: " + seed.replay + "\n";
  out += "      <system-out>" + escape_markup(text) + "</system-out>\n";
  out += "    </testcase>\n";
}

}  // namespace

std::string junit_xml(const SuiteResult& suite) {
  const Counts c = count(suite);
  std::string name = suite.plan;
  if (auto slash = name.rfind('/'); slash != std::string::npos) name = name.substr(slash + 1);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format(
      "<testsuites name=\"redproof suite\" tests=\"{}\" failures=\"{}\" errors=\"0\" "
      "skipped=\"{}\" time=\"{}\">\n",
      c.tests, c.failures, c.skipped, seconds(suite.seconds));
  out += fmt::format(
      "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" "
      "time=\"{}\" timestamp=\"{}\">\n",
      attr(name), c.tests, c.failures, c.skipped, seconds(suite.seconds), attr(suite.started));
  out += "    <properties>\n";
  out += fmt::format("      <property name=\"plan\" value=\"{}\"/>\n", attr(suite.plan));
  out += fmt::format("      <property name=\"results\" value=\"{}\"/>\n", attr(suite.directory));
  if (!suite.baseline.empty()) {
    out += fmt::format("      <property name=\"baseline\" value=\"{}\"/>\n", attr(suite.baseline));
    out += fmt::format("      <property name=\"tolerance_pct\" value=\"{:g}\"/>\n",
                       suite.tolerance_pct);
  }
  if (suite.interrupted) out += "      <property name=\"interrupted\" value=\"true\"/>\n";
  out += "    </properties>\n";
  for (const auto& run : suite.runs) {
    for (const auto& seed : run.seeds) seed_case(out, run, seed);
    if (run.baseline_compared) {
      out += fmt::format("    <testcase classname=\"{}\" name=\"baseline\" time=\"0\">\n",
                         attr(run.name));
      if (!run.regression.empty()) {
        out += fmt::format("      <failure message=\"{}\" type=\"regression\">{}</failure>\n",
                           attr("regression: " + run.regression), escape_markup(run.regression));
      }
      out += "      <system-out>" +
             escape_markup(run.figures + "\nbaseline: " + suite.baseline + "\n") +
             "</system-out>\n";
      out += "    </testcase>\n";
    }
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

void write_junit(const SuiteResult& suite, const std::string& path) {
  const fs::path p(path);
  std::error_code ec;
  if (p.has_parent_path()) fs::create_directories(p.parent_path(), ec);
  const fs::path tmp = path + fmt::format(".tmp-{}", getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << junit_xml(suite);
    if (!out) throw std::runtime_error(fmt::format("cannot write {}", tmp.string()));
  }
  fs::rename(tmp, p, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw std::runtime_error(fmt::format("cannot write {}", path));
  }
}

}  // namespace redproof

// A run killed outright (SIGKILL) leaves a history that `check RESULTS_DIR` and `report
// RESULTS_DIR` still read: at most one torn last line, ignored and counted, and an unknown verdict
// that says why. Interrupted and failed runs say why in results.json; every file of a run is the
// owner's alone. Each test that kills a run runs `redproof heal` after it, which kills the servers
// the run left behind (the nemesis may have restarted or stopped them).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/integration/driver/redproof_process.hpp"

namespace redproof {
namespace {

namespace fs = std::filesystem;
using testing::Outcome;
using testing::run_redproof;
using testing::slurp;

class KilledRun : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = fs::temp_directory_path() /
               ("redproof-killed-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(scratch_);
    fs::create_directories(scratch_);
  }
  void TearDown() override {
    // Whatever a failed assertion left running, heal cleans it up.
    redproof({"heal", "--results-dir", results_root()});
    if (!HasFailure()) fs::remove_all(scratch_);
  }
  std::string results_root() const { return (scratch_ / "results").string(); }
  fs::path latest() const { return fs::canonical(scratch_ / "results" / "latest"); }
  Outcome redproof(const std::vector<std::string>& args) {
    return run_redproof(args, scratch_.string());
  }

  // Starts `redproof run ...` in the background, in a scratch folder of its own (its output files
  // must not be overwritten by the commands run while it runs).
  pid_t start_run(std::vector<std::string> args) {
    args.insert(args.begin(), "run");
    args.push_back("--results-dir");
    args.push_back(results_root());
    fs::create_directories(scratch_ / "run");
    return testing::start_redproof(args, (scratch_ / "run").string());
  }

  fs::path scratch_;
};

std::size_t lines_in(const std::string& text) {
  return std::count(text.begin(), text.end(), '\n');
}

unsigned mode_of(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 0777;
}

TEST_F(KilledRun, CheckAndReportReadWhatASigkilledRunLeft) {
  const pid_t pid = start_run({"register", "--time", "30s", "--fault", "pause-server",
                               "--fault-interval", "300ms", "--seed", "5"});
  // Killed once the history holds a few hundred lines and at least one fault has ended (so the
  // nemesis has synced a fault boundary): polled, never a fixed sleep. 60 s is far more than
  // either takes.
  fs::path history;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    std::error_code ec;
    const fs::path dir = fs::canonical(scratch_ / "results" / "latest", ec);
    if (!ec && fs::exists(dir / "history.jsonl")) {
      history = dir / "history.jsonl";
      const std::string text = slurp(history.string());
      if (lines_in(text) >= 300 && text.find(R"("phase":"stop")") != std::string::npos) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the run ended before it was killed";
  ASSERT_FALSE(history.empty()) << slurp((scratch_ / "run" / "stderr.txt").string());
  const std::string left = slurp(history.string());
  ASSERT_GE(lines_in(left), 300u);
  const int torn = !left.empty() && left.back() != '\n' ? 1 : 0;
  std::printf("[ measured ] %zu whole lines left, %d torn\n", lines_in(left), torn);

  // The servers the run left (a paused one among them, perhaps) go first.
  auto healed = redproof({"heal", "--results-dir", results_root()});
  EXPECT_EQ(healed.exit_code, 0) << healed.err;
  EXPECT_NE(healed.out.find("1 abandoned run healed"), std::string::npos) << healed.out;

  const std::string dir = latest().string();
  auto check = redproof({"check", dir, "--json"});
  EXPECT_EQ(check.exit_code, 3) << check.out << check.err;  // no results.json: unknown
  const auto j = nlohmann::json::parse(check.out);
  EXPECT_EQ(j["history_torn_lines"], torn);
  EXPECT_EQ(j["valid"], "unknown");
  EXPECT_NE(j["reason"].get<std::string>().find("stopped before it wrote results.json"),
            std::string::npos);
  EXPECT_TRUE(j["checkers"].contains("linearizable")) << j["checkers"].dump();
  EXPECT_NE(j["checkers"]["linearizable"]["valid"], false) << "a prefix of a correct run";
  EXPECT_EQ(check.err.find("last line torn") != std::string::npos, torn == 1) << check.err;

  auto text = redproof({"check", dir});
  EXPECT_EQ(text.exit_code, 3) << text.err;
  EXPECT_NE(text.out.find("Unknown because: the run stopped before it wrote results.json"),
            std::string::npos)
      << text.out;

  auto report = redproof({"report", dir});
  EXPECT_EQ(report.exit_code, 0) << report.err;
  const std::string html = slurp(dir + "/report.html");
  EXPECT_NE(html.find("Unknown because: the run stopped before it wrote results.json"),
            std::string::npos);
  EXPECT_EQ(html.find("last line torn") != std::string::npos, torn == 1);
}

TEST_F(KilledRun, HalfALineAppendedToAFinishedHistoryIsOneWarningAndTheVerdictStands) {
  auto run =
      redproof({"run", "register", "--time", "3s", "--seed", "2", "--results-dir", results_root()});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  const fs::path copy = scratch_ / "copy";
  fs::copy(latest(), copy, fs::copy_options::recursive);
  const fs::path history = copy / "history.jsonl";
  const std::string whole = slurp(history.string());
  const std::string last = whole.substr(whole.rfind('\n', whole.size() - 2) + 1);
  const std::string half = last.substr(0, last.size() / 2);
  std::ofstream(history, std::ios::app) << half;
  const std::string warning =
      "history: last line torn (" + std::to_string(half.size()) + " bytes), ignored";

  auto check = redproof({"check", copy.string()});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_EQ(check.err, "redproof check: warning: " + warning + "\n");
  EXPECT_NE(check.out.find("Warning: " + warning), std::string::npos) << check.out;
  auto json = redproof({"check", copy.string(), "--json"});
  EXPECT_EQ(nlohmann::json::parse(json.out)["history_torn_lines"], 1);
  auto by_workload = redproof({"check", "--workload", "register", history.string()});
  EXPECT_EQ(by_workload.exit_code, 0) << by_workload.out << by_workload.err;
  EXPECT_EQ(by_workload.err, "redproof check: warning: " + warning + "\n");
  auto report = redproof({"report", copy.string()});
  EXPECT_EQ(report.exit_code, 0) << report.err;
  EXPECT_NE(slurp((copy / "report.html").string()).find(warning), std::string::npos);

  // The same half line with a line after it is no torn tail but a bad line: exit 2, its number.
  std::ofstream(history, std::ios::app) << "\n" << last;
  auto bad = redproof({"check", copy.string()});
  EXPECT_EQ(bad.exit_code, 2) << bad.out << bad.err;
  const std::string at = "line " + std::to_string(lines_in(whole) + 1) + ": bad JSON";
  EXPECT_NE(bad.err.find(at), std::string::npos) << bad.err;
  EXPECT_EQ(lines_in(bad.err), 1u) << bad.err;
}

TEST_F(KilledRun, AnInterruptedRunSaysWhyAndKeepsItsFilesToItsOwner) {
  auto o = run_redproof({"run", "register", "--time", "30s", "--results-dir", results_root()},
                        scratch_.string(), std::chrono::milliseconds(3000), SIGINT);
  EXPECT_EQ(o.exit_code, 3) << o.err;
  const auto r = nlohmann::json::parse(slurp((latest() / "results.json").string()));
  EXPECT_EQ(r["valid"], "unknown");
  EXPECT_NE(r["reason"].get<std::string>().find("interrupted"), std::string::npos) << r["reason"];
  EXPECT_EQ(r["history_torn_lines"], 0);
  // Under the default umask (022) too: the run's directories 0700, its files 0600.
  for (fs::path p = latest(); p != fs::path(results_root()).parent_path(); p = p.parent_path()) {
    EXPECT_EQ(mode_of(p), 0700u) << p;
  }
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(latest())) {
    if (!e.is_regular_file()) continue;
    EXPECT_EQ(mode_of(e.path()), 0600u) << e.path();
    ++files;
  }
  EXPECT_GE(files, 6u);  // run.json, state.json, history.jsonl, results.json, latency.hgrm, ...
}

TEST_F(KilledRun, AFailedSetupLeavesResultsJsonWithItsReason) {
  auto o = redproof({"run", "register", "--time", "2s", "--redis-server", "/bin/false",
                     "--results-dir", results_root()});
  EXPECT_EQ(o.exit_code, 3) << o.out << o.err;
  EXPECT_EQ(lines_in(o.err), 1u) << o.err;
  const auto r = nlohmann::json::parse(slurp((latest() / "results.json").string()));
  EXPECT_EQ(r["valid"], "unknown");
  EXPECT_EQ(r["reason"].get<std::string>().rfind("setup failed before the load started: ", 0), 0u)
      << r["reason"];
}

}  // namespace
}  // namespace redproof

// `redproof check` as users run it: the exit codes of cli.md (0 linearizable, 1 not, 2 bad
// input, 3 unknown), the explanation in text, JSON and HTML, and one line for bad input.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/integration/driver/redproof_process.hpp"

namespace redproof {
namespace {

namespace fs = std::filesystem;

class CheckCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = fs::temp_directory_path() /
               ("redproof-check-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(scratch_);
  }
  void TearDown() override { fs::remove_all(scratch_); }

  std::string write(const std::string& name, const std::string& text) {
    const auto path = (scratch_ / name).string();
    std::ofstream(path) << text;
    return path;
  }
  testing::Outcome check(std::vector<std::string> args) {
    args.insert(args.begin(), "check");
    return testing::run_redproof(args, scratch_.string());
  }
  fs::path scratch_;
};

std::string event(int index, int process, const char* type, const char* f, const char* value) {
  return "{\"index\":" + std::to_string(index) + ",\"time\":" + std::to_string(index) +
         ",\"process\":" + std::to_string(process) + ",\"type\":\"" + type + "\",\"f\":\"" + f +
         "\",\"key\":\"x\",\"value\":" + value + "}\n";
}

TEST_F(CheckCommand, LinearizableIsExitZero) {
  auto file =
      write("ok.jsonl", event(0, 0, "invoke", "write", "1") + event(1, 0, "ok", "write", "1") +
                            event(2, 1, "invoke", "read", "null") + event(3, 1, "ok", "read", "1"));
  auto o = check({"--model", "register", file});
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.out.find("linearizable"), std::string::npos) << o.out;
}

TEST_F(CheckCommand, NotLinearizableIsExitOneWithTheExplanation) {
  auto file = write("stale.jsonl",
                    event(0, 0, "invoke", "write", "1") + event(1, 0, "ok", "write", "1") +
                        event(2, 1, "invoke", "read", "null") + event(3, 1, "ok", "read", "null"));
  const std::string html = (scratch_ / "why.html").string();
  auto o = check({"--model", "register", "--html", html, file});
  EXPECT_EQ(o.exit_code, 1) << o.err;
  EXPECT_NE(o.out.find("\"x\""), std::string::npos) << o.out;  // names the key
  EXPECT_NE(testing::slurp(html).find("<svg"), std::string::npos);

  auto j = check({"--model", "register", "--json", file});
  EXPECT_EQ(j.exit_code, 1);
  auto parsed = nlohmann::json::parse(j.out);
  EXPECT_EQ(parsed["valid"], false);
  EXPECT_EQ(parsed["counterexample"]["could_not_place"]["process"], 1);
}

TEST_F(CheckCommand, BadInputIsOneLineAndExitTwo) {
  auto bad = write("bad.jsonl", event(0, 0, "invoke", "write", "1") + "{\"index\":1,\n");
  auto o = check({"--model", "register", bad});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("line 2"), std::string::npos) << o.err;
  EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;

  EXPECT_EQ(check({"--model", "no-such-model", bad}).exit_code, 2);
  EXPECT_EQ(check({"--model", "register", (scratch_ / "missing.jsonl").string()}).exit_code, 2);
}

TEST_F(CheckCommand, AHardHistoryIsUnknownWhenItsTimeRunsOut) {
  // 40 concurrent enqueues, dequeued in a scrambled order, and a dequeue of a value never
  // enqueued: every order of the enqueues must be tried before "not linearizable" could be
  // said. (Were the enqueues of unknown outcome, the fifo-queue search would decide it at once;
  // acknowledged at the end, each may have taken effect at any point.)
  std::string text;
  int i = 0;
  for (int p = 0; p < 40; ++p) {
    text += event(i++, p, "invoke", "enqueue", std::to_string(p).c_str());
  }
  for (int d = 0; d < 40; ++d) {
    text += event(i++, 40, "invoke", "dequeue", "null");
    text += event(i++, 40, "ok", "dequeue", std::to_string((d * 7) % 40).c_str());
  }
  text += event(i++, 40, "invoke", "dequeue", "null");
  text += event(i++, 40, "ok", "dequeue", "999");
  for (int p = 0; p < 40; ++p) text += event(i++, p, "ok", "enqueue", "null");
  auto file = write("hard.jsonl", text);
  auto o = check({"--model", "fifo-queue", "--timeout", "0.3", file});
  EXPECT_EQ(o.exit_code, 3) << o.out << o.err;
  EXPECT_NE((o.out + o.err).find("unknown"), std::string::npos) << o.out << o.err;
}

}  // namespace
}  // namespace redproof

namespace redproof {
namespace {

// A stored run re-checked offline gives the run's verdict and exit code; so does one
// workload's checkers on its history alone.
class RecheckStoredRun : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = fs::temp_directory_path() /
               ("redproof-recheck-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(scratch_);
  }
  void TearDown() override { fs::remove_all(scratch_); }
  testing::Outcome redproof(const std::vector<std::string>& args) {
    return testing::run_redproof(args, scratch_.string());
  }
  std::string latest() const { return (scratch_ / "results" / "latest").string(); }
  fs::path scratch_;
};

TEST_F(RecheckStoredRun, AnInvalidLockRunStaysInvalid) {
  auto run = redproof({"run", "lock", "--variant", "get-del", "--fault", "pause-client", "--time",
                       "6s", "--seed", "1", "--results-dir", (scratch_ / "results").string()});
  ASSERT_EQ(run.exit_code, 1) << run.out << run.err;
  auto again = redproof({"check", latest()});
  EXPECT_EQ(again.exit_code, 1) << again.out << again.err;
  EXPECT_NE(again.out.find("double-holder: process"), std::string::npos) << again.out;
  auto by_workload = redproof({"check", "--workload", "lock", "--variant", "get-del",
                               latest() + "/history.jsonl", "--json"});
  EXPECT_EQ(by_workload.exit_code, 1) << by_workload.err;
  const auto j = nlohmann::json::parse(by_workload.out);
  EXPECT_EQ(j["valid"], false);
  EXPECT_EQ(j["anomalies"][0]["name"], "double-holder");
}

TEST_F(RecheckStoredRun, AValidRegisterRunStaysValid) {
  auto run = redproof({"run", "register", "--time", "3s", "--seed", "2", "--results-dir",
                       (scratch_ / "results").string()});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  auto again = redproof({"check", latest()});
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_EQ(redproof({"check", "--workload", "register", latest() + "/history.jsonl"}).exit_code,
            0);
}

TEST_F(RecheckStoredRun, BadInputIsOneLineAndExitTwo) {
  fs::create_directories(scratch_ / "empty");
  auto o = redproof({"check", (scratch_ / "empty").string()});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("no run.json"), std::string::npos) << o.err;
  std::ofstream(scratch_ / "h.jsonl") << "";
  auto unknown = redproof({"check", "--workload", "nope", (scratch_ / "h.jsonl").string()});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("unknown workload \"nope\""), std::string::npos) << unknown.err;
  auto knob = redproof(
      {"check", "--workload", "lock", "--param", "ttl=x", (scratch_ / "h.jsonl").string()});
  EXPECT_EQ(knob.exit_code, 2);
  EXPECT_EQ(knob.err,
            "redproof check: --param ttl=x: expected a duration of at least 20ms such "
            "as 500ms or 2s\n");
  auto neither = redproof({"check", (scratch_ / "h.jsonl").string()});
  EXPECT_EQ(neither.exit_code, 2);
}

}  // namespace
}  // namespace redproof

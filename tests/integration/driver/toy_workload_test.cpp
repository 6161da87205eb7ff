// A workload from outside the product tree: registered like any other, listed, its knob checked
// from its table, run against a real redis-server, and its anomaly explained by every reporter,
// none of which knows it.
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "driver/command.hpp"
#include "driver/run_plan.hpp"
#include "integration/driver/toy/toy_counter_workload.hpp"

namespace redproof {
namespace {

namespace fs = std::filesystem;

void register_toy_once() {
  static const bool done = [] {
    register_workload(toy::toy_counter_workload_info());
    return true;
  }();
  (void)done;
}

// Runs `args` through the CLI as main() does, capturing stdout and stderr.
int run_cli(std::vector<std::string> args, std::string& out, std::string& err) {
  CLI::App app("redproof");
  CommandAction action;
  add_run_command(app, action);
  add_list_command(app, action);
  add_check_command(app, action);
  std::vector<const char*> argv{"redproof"};
  for (const auto& a : args) argv.push_back(a.c_str());
  std::stringstream o, e;
  auto* old_out = std::cout.rdbuf(o.rdbuf());
  auto* old_err = std::cerr.rdbuf(e.rdbuf());
  int code = kExitUsage;
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
    code = action ? action() : kExitUsage;
  } catch (const CLI::ParseError& p) {
    e << p.what() << "\n";
  }
  std::cout.rdbuf(old_out);
  std::cerr.rdbuf(old_err);
  out = o.str();
  err = e.str();
  return code;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), {}};
}

TEST(ToyWorkload, AppearsInList) {
  register_toy_once();
  std::string out, err;
  ASSERT_EQ(run_cli({"list"}, out, err), kExitValid) << err;
  EXPECT_NE(out.find("toy-counter"), std::string::npos) << out;
  EXPECT_NE(out.find("--param think="), std::string::npos) << out;
}

TEST(ToyWorkload, RejectsABadKnobValueInOneLine) {
  register_toy_once();
  const fs::path root = fs::temp_directory_path() / "redproof-toy-bad-knob";
  std::string out, err;
  EXPECT_EQ(
      run_cli({"run", "toy-counter", "--param", "think=often", "--results-dir", root.string()}, out,
              err),
      kExitUsage);
  EXPECT_EQ(err, "redproof: --param think=often: expected a duration such as 500ms or 2s\n");
  EXPECT_FALSE(fs::exists(root / "latest")) << "nothing may run on a bad knob";
}

TEST(ToyWorkload, RunsAndItsAnomalyIsExplainedByEveryReporter) {
  register_toy_once();
  const fs::path root = fs::temp_directory_path() / "redproof-toy-run";
  fs::remove_all(root);
  std::string out, err;
  const int code = run_cli({"run", "toy-counter", "--clients", "6", "--time", "2s", "--param",
                            "think=0ms", "--results-dir", root.string()},
                           out, err);
  ASSERT_EQ(code, kExitInvalid) << out << err;
  EXPECT_NE(out.find("toy-counter: INVALID"), std::string::npos) << out;
  EXPECT_NE(out.find("lost-increment: "), std::string::npos) << out;
  EXPECT_NE(out.find("increments were acknowledged but the final read found"), std::string::npos)
      << out;
  const std::string report = slurp(root / "latest" / "report.html");
  EXPECT_NE(report.find("increments were acknowledged but the final read found"),
            std::string::npos);
  EXPECT_NE(report.find("class=\"timeline\""), std::string::npos);  // the ops around it
  const std::string results = slurp(root / "latest" / "results.json");
  EXPECT_NE(results.find("\"name\": \"lost-increment\""), std::string::npos);

  // Re-checked offline, the stored run gives the same verdict.
  std::string again, again_err;
  EXPECT_EQ(run_cli({"check", (root / "latest").string()}, again, again_err), kExitInvalid)
      << again_err;
  EXPECT_NE(again.find("lost-increment: "), std::string::npos) << again;
  fs::remove_all(root);
}

}  // namespace
}  // namespace redproof

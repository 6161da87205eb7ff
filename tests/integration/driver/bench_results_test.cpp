// `redproof bench` leaves a results directory people keep and compare: run.json with the
// server's figures, bench.json, latency.hgrm in HdrHistogram's format, one CSV row per second,
// report.html (rendered by Chromium in integration_results); `--repeat`; and `--baseline` /
// `redproof compare`, which must report no regression between two runs of one configuration
// (with a tolerance generous enough for this noisy machine) and a regression, exit 1, when the
// second run goes through the fault proxy with 20 ms of latency.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "faults/proxy/fault_proxy.hpp"
#include "redis/local_server.hpp"
#include "tests/integration/driver/redproof_process.hpp"

namespace redproof {
namespace {

namespace fs = std::filesystem;

class BenchResults : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = fs::temp_directory_path() /
               ("redproof-bench-results-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(scratch_);
    fs::create_directories(scratch_);
  }
  void TearDown() override { fs::remove_all(scratch_); }
  testing::Outcome run(std::vector<std::string> args) {
    args.insert(args.end(), {"--results-dir", results().string()});
    return testing::run_redproof(args, scratch_.string());
  }
  fs::path results() const { return scratch_ / "results"; }
  fs::path latest() const { return fs::canonical(results() / "latest"); }
  static nlohmann::json json_file(const fs::path& p) {
    return nlohmann::json::parse(testing::slurp(p.string()));
  }
  fs::path scratch_;
};

// HdrHistogram's percentile distribution: the header, rows of Value Percentile TotalCount
// 1/(1-Percentile) (the last row without the last column), then #[Mean ...] and #[Max ...].
void expect_hgrm_format(const std::string& text, std::uint64_t total) {
  std::istringstream lines(text);
  std::string line;
  std::getline(lines, line);
  EXPECT_TRUE(std::regex_search(
      line, std::regex(R"(^\s*Value\s+Percentile\s+TotalCount\s+1/\(1-Percentile\)\s*$)")))
      << line;
  const std::regex row(R"(^\s*(\d+\.\d+)\s+(\d\.\d+)\s+(\d+)(\s+(\d+\.\d+|inf|Infinity))?\s*$)");
  double last_value = 0, last_percentile = 0;
  std::uint64_t last_count = 0;
  int rows = 0;
  bool mean = false, max = false;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    if (line.rfind("#[Mean", 0) == 0) mean = true;
    if (line.rfind("#[Max", 0) == 0) max = true;
    if (line[0] == '#') continue;
    std::smatch m;
    ASSERT_TRUE(std::regex_match(line, m, row)) << "not an hgrm row: " << line;
    EXPECT_FALSE(mean) << "a row after the footer: " << line;
    const double value = std::stod(m[1]), percentile = std::stod(m[2]);
    const std::uint64_t count = std::stoull(m[3]);
    EXPECT_GE(value, last_value);
    EXPECT_GE(percentile, last_percentile);
    EXPECT_GE(count, last_count);
    last_value = value;
    last_percentile = percentile;
    last_count = count;
    ++rows;
  }
  EXPECT_GT(rows, 5);
  EXPECT_DOUBLE_EQ(last_percentile, 1.0);
  EXPECT_EQ(last_count, total);
  EXPECT_TRUE(mean && max) << "no #[Mean ...] / #[Max ...] footer";
}

TEST_F(BenchResults, ABenchLeavesAResultsDirectory) {
  const auto o = run({"bench", "--time", "5s", "--clients", "4", "--rate", "1000", "--quiet"});
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  const fs::path dir = latest();
  EXPECT_EQ(dir.parent_path().parent_path().filename(), "bench");
  EXPECT_EQ(dir.parent_path().filename(), "set+get");
  EXPECT_NE(o.out.find(dir.filename().string()), std::string::npos) << o.out;
  for (const char* name : {"run.json", "bench.json", "latency.hgrm", "latency-uncorrected.hgrm",
                           "seconds.csv", "report.html"}) {
    EXPECT_TRUE(fs::exists(dir / name)) << name;
  }
  const auto bench = json_file(dir / "bench.json");
  const auto completed = bench["counts"]["completed"].get<std::uint64_t>();
  EXPECT_GT(completed, 1000u);
  expect_hgrm_format(testing::slurp((dir / "latency.hgrm").string()), completed);
  expect_hgrm_format(testing::slurp((dir / "latency-uncorrected.hgrm").string()), completed);

  // One row per second of the 5 s load (±1), each with its figures.
  std::istringstream csv(testing::slurp((dir / "seconds.csv").string()));
  std::string line;
  std::getline(csv, line);
  EXPECT_EQ(line, "second,throughput,errors,p50_ms,p90_ms,p99_ms,p99.9_ms,max_ms");
  int rows = 0;
  std::uint64_t sum = 0;
  while (std::getline(csv, line)) {
    std::smatch m;
    ASSERT_TRUE(std::regex_match(line, m, std::regex(R"((\d+),(\d+),(\d+)(,\d+\.\d{3}){5})")))
        << line;
    EXPECT_EQ(std::stoi(m[1]), rows);
    sum += std::stoull(m[2]);
    ++rows;
  }
  EXPECT_GE(rows, 4);
  EXPECT_LE(rows, 6);
  EXPECT_EQ(sum, completed);

  // The server's own figures: it processed the load.
  const auto run_json = json_file(dir / "run.json");
  EXPECT_EQ(run_json["command"], "bench");
  EXPECT_EQ(run_json["config"]["rate"], 1000.0);
  EXPECT_FALSE(run_json["server"]["version"].get<std::string>().empty());
  const auto usage = run_json["server"]["runs"][0]["usage"];
  EXPECT_EQ(usage["commands"].get<std::uint64_t>(), completed);
  EXPECT_GT(usage["used_memory"].get<std::uint64_t>(), 0u);

  // `redproof report` rewrites a bench directory's report.
  fs::remove(dir / "report.html");
  const auto again = testing::run_redproof({"report", dir.string()}, scratch_.string());
  EXPECT_EQ(again.exit_code, 0) << again.err;
  const std::string html = testing::slurp((dir / "report.html").string());
  EXPECT_NE(html.find("Latency per second"), std::string::npos);
  EXPECT_NE(html.find("Latency by percentile"), std::string::npos);
}

TEST_F(BenchResults, RepeatReportsTheMedianAndSpreadOfEachFigure) {
  const auto o = run({"bench", "--time", "1s", "--clients", "2", "--repeat", "3", "--quiet"});
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  EXPECT_NE(o.out.find("over 3 runs"), std::string::npos) << o.out;
  const fs::path dir = latest();
  const auto bench = json_file(dir / "bench.json");
  ASSERT_TRUE(bench.contains("repeat")) << bench.dump();
  EXPECT_EQ(bench["repeat"]["runs"], 3);
  for (const char* figure : {"ops/s", "p50", "p99", "p99.9"}) {
    const auto& f = bench["repeat"]["figures"][figure];
    EXPECT_LE(f["min"].get<double>(), f["median"].get<double>()) << figure;
    EXPECT_LE(f["median"].get<double>(), f["max"].get<double>()) << figure;
  }
  // Each run had its own server (its own start, so its own port).
  const auto runs = json_file(dir / "run.json")["server"]["runs"];
  ASSERT_EQ(runs.size(), 3u);
  for (const auto& r : runs) EXPECT_EQ(r["before"]["keys"], 0) << "a fresh server each time";
  EXPECT_NE(testing::slurp((dir / "report.html").string()).find("Over 3 runs"), std::string::npos);
}

TEST_F(BenchResults, ComparesWithABaselineAndFindsAServerSlowedByTheProxy) {
  redis::LocalServerOptions so;
  so.directory = (scratch_ / "n1").string();
  redis::LocalServer server(so);
  server.start();
  proxy::FaultProxyOptions po;
  po.upstream = server.endpoint();
  proxy::FaultProxy slow(po);
  slow.start();
  slow.add_toxic("latency:20ms");
  // Open loop at 500 req/s over 20 connections keeps up even at 20 ms a request.
  const std::vector<std::string> load = {"bench",  "--time", "2s",      "--clients", "20",
                                         "--rate", "500",    "--quiet", "--target"};
  auto with = [&](std::vector<std::string> args, std::vector<std::string> more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
  };

  auto first = run(with(load, {server.endpoint().to_string(), "--label", "baseline"}));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const fs::path baseline = latest();
  // The same configuration again: no regression, at a tolerance a shared CI machine's noise
  // stays in (2 s at 500 req/s: p99 is the 10th slowest of 1,000 replies, and one stall of a
  // few ms next to a parallel test's failover moves it tenfold).
  auto same = run(with(load, {server.endpoint().to_string(), "--baseline", baseline.string(),
                              "--tolerance", "100000"}));
  EXPECT_EQ(same.exit_code, 0) << same.out << same.err;
  EXPECT_NE(same.out.find("no regression"), std::string::npos) << same.out;
  const fs::path second = latest();
  const auto compared = testing::run_redproof(
      {"compare", baseline.string(), second.string(), "--tolerance", "100000"}, scratch_.string());
  EXPECT_EQ(compared.exit_code, 0) << compared.out << compared.err;

  // Through the proxy's 20 ms: p50 goes from well under a millisecond to over 20 ms.
  auto slowed = run(with(load, {slow.endpoint().to_string(), "--baseline", baseline.string(),
                                "--tolerance", "1000", "--json"}));
  EXPECT_EQ(slowed.exit_code, 1) << slowed.out << slowed.err;
  const auto bench = nlohmann::json::parse(slowed.out);
  EXPECT_TRUE(bench["baseline"]["regression"].get<bool>());
  EXPECT_NE(bench["baseline"]["text"].get<std::string>().find("REGRESSION"), std::string::npos);
  const fs::path third = latest();
  const auto saved = json_file(third / "bench.json");
  EXPECT_TRUE(saved["baseline"]["regression"].get<bool>()) << "bench.json is what --json prints";
  const std::string html = testing::slurp((third / "report.html").string());
  EXPECT_NE(html.find("Against the baseline"), std::string::npos);
  EXPECT_NE(html.find("this run and the baseline"), std::string::npos);

  const auto judged = testing::run_redproof(
      {"compare", baseline.string(), third.string(), "--tolerance", "1000"}, scratch_.string());
  EXPECT_EQ(judged.exit_code, 1) << judged.out << judged.err;
  EXPECT_NE(judged.out.find("REGRESSION"), std::string::npos) << judged.out;
  slow.stop();
  server.stop();
}

TEST_F(BenchResults, BadBaselinesAndComparisonsExitTwo) {
  auto o = run({"bench", "--time", "1s", "--baseline", (scratch_ / "nowhere").string()});
  EXPECT_EQ(o.exit_code, 2) << o.out << o.err;
  EXPECT_NE(o.err.find("nowhere"), std::string::npos) << o.err;
  EXPECT_FALSE(fs::exists(results())) << "nothing ran";
  auto c =
      testing::run_redproof({"compare", scratch_.string(), scratch_.string()}, scratch_.string());
  EXPECT_EQ(c.exit_code, 2) << c.out << c.err;
  EXPECT_NE(c.err.find("bench.json"), std::string::npos) << c.err;
  EXPECT_EQ(testing::run_redproof({"compare", scratch_.string()}, scratch_.string()).exit_code, 2);
}

}  // namespace
}  // namespace redproof

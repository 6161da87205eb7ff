// A benchmark's figures, their median over --repeat runs, the comparison with a baseline, the
// per-second CSV, the .hgrm read back for the percentile plot, and the report built from them.
#include <gtest/gtest.h>

#include "core/latency_histogram.hpp"
#include "results/bench_directory.hpp"
#include "results/bench_figures.hpp"
#include "results/bench_percentile_plot.hpp"
#include "results/bench_report.hpp"

namespace redproof {
namespace {

using nlohmann::json;

json bench_with(double ops, std::int64_t p50_ns, std::int64_t p99_ns) {
  return {{"throughput_ops", ops},
          {"latency",
           {{"corrected",
             {{"p50_ns", p50_ns},
              {"p90_ns", p50_ns * 2},
              {"p99_ns", p99_ns},
              {"p999_ns", p99_ns * 2},
              {"p9999_ns", p99_ns * 3},
              {"max_ns", p99_ns * 10}}}}}};
}

const FigureChange& change_of(const std::vector<FigureChange>& changes, const std::string& name) {
  for (const auto& c : changes) {
    if (c.figure == name) return c;
  }
  throw std::runtime_error("no figure " + name);
}

TEST(BenchFigures, ThroughputDownOrLatencyUpBeyondTheToleranceIsARegression) {
  const json base = bench_with(10000, 100'000, 1'000'000);
  auto same = compare_bench(base, bench_with(9500, 105'000, 1'080'000), 10);
  EXPECT_FALSE(any_regression(same));
  EXPECT_NEAR(change_of(same, "ops/s").change_pct, -5.0, 1e-9);

  auto slower = compare_bench(base, bench_with(10000, 100'000, 1'200'000), 10);
  EXPECT_TRUE(any_regression(slower));
  EXPECT_TRUE(change_of(slower, "p99").regression);
  EXPECT_FALSE(change_of(slower, "p50").regression);
  EXPECT_FALSE(change_of(slower, "max").regression) << "max is shown, not judged";

  auto fewer = compare_bench(base, bench_with(8000, 50'000, 500'000), 10);
  EXPECT_TRUE(change_of(fewer, "ops/s").regression);
  EXPECT_FALSE(change_of(fewer, "p99").regression) << "faster is never a regression";
  EXPECT_NE(comparison_text(fewer, 10).find("REGRESSION"), std::string::npos);
}

TEST(BenchFigures, APercentileWithFewerThanTenRepliesBeyondItIsShownNotJudged) {
  json base = bench_with(500, 100'000, 1'000'000);
  json spiky = bench_with(500, 100'000, 30'000'000);  // p99 and p99.9 thirty times worse
  base["counts"] = {{"completed", 1000}};
  spiky["counts"] = {{"completed", 5000}};
  const auto few = compare_bench(base, spiky, 100);
  EXPECT_TRUE(change_of(few, "p99").judged) << "1,000 replies: 10 beyond p99";
  EXPECT_TRUE(change_of(few, "p99").regression);
  EXPECT_FALSE(change_of(few, "p99.9").judged) << "1,000 replies: 1 beyond p99.9";
  EXPECT_FALSE(change_of(few, "p99.9").regression);
  base["counts"]["completed"] = 10000;
  spiky["counts"]["completed"] = 10000;
  EXPECT_TRUE(change_of(compare_bench(base, spiky, 100), "p99.9").regression);
  base["counts"]["completed"] = 999;
  EXPECT_FALSE(change_of(compare_bench(base, spiky, 100), "p99").judged) << "9.99 beyond p99";
}

TEST(BenchFigures, RepeatedRunsGiveMedianAndSpreadAndTheMedianRunIsShown) {
  const std::vector<json> runs{bench_with(9000, 100'000, 900'000),
                               bench_with(12000, 300'000, 800'000),
                               bench_with(10000, 200'000, 700'000)};
  const json summary = repeat_summary(runs);
  EXPECT_EQ(summary["runs"], 3);
  EXPECT_EQ(summary["figures"]["ops/s"]["median"], 10000.0);
  EXPECT_EQ(summary["figures"]["ops/s"]["min"], 9000.0);
  EXPECT_EQ(summary["figures"]["ops/s"]["max"], 12000.0);
  EXPECT_EQ(summary["figures"]["p99"]["median"], 800'000.0);
  EXPECT_EQ(median_run(runs), 2u);

  // A repeated baseline is compared by its medians.
  json repeated = runs[0];
  repeated["repeat"] = summary;
  EXPECT_EQ(change_of(compare_bench(repeated, runs[2], 10), "ops/s").baseline, 10000.0);
}

TEST(BenchDirectory, OneCsvRowPerSecondWithErrorsSummed) {
  const json bench = {{"series",
                       {{{"second", 0},
                         {"completed", 100},
                         {"errors", 1},
                         {"timeouts", 2},
                         {"connection_errors", 3},
                         {"p50_ns", 1'500'000},
                         {"p90_ns", 2'000'000},
                         {"p99_ns", 3'000'000},
                         {"p999_ns", 4'000'000},
                         {"max_ns", 5'000'000}},
                        {{"second", 1}, {"completed", 0}}}}};
  EXPECT_EQ(seconds_csv(bench),
            "second,throughput,errors,p50_ms,p90_ms,p99_ms,p99.9_ms,max_ms\n"
            "0,100,6,1.500,2.000,3.000,4.000,5.000\n"
            "1,0,0,0.000,0.000,0.000,0.000,0.000\n");
}

TEST(BenchPercentilePlot, ReadsTheHistogramsOwnHgrmBack) {
  LatencyHistogram h;
  for (int i = 1; i <= 1000; ++i) h.record_ns(i * 10'000);  // 10 µs .. 10 ms
  const auto points = parse_hgrm(h.to_hgrm());
  ASSERT_GT(points.size(), 10u);
  EXPECT_DOUBLE_EQ(points.back().percentile, 1.0);
  EXPECT_NEAR(points.back().value_ms, 10.0, 0.02);
  for (std::size_t i = 1; i < points.size(); ++i) {
    EXPECT_GE(points[i].value_ms, points[i - 1].value_ms);
  }
  const std::string svg = percentile_plot_svg("t", {{"this run", "#000", points}});
  EXPECT_NE(svg.find("<polyline"), std::string::npos);
  EXPECT_NE(svg.find("99.9%"), std::string::npos);
  EXPECT_TRUE(percentile_plot_svg("t", {{"empty", "#000", {}}}).empty());
}

TEST(BenchReport, ShowsTheFiguresTheRepeatAndTheBaselineComparison) {
  LatencyHistogram h;
  for (int i = 1; i <= 100; ++i) h.record_ns(i * 20'000);
  BenchRecord r;
  r.run = {{"label", "set+get"}, {"started", "2026-11-30T00:00:00Z"}};
  r.bench = bench_with(10000, 100'000, 1'000'000);
  r.bench["series"] = {{{"second", 0}, {"completed", 10}, {"p50_ns", 100'000}, {"timeouts", 1}}};
  r.bench["repeat"] = repeat_summary({r.bench, bench_with(9000, 120'000, 900'000)});
  r.hgrm = h.to_hgrm();
  BenchBaseline base{r, 10};
  base.record.bench = bench_with(20000, 50'000, 500'000);
  const std::string html = bench_report_html(r, &base);
  for (const char* words :
       {"redproof bench: set+get", "Over 2 runs", "Against the baseline", "Regression",
        "Latency per second", "Throughput per second", "this run and the baseline", "1 timeouts"}) {
    EXPECT_NE(html.find(words), std::string::npos) << words;
  }
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

}  // namespace
}  // namespace redproof

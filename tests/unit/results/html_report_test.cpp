#include "results/html_report.hpp"
#include "results/latency_scatter.hpp"
#include "results/replay_command.hpp"

#include <gtest/gtest.h>

#include <string>

#include "tests/unit/results/sample_run.hpp"

namespace redproof {
namespace {

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(HtmlReport, IsOneSelfContainedPage) {
  const std::string html = html_report(testing::sample_run(1));
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("</html>"), std::string::npos);
  EXPECT_NE(html.find("<style>"), std::string::npos);
  // Every operation's latency, latency per second, throughput per second.
  EXPECT_EQ(occurrences(html, "<svg class=\"chart\""), 3u);
  EXPECT_EQ(occurrences(html, "<svg class=\"timeline\""), 1u);  // around the one anomaly
  for (const char* external : {"http://", "https://", "<script", "<link", "src=", "@import"}) {
    EXPECT_EQ(html.find(external), std::string::npos) << external;
  }
}

TEST(HtmlReport, ShadesAndLabelsTheFaultWindows) {
  const std::string html = html_report(testing::sample_run(1));
  // One window, drawn on the three charts, with its label beside the shading.
  EXPECT_EQ(occurrences(html, "<rect class=\"fault\""), 3u);
  EXPECT_GE(occurrences(html, "pause-client (pause {&quot;process&quot;:3})"), 3u);
  // The window's table row: 1.010 s to 2.210 s.
  EXPECT_NE(html.find("1.010 s"), std::string::npos);
  EXPECT_NE(html.find("2.210 s"), std::string::npos);
}

TEST(HtmlReport, ExplainsVerdictsAndTabulatesDoubleHolders) {
  const std::string html = html_report(testing::sample_run(2));
  EXPECT_NE(html.find("class=\"badge invalid\""), std::string::npos);
  EXPECT_EQ(occurrences(html, "<div class=\"anomaly\">"), 3u);  // two holders, one SLO breach
  EXPECT_NE(html.find("process 3"), std::string::npos);
  EXPECT_NE(html.find("process 8"), std::string::npos);
  EXPECT_NE(html.find("212.4"), std::string::npos);
  EXPECT_NE(html.find("max was 1.30ms, breaching the SLO max&lt;1ms"), std::string::npos);
  for (const char* row : {"99.9%", "99.99%", "max"}) EXPECT_NE(html.find(row), std::string::npos);
}

TEST(HtmlReport, EscapesEverythingTheRunSupplies) {
  RunRecord r = testing::sample_run(1);
  r.config["workload"] = "<script>alert(1)</script>";
  r.config["params"] = {{"note", "a & b \"quoted\" 'single'"}};
  r.checks[0].second.anomalies[0].key = "<b>lock</b>";
  r.checks[1].second.details["error"] = "<img src=x onerror=alert(1)>";
  r.history[0].f = "<i>f</i>";
  const std::string html = html_report(r);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_EQ(html.find("<b>lock"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<i>f"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("&lt;b&gt;lock&lt;/b&gt;"), std::string::npos);
  EXPECT_NE(html.find("a &amp; b &quot;quoted&quot; &#39;single&#39;"), std::string::npos);
}

TEST(HtmlReport, AnEmptyRunStillRenders) {
  RunRecord r;
  const std::string html = html_report(r);
  EXPECT_NE(html.find("badge unknown"), std::string::npos);
  EXPECT_NE(html.find("No checker ran"), std::string::npos);
  EXPECT_EQ(html.find("nan"), std::string::npos);
}

}  // namespace
}  // namespace redproof

namespace redproof {
namespace {

TEST(HtmlReport, SaysTheVerdictInWordsAndHowToReplay) {
  RunRecord r = testing::sample_run(2);
  r.config["time_ms"] = 10000;
  r.config["clients"] = 5;
  r.config["params"] = {{"ttl", "500ms"}};
  const std::string html = html_report(r);
  EXPECT_NE(html.find("Invalid: 3 anomalies found (double-holder ×2, slo-breach)."),
            std::string::npos);
  EXPECT_NE(html.find("redproof run lock --variant get-del --fault pause-client --time 10000ms "
                      "--clients 5 --param ttl=500ms --seed 7"),
            std::string::npos);
}

// A cache-like checker's details: the report draws the database's loads and the operations per
// second as two panels on the run's time axis, with the fault window shaded on each.
TEST(HtmlReport, DrawsACheckersPerSecondSeriesWithTheFaultsShaded) {
  RunRecord r = testing::sample_run(1);
  const std::size_t charts_before = occurrences(html_report(r), "<svg class=\"chart\"");
  r.checks[0].second.details["db_loads_per_second"] = {1, 2, 30};
  r.checks[0].second.details["ops_per_second"] = {500, 480, 510};
  const std::string html = html_report(r);
  EXPECT_EQ(occurrences(html, "<svg class=\"chart\""), charts_before + 2);
  const std::string checker = r.checks[0].first;
  EXPECT_NE(html.find("<figcaption>" + checker + ": db loads per second</figcaption>"),
            std::string::npos);
  EXPECT_NE(html.find("<figcaption>" + checker + ": ops per second</figcaption>"),
            std::string::npos);
  // The sample's one pause-client window: shaded on the three run charts and both panels.
  EXPECT_EQ(occurrences(html, "<rect class=\"fault\""), 5u);
}

// Markers (details_chart.hpp): a tick on each of the checker's per-second panels, labelled and
// escaped, none on the run's own charts, and a caption that says how many were left out.
TEST(HtmlReport, DrawsACheckersMarkersAsTicksOnItsPerSecondPanels) {
  RunRecord r = testing::sample_run(1);
  nlohmann::json& d = r.checks[0].second.details;
  d["db_loads_per_second"] = {1, 2, 30};
  d["ops_per_second"] = {500, 480, 510};
  d["markers"] = {{{"t_s", 1.25}, {"label", "expiry or eviction: <k>"}},
                  {{"t_s", 2.5}, {"label", "expiry or eviction: b"}},
                  {{"label", "no time: skipped"}}};
  d["markers_left_out"] = 7;
  const std::string html = html_report(r);
  EXPECT_EQ(occurrences(html, "<line class=\"mark\""), 4u);  // two ticks on each of two panels
  EXPECT_EQ(occurrences(html, "<title>expiry or eviction: &lt;k&gt; (1.250 s)</title>"), 2u);
  EXPECT_EQ(html.find("<title>no time: skipped"), std::string::npos);
  EXPECT_NE(html.find("2 marker(s)"), std::string::npos);
  EXPECT_NE(html.find("7 more not drawn"), std::string::npos);
  // Still the fault window shaded on the three run charts and both panels.
  EXPECT_EQ(occurrences(html, "<rect class=\"fault\""), 5u);
}

// A finer series is drawn on the run's time axis, its unit saying how fine.
TEST(HtmlReport, DrawsAFinerSeriesOnTheRunsTimeAxis) {
  RunRecord r = testing::sample_run(1);
  r.checks[0].second.details["db_loads_per_100ms"] = {0, 0, 9};
  r.checks[0].second.details["db_loads_per_second"] = {9};
  const std::string html = html_report(r);
  EXPECT_NE(html.find("db loads per 100ms</figcaption>"), std::string::npos);
  EXPECT_NE(html.find(">per 100 ms</text>"), std::string::npos);
}

TEST(HtmlReport, MarkersWithoutAPerSecondSeriesDrawNothing) {
  RunRecord r = testing::sample_run(1);
  r.checks[0].second.details["markers"] = {{{"t_s", 1.0}, {"label", "x"}}};
  const std::string html = html_report(r);
  EXPECT_EQ(occurrences(html, "<line class=\"mark\""), 0u);
  EXPECT_EQ(html.find("marker(s)"), std::string::npos);
}

TEST(LatencyScatter, SamplesButNeverDropsAnOutlier) {
  std::vector<OperationLatency> ops(100000);
  for (std::size_t i = 0; i < ops.size(); ++i) {
    ops[i].invoke_ns = ops[i].intended_ns = static_cast<std::int64_t>(i) * 1000;
    ops[i].complete_ns = ops[i].invoke_ns + (i % 997 == 5 ? 50'000'000 : 100'000);
  }
  const auto drawn = scatter_sample(ops, 1'000'000, 2000);
  EXPECT_LT(drawn.size(), 2300u);
  std::size_t slow = 0;
  for (const auto* p : drawn) slow += p->latency_ns() > 1'000'000;
  EXPECT_EQ(slow, 101u);  // every one of the 101 slow operations
  EXPECT_EQ(scatter_sample(std::vector<OperationLatency>(10), 0, 2000).size(), 10u);
}

TEST(ReplayCommand, QuotesWhatAShellWouldSplit) {
  EXPECT_EQ(shell_word("p99<2ms"), "'p99<2ms'");
  EXPECT_EQ(shell_word("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_word("lock"), "lock");
}

}  // namespace
}  // namespace redproof

// `bench --fault` in the results directory: the CSV's fault column, the report's shaded fault
// windows and its table of percentiles per window; a bench without --fault is unchanged.
#include <gtest/gtest.h>

#include "results/bench_directory.hpp"
#include "results/bench_fault_periods.hpp"
#include "results/bench_report.hpp"

namespace redproof {
namespace {

using nlohmann::json;

json second(int s, std::int64_t p50_ns) {
  return {{"second", s}, {"completed", 100}, {"p50_ns", p50_ns}, {"max_ns", p50_ns * 2}};
}

json faulted_bench() {
  return {{"throughput_ops", 100.0},
          {"series",
           {second(0, 100'000), second(1, 40'000'000), second(2, 40'000'000), second(3, 100'000)}},
          {"fault_windows",
           {{{"fault", "proxy-latency"}, {"start_s", 1.2}, {"end_s", 2.4}},
            {{"fault", "failover"}, {"start_s", 2.6}, {"end_s", 2.9}}}},
          {"latency_by_window",
           {{"outside", {{"count", 300}, {"p50_ns", 100'000}, {"p99_ns", 200'000}}},
            {"proxy-latency", {{"count", 77}, {"p50_ns", 40'000'000}, {"p99_ns", 55'000'000}}},
            {"failover", {{"count", 0}}}}}};
}

TEST(BenchFaultPeriods, FaultsOpenInASecond) {
  const json b = faulted_bench();
  EXPECT_EQ(faults_open_between(b, 0, 1), "");
  EXPECT_EQ(faults_open_between(b, 1, 2), "proxy-latency");
  EXPECT_EQ(faults_open_between(b, 2, 3), "proxy-latency+failover");
  EXPECT_EQ(faults_open_between(b, 3, 4), "");
}

TEST(BenchFaultPeriods, TheCsvHasAFaultColumnOnlyUnderFaults) {
  const std::string csv = seconds_csv(faulted_bench());
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "second,throughput,errors,p50_ms,p90_ms,p99_ms,p99.9_ms,max_ms,fault");
  EXPECT_NE(csv.find("\n1,100,0,40.000,0.000,0.000,0.000,80.000,proxy-latency\n"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find("\n2,100,0,40.000,0.000,0.000,0.000,80.000,proxy-latency+failover\n"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find("\n0,100,0,0.100,0.000,0.000,0.000,0.200,\n"), std::string::npos) << csv;

  json plain = faulted_bench();
  plain.erase("fault_windows");
  plain.erase("latency_by_window");
  const std::string before = seconds_csv(plain);
  EXPECT_EQ(before.substr(0, before.find('\n')),
            "second,throughput,errors,p50_ms,p90_ms,p99_ms,p99.9_ms,max_ms");
}

TEST(BenchFaultPeriods, TheReportShadesEachWindowAndTablesItsPercentiles) {
  BenchRecord record;
  record.bench = faulted_bench();
  record.run = {{"label", "set+get"},
                {"config", {{"topology", {{"kind", "replicated"}}}, {"faults", {"failover"}}}}};
  const std::string html = bench_report_html(record, nullptr);
  EXPECT_NE(html.find("Topology replicated · faults: failover"), std::string::npos);
  // One shaded rectangle per window on each of the two charts, labelled with its fault.
  std::size_t rects = 0;
  for (auto at = html.find("<rect class=\"fault\""); at != std::string::npos;
       at = html.find("<rect class=\"fault\"", at + 1)) {
    ++rects;
  }
  EXPECT_EQ(rects, 4u);
  EXPECT_NE(html.find("<title>proxy-latency</title>"), std::string::npos);
  EXPECT_NE(html.find("<title>failover</title>"), std::string::npos);
  EXPECT_NE(html.find("the periods each fault was in effect"), std::string::npos);
  const auto table = html.find("id=\"latency-by-window\"");
  ASSERT_NE(table, std::string::npos);
  EXPECT_NE(html.find("<td>outside</td><td>300</td>", table), std::string::npos);
  EXPECT_NE(html.find("<td>proxy-latency</td><td>77</td>", table), std::string::npos);
  EXPECT_NE(html.find("<td>failover</td><td>0</td>", table), std::string::npos);
}

TEST(BenchFaultPeriods, APromotionIsNamedOnItsWindowAndInTheWindowsTable) {
  BenchRecord record;
  record.bench = faulted_bench();
  record.bench["fault_windows"][1]["target"] = {{"from", "n1"}, {"to", "n3"}, {"lag_ms", 412}};
  record.bench["fault_windows"][0]["target"] = {{"node", "n2"}, {"proxies", {"p1", "p2"}}};
  const std::string html = bench_report_html(record, nullptr);
  EXPECT_NE(
      html.find("<title>failover: from n1 to n3, promoted 412 ms after n1 was cut off</title>"),
      std::string::npos);
  EXPECT_NE(html.find("<title>proxy-latency: node n2; proxies p1, p2</title>"), std::string::npos);
  const auto table = html.find("id=\"fault-windows\"");
  ASSERT_NE(table, std::string::npos);
  EXPECT_NE(
      html.find("<td>failover</td><td>from n1 to n3, promoted 412 ms after n1 was cut off", table),
      std::string::npos);
}

TEST(BenchFaultPeriods, WithoutFaultsTheReportHasNoWindowSection) {
  BenchRecord record;
  record.bench = faulted_bench();
  record.bench.erase("fault_windows");
  record.bench.erase("latency_by_window");
  const std::string html = bench_report_html(record, nullptr);
  EXPECT_EQ(html.find("latency-by-window"), std::string::npos);
  EXPECT_EQ(html.find("By fault window"), std::string::npos);
  EXPECT_TRUE(fault_windows_html(record.bench).empty());
}

}  // namespace
}  // namespace redproof

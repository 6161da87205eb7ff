// `bench --fault`: each answer's latency is recorded under the fault window open when it
// arrived, loops merge their windows (a loop that never saw one had everything outside), windows
// of one fault are merged into its percentiles, and bench.json carries the windows and the
// percentiles per window.
#include <gtest/gtest.h>

#include "driver/load/bench_fault_windows.hpp"
#include "driver/load/bench_runs.hpp"
#include "driver/load/load_engine.hpp"
#include "driver/load/load_recording.hpp"

namespace redproof::load {
namespace {

constexpr std::int64_t kMs = 1'000'000;

// An answer at `now` with `latency`, sent when it was intended.
void answer(LoadRecording& r, std::int64_t now, std::int64_t latency) {
  r.answered(now, now - latency, now - latency, Answer::kOk);
}

TEST(LoadRecordingByWindow, NoWindowNoHistograms) {
  SecondSeries series(1);
  LoadProgress progress;
  LoadRecording r(series, &progress);
  for (int i = 0; i < 10; ++i) answer(r, 10 * kMs, 1 * kMs);
  r.finish();
  const LoadResult result = merge_recordings({&r}, series, 1, 0, 0, false);
  EXPECT_TRUE(result.by_window.empty());
  EXPECT_EQ(result.corrected.count(), 10u);
}

TEST(LoadRecordingByWindow, EachAnswerGoesUnderTheWindowOpenWhenItArrived) {
  SecondSeries series(1);
  LoadProgress progress;
  LoadRecording r(series, &progress);
  for (int i = 0; i < 3; ++i) answer(r, 10 * kMs, 1 * kMs);  // before any window: outside
  progress.fault_window = 0;
  for (int i = 0; i < 2; ++i) answer(r, 20 * kMs, 50 * kMs);
  progress.fault_window = -1;
  answer(r, 30 * kMs, 2 * kMs);
  progress.fault_window = 1;
  for (int i = 0; i < 4; ++i) answer(r, 40 * kMs, 80 * kMs);
  progress.fault_window = -1;
  r.finish();
  const auto& w = r.by_window();
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(w[0].count(), 4u);
  EXPECT_EQ(w[1].count(), 2u);
  EXPECT_EQ(w[2].count(), 4u);
  EXPECT_LT(w[0].max_ns(), 3 * kMs);
  EXPECT_GE(w[1].percentile_ns(50), 49 * kMs);
  EXPECT_EQ(r.corrected().count(), 10u) << "the overall histogram has every answer";
}

TEST(LoadRecordingByWindow, MergeAddsLoopsAndCountsALoopThatSawNoWindowAsOutside) {
  SecondSeries series(2);
  LoadProgress progress;
  LoadRecording saw(series, &progress), missed(series, &progress);
  answer(saw, 1 * kMs, 1 * kMs);
  answer(missed, 1 * kMs, 1 * kMs);
  answer(missed, 2 * kMs, 1 * kMs);
  progress.fault_window = 2;  // a third window, as after two that no answer arrived in
  answer(saw, 5 * kMs, 40 * kMs);
  progress.fault_window = -1;
  saw.finish();
  missed.finish();
  const LoadResult result = merge_recordings({&saw, &missed}, series, 1, 0, 0, false);
  ASSERT_EQ(result.by_window.size(), 4u);
  EXPECT_EQ(result.by_window[0].count(), 3u);
  EXPECT_EQ(result.by_window[1].count(), 0u);
  EXPECT_EQ(result.by_window[2].count(), 0u);
  EXPECT_EQ(result.by_window[3].count(), 1u);
}

TEST(LoadRecordingByWindow, WithoutProgressNothingIsRecordedByWindow) {
  SecondSeries series(1);
  LoadRecording r(series, nullptr);
  answer(r, 1 * kMs, 1 * kMs);
  r.finish();
  EXPECT_TRUE(r.by_window().empty());
}

TEST(FaultWindowLog, OpeningAndClosingPublishesTheWindowToTheLoad) {
  LoadProgress progress;
  FaultWindowLog log(&progress);
  log.open("failover", 1.5);
  EXPECT_EQ(progress.fault_window.load(), 0);
  log.close(3.0);
  EXPECT_EQ(progress.fault_window.load(), -1);
  log.close(4.0);  // a second close changes nothing
  log.open("proxy-latency", 5.0);
  EXPECT_EQ(progress.fault_window.load(), 1);
  log.close(6.25);
  const auto windows = log.windows();
  ASSERT_EQ(windows.size(), 2u);
  EXPECT_EQ(windows[0].fault, "failover");
  EXPECT_DOUBLE_EQ(windows[0].start_s, 1.5);
  EXPECT_DOUBLE_EQ(windows[0].end_s, 3.0);
  EXPECT_DOUBLE_EQ(windows[1].end_s, 6.25);
}

LatencyHistogram histogram(std::uint64_t n, std::int64_t ns) {
  LatencyHistogram h;
  h.record_ns(ns, n);
  return h;
}

TEST(FaultWindowLog, EachWindowGetsItsStartRecordsTargetInOrder) {
  std::vector<BenchFaultWindow> windows = {{"failover", 1.0, 2.0, nullptr},
                                           {"pause-server", 3.0, 4.0, nullptr},
                                           {"failover", 5.0, 6.0, nullptr}};
  const std::string log =
      R"({"process":"nemesis","type":"info","f":"failover","value":{"fault":"failover","phase":"start","target":{"from":"n1","to":"n2"}}})"
      "\n"
      R"({"process":"nemesis","type":"info","f":"heal-link","value":{"fault":"failover","phase":"stop","target":{"isolated":["n1"]}}})"
      "\nnot json\n"
      R"({"process":"nemesis","type":"info","f":"pause","value":{"fault":"pause-server","phase":"start","target":{"node":"n2"}}})"
      "\n"
      R"({"process":"nemesis","type":"info","f":"failover","value":{"fault":"failover","phase":"start","target":{"from":"n2","to":"n3"}}})"
      "\n";
  attach_fault_targets(windows, log);
  EXPECT_EQ(windows[0].target, nlohmann::json({{"from", "n1"}, {"to", "n2"}}));
  EXPECT_EQ(windows[1].target, nlohmann::json({{"node", "n2"}}));
  EXPECT_EQ(windows[2].target, nlohmann::json({{"from", "n2"}, {"to", "n3"}}));
  EXPECT_EQ(fault_windows_json(windows)[2]["target"]["to"], "n3");

  std::vector<BenchFaultWindow> unlogged = {{"failover", 1.0, 2.0, nullptr}};
  attach_fault_targets(unlogged, "");
  EXPECT_TRUE(unlogged[0].target.is_null());
  EXPECT_FALSE(fault_windows_json(unlogged)[0].contains("target"));
}

TEST(LatencyByWindow, WindowsOfOneFaultAreMergedAndOutsideIsKeptApart) {
  const std::vector<BenchFaultWindow> windows{
      {"failover", 1, 2}, {"proxy-latency", 3, 4}, {"failover", 5, 6}, {"failover", 7, 8}};
  std::vector<LatencyHistogram> by_window{histogram(100, 1 * kMs), histogram(10, 30 * kMs),
                                          histogram(5, 60 * kMs), histogram(20, 10 * kMs)};
  // Window 3 had no answer: by_window ends before it, and its fault still counts the others.
  const auto j = latency_by_window_json(windows, by_window, histogram(135, 1 * kMs));
  EXPECT_EQ(j["outside"]["count"], 100);
  EXPECT_EQ(j["failover"]["count"], 30);
  EXPECT_EQ(j["proxy-latency"]["count"], 5);
  EXPECT_GE(j["proxy-latency"]["p50_ns"].get<std::int64_t>(), 59 * kMs);
  EXPECT_GE(j["failover"]["max_ns"].get<std::int64_t>(), 29 * kMs);
  const std::string text = by_window_text(j);
  EXPECT_NE(text.find("by fault window"), std::string::npos);
  EXPECT_NE(text.find("outside"), std::string::npos);
  EXPECT_NE(text.find("failover"), std::string::npos);
  EXPECT_LT(text.find("outside"), text.find("failover")) << "outside first";
}

TEST(LatencyByWindow, NoAnswerInAnyWindowMeansEverythingWasOutside) {
  const auto j = latency_by_window_json({}, {}, histogram(7, 1 * kMs));
  EXPECT_EQ(j["outside"]["count"], 7);
  EXPECT_EQ(j.size(), 1u);
}

TEST(BenchJson, AFaultedRunHasItsWindowsAndLatencyByWindow) {
  LoadOptions options;
  BenchRun faulted;
  faulted.server_before = nlohmann::json::object();  // INFO as a server that did not answer
  faulted.faulted = true;
  faulted.fault_windows = {{"failover", 1.0, 2.5}};
  faulted.result.corrected = histogram(12, 1 * kMs);
  faulted.result.completed = 12;
  faulted.result.by_window = {histogram(10, 1 * kMs), histogram(2, 40 * kMs)};
  const nlohmann::json bench = summarize_runs(options, {faulted}).bench;
  ASSERT_EQ(bench["fault_windows"].size(), 1u);
  EXPECT_EQ(bench["fault_windows"][0]["fault"], "failover");
  EXPECT_DOUBLE_EQ(bench["fault_windows"][0]["start_s"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(bench["fault_windows"][0]["end_s"].get<double>(), 2.5);
  EXPECT_EQ(bench["latency_by_window"]["outside"]["count"], 10);
  EXPECT_EQ(bench["latency_by_window"]["failover"]["count"], 2);

  BenchRun plain;
  plain.server_before = nlohmann::json::object();
  plain.result.corrected = histogram(5, 1 * kMs);
  plain.result.completed = 5;
  const nlohmann::json quiet = summarize_runs(options, {plain}).bench;
  EXPECT_FALSE(quiet.contains("fault_windows")) << "without --fault bench.json is as before";
  EXPECT_FALSE(quiet.contains("latency_by_window"));
}

}  // namespace
}  // namespace redproof::load

#include "driver/load/load_recording.hpp"

#include <algorithm>

#include "driver/load/load_engine.hpp"

namespace redproof::load {

LoadRecording::LoadRecording(SecondSeries& series, LoadProgress* progress)
    : seconds_(series),
      progress_(progress),
      window_(progress ? &progress->fault_window : nullptr) {}

// Off the common path: only once a window has been open. The histograms are made as windows
// appear (136 KiB each); answers before the first window were all outside it, so the first
// window's arrival starts the outside histogram from what was recorded until then.
void LoadRecording::record_in_window(int window, std::int64_t corrected_ns) {
  if (by_window_.empty()) by_window_.push_back(corrected_);
  const std::size_t slot = window < 0 ? 0 : static_cast<std::size_t>(window) + 1;
  if (by_window_.size() <= slot) by_window_.resize(slot + 1);
  by_window_[slot].record_ns(corrected_ns);
}

void LoadRecording::count_progress_error() {
  if (progress_) progress_->errors.fetch_add(1, std::memory_order_relaxed);
}

void LoadRecording::timed_out(std::int64_t now) {
  seconds_.advance(now / 1'000'000'000);
  ++totals_.timeouts;
  ++seconds_.counters().timeouts;
  count_progress_error();
}

void LoadRecording::connection_error(std::int64_t now) {
  seconds_.advance(now / 1'000'000'000);
  ++totals_.connection_errors;
  ++seconds_.counters().connection_errors;
  count_progress_error();
}

namespace {

// A loop that never saw a window open at an answer recorded everything outside them.
void merge_windows(const std::vector<const LoadRecording*>& recordings, LoadResult& result) {
  std::size_t windows = 0;
  for (const LoadRecording* r : recordings) windows = std::max(windows, r->by_window().size());
  if (windows == 0) return;
  result.by_window.resize(windows);
  for (const LoadRecording* r : recordings) {
    if (r->by_window().empty()) result.by_window[0].merge(r->corrected());
    for (std::size_t k = 0; k < r->by_window().size(); ++k) {
      result.by_window[k].merge(r->by_window()[k]);
    }
  }
}

}  // namespace

LoadResult merge_recordings(const std::vector<const LoadRecording*>& recordings,
                            SecondSeries& series, double wall_seconds, double cpu_user_seconds,
                            double cpu_system_seconds, bool open_loop) {
  LoadResult result;
  const int threads = static_cast<int>(recordings.size());
  result.threads = threads;
  result.wall_seconds = wall_seconds;
  result.cpu_user_seconds = cpu_user_seconds;
  result.cpu_system_seconds = cpu_system_seconds;
  for (const LoadRecording* r : recordings) {
    result.corrected.merge(r->corrected());
    result.uncorrected.merge(r->uncorrected());
    const LoadResult& t = r->totals();
    result.sent += t.sent;
    result.completed += t.completed;
    result.error_replies += t.error_replies;
    result.failed += t.failed;
    result.timeouts += t.timeouts;
    result.lost_in_flight += t.lost_in_flight;
    result.connection_errors += t.connection_errors;
    result.reconnects += t.reconnects;
    result.late_sends += t.late_sends;
    result.unsent += t.unsent;
  }
  result.series = series.finish();
  merge_windows(recordings, result);

  const double busy = (cpu_user_seconds + cpu_system_seconds) / (wall_seconds * threads);
  if (wall_seconds > 0 && busy > 0.9) {
    result.warnings.push_back(
        "the client, not the server, may have been the bottleneck: its threads were busy " +
        std::to_string(static_cast<int>(busy * 100)) + "% of the time (try --threads " +
        std::to_string(threads + 1) + ")");
  }
  if (result.late_sends > 0 && open_loop) {
    result.warnings.push_back(std::to_string(result.late_sends) +
                              " requests were sent 1 ms or more after their intended start "
                              "(backlog); corrected latency includes that wait");
  }
  return result;
}

}  // namespace redproof::load

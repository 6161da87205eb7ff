// What one event loop's senders measured: latency from each request's intended start
// (corrected) and from its actual send (uncorrected), the per-second series, and the counters.
// Each loop has its own, so the hot path shares nothing; they are merged when the load ends.
//
// Shared by the load engine's pipelined connections and by the pattern workloads' workers, so
// that `bench --command` and `bench --workload` measure and report alike.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "checkers/operation_latency.hpp"
#include "driver/load/load_result.hpp"
#include "driver/load/second_series.hpp"

namespace redproof::load {

struct LoadProgress;

// How a request that was answered ended.
enum class Answer : std::uint8_t {
  kOk,
  kErrorReply,  // the server said no with an error reply
  kFailed,      // a pattern operation that definitely did not take effect (a busy lock)
};

class LoadRecording {
 public:
  LoadRecording(SecondSeries& series, LoadProgress* progress);

  // Times are on the load's clock, in ns from its start. sent() and answered() run per request
  // and leave moving the series to `now` to the caller (advance), which the engine does once
  // per batch; the rare events move it themselves.
  void sent(std::int64_t now, std::int64_t intended) {
    ++totals_.sent;
    if (now - intended >= kLateSendNs) {
      ++totals_.late_sends;
      ++seconds_.counters().late_sends;
    }
  }
  void answered(std::int64_t now, std::int64_t intended, std::int64_t sent, Answer answer) {
    const std::int64_t corrected = now - intended;
    // One relaxed load per answer: windows are opened and closed by another thread, seconds
    // apart, and an answer counted in the window next to its own is of no consequence.
    if (window_) {
      const int window = window_->load(std::memory_order_relaxed);
      if (window >= 0 || !by_window_.empty()) record_in_window(window, corrected);
    }
    corrected_.record_ns(corrected);
    uncorrected_.record_ns(now - sent);
    seconds_.latency().record_ns(corrected);
    ++seconds_.counters().completed;
    ++totals_.completed;
    if (answer == Answer::kErrorReply) {
      ++totals_.error_replies;
      ++seconds_.counters().errors;
      count_progress_error();
    } else if (answer == Answer::kFailed) {
      ++totals_.failed;
    }
  }
  void timed_out(std::int64_t now);
  void lost_in_flight() { ++totals_.lost_in_flight; }
  void connection_error(std::int64_t now);
  void reconnected() { ++totals_.reconnects; }
  void add_unsent(std::uint64_t n) { totals_.unsent += n; }
  // Moves the series to `now` without an event (a reader that woke with replies).
  void advance(std::int64_t now) { seconds_.advance(now / 1'000'000'000); }
  // The loop is done: hands its last second over.
  void finish() { seconds_.finish(); }

  const LatencyHistogram& corrected() const { return corrected_; }
  const LatencyHistogram& uncorrected() const { return uncorrected_; }
  const LoadResult& totals() const { return totals_; }
  // [0] outside every window, [k + 1] inside window k; empty while no window was open at an
  // answer (everything so far was outside: corrected()).
  const std::vector<LatencyHistogram>& by_window() const { return by_window_; }

 private:
  void count_progress_error();
  void record_in_window(int window, std::int64_t corrected_ns);

  LatencyHistogram corrected_;
  LatencyHistogram uncorrected_;
  SecondAccumulator seconds_;
  LoadResult totals_;  // counters only
  LoadProgress* progress_;
  const std::atomic<int>* window_;  // progress_->fault_window; null without progress
  std::vector<LatencyHistogram> by_window_;
};

// The figures of a finished load: every loop's recording merged (call after finish()), the
// series, the wall and CPU time, and warnings (a busy client, a backlog).
LoadResult merge_recordings(const std::vector<const LoadRecording*>& recordings,
                            SecondSeries& series, double wall_seconds, double cpu_user_seconds,
                            double cpu_system_seconds, bool open_loop);

}  // namespace redproof::load

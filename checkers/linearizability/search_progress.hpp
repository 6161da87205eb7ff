// Progress of a long linearizability search, for a user watching it: keys decided of all,
// states the search has explored, time spent. A line every few seconds to stderr, when stderr is
// a terminal or REDPROOF_PROGRESS asks for it; never into a results file. The search itself
// only adds to two relaxed counters every 1024 steps; a reporter thread does the rest.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace redproof::linearizability {

struct SearchProgress {
  std::size_t keys_done = 0;
  std::size_t keys_total = 0;
  std::int64_t states_explored = 0;
  double elapsed_seconds = 0;
};

using ProgressSink = std::function<void(const SearchProgress&)>;

// "linearizability: 3/12 keys decided, 1204331 states explored, 4.0 s"
std::string progress_line(const SearchProgress& p);

// A sink writing progress_line to stderr when stderr is a terminal or the environment variable
// REDPROOF_PROGRESS is set to anything but "0" (REDPROOF_PROGRESS=0 silences a terminal too);
// otherwise null (no progress). `is_terminal` and `env` are seams for tests.
ProgressSink stderr_progress_if_wanted(bool is_terminal, const char* env);
ProgressSink stderr_progress_if_wanted();

// Calls `sink` with `sample()` every `every` until destroyed; nothing when the search ends
// sooner. Null sink: no thread.
class ProgressReporter {
 public:
  ProgressReporter(ProgressSink sink, std::chrono::milliseconds every,
                   std::function<SearchProgress()> sample);
  ~ProgressReporter();
  ProgressReporter(const ProgressReporter&) = delete;
  ProgressReporter& operator=(const ProgressReporter&) = delete;

 private:
  void loop();
  ProgressSink sink_;
  std::chrono::milliseconds every_;
  std::function<SearchProgress()> sample_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace redproof::linearizability

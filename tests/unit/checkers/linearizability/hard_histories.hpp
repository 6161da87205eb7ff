// Histories that make the search work hard, shared by the tests that need a search to run
// until its budget ends.
#pragma once

#include <string>

namespace redproof::linearizability {

// `n` enqueues that never complete (any subset may have happened, in any order), then dequeues
// that see them in turn, and a last dequeue of a value never enqueued, so that no order works
// and the search must try them all.
inline std::string hard_queue(int n) {
  std::string out;
  int i = 0;
  auto event = [&](int process, const char* type, const char* f, const std::string& value) {
    out += "{\"index\":" + std::to_string(i) + ",\"time\":" + std::to_string(i) +
           ",\"process\":" + std::to_string(process) + ",\"type\":\"" + type + "\",\"f\":\"" + f +
           "\",\"value\":" + value + "}\n";
    ++i;
  };
  for (int p = 0; p < n; ++p) event(p, "invoke", "enqueue", std::to_string(p));
  for (int d = 0; d < n; ++d) {
    event(n, "invoke", "dequeue", "null");
    event(n, "ok", "dequeue", std::to_string((d * 7) % n));
  }
  event(n, "invoke", "dequeue", "null");
  event(n, "ok", "dequeue", "999");
  return out;
}

}  // namespace redproof::linearizability

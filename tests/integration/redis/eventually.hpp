// Polling for integration tests: what a real server does happens "soon", not at once.
#pragma once

#include <chrono>
#include <thread>

namespace redproof::testing {

// Polls `condition` every `every` until it holds or `limit` passes; its last answer.
template <typename Condition>
bool eventually(Condition condition,
                std::chrono::milliseconds limit = std::chrono::milliseconds(2000),
                std::chrono::milliseconds every = std::chrono::milliseconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(every);
  }
  return condition();
}

}  // namespace redproof::testing

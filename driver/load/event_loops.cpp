#include "driver/load/event_loops.hpp"

#include <algorithm>
#include <thread>

namespace redproof::load {

EventLoops::EventLoops(int count, boost::asio::io_context* first) {
  count = std::max(count, 1);
  for (int i = 0; i < count; ++i) {
    if (i == 0 && first) {
      loops_.push_back(first);
    } else {
      // Concurrency hint 1: each loop is run by exactly one thread, so Asio can skip locking.
      owned_.push_back(std::make_unique<boost::asio::io_context>(1));
      loops_.push_back(owned_.back().get());
    }
  }
}

void EventLoops::run() {
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < loops_.size(); ++i) {
    threads.emplace_back([loop = loops_[i]] { loop->run(); });
  }
  loops_[0]->run();
  for (auto& t : threads) t.join();
}

void EventLoops::restart() {
  for (auto* loop : loops_) loop->restart();
}

}  // namespace redproof::load

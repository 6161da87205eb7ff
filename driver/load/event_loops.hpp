// One Asio event loop per thread (--threads): senders are spread over them, sender i on loop
// i % size(), and run() runs them all until their work is done, loop 0 on the calling thread.
// Shared by the load engine and by the pattern workloads' workers.
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>
#include <vector>

namespace redproof::load {

class EventLoops {
 public:
  // `count` loops (at least 1). `first`, when given, is used as loop 0 (a caller's loop that
  // also serves its signals and timers); the others are owned here.
  explicit EventLoops(int count, boost::asio::io_context* first = nullptr);
  EventLoops(const EventLoops&) = delete;
  EventLoops& operator=(const EventLoops&) = delete;

  int size() const { return static_cast<int>(loops_.size()); }
  boost::asio::io_context& at(int i) { return *loops_[static_cast<std::size_t>(i)]; }
  boost::asio::io_context& for_sender(int sender) { return at(sender % size()); }

  // Runs every loop until it runs out of work or is stopped; returns when all have.
  void run();
  // Makes every loop runnable again after it stopped (for a second phase).
  void restart();

 private:
  std::vector<std::unique_ptr<boost::asio::io_context>> owned_;
  std::vector<boost::asio::io_context*> loops_;
};

}  // namespace redproof::load

// When one sender's requests fall due in an open-loop load (--rate): on a fixed grid, whatever
// the server does. A late request keeps its slot's time as its intended start, so latency
// counted from it includes the wait a user arriving at that rate would have seen (Gil Tene's
// coordinated omission correction), and no slot is skipped: a stall shows as a backlog.
//
// Shared by the load engine's pipelined connections and by the pattern workloads' workers, so
// that bench and run schedule alike. Pure: no clock, no I/O, unit-tested with plain numbers.
#pragma once

#include <cmath>
#include <cstdint>

namespace redproof::load {

class OpenLoopSchedule {
 public:
  OpenLoopSchedule() = default;  // closed loop: no schedule, send as fast as answers come

  // `senders` share `rate` requests per second from `start_ns` until `end_ns`; this is sender
  // `index`, staggered by index / senders of an interval so that senders do not fire together.
  OpenLoopSchedule(double rate, int senders, int index, std::int64_t start_ns, std::int64_t end_ns)
      : end_ns_(end_ns) {
    if (rate > 0 && senders > 0) {
      interval_ns_ = senders * 1e9 / rate;
      next_ns_ = static_cast<double>(start_ns) + interval_ns_ * index / senders;
    }
  }

  bool open_loop() const { return interval_ns_ > 0; }
  // A slot remains before the end.
  bool has_slot() const { return open_loop() && next_ns_ < static_cast<double>(end_ns_); }
  // When the next slot falls due (rounded up, so that waking then never finds it early).
  std::int64_t next_ns() const { return static_cast<std::int64_t>(std::ceil(next_ns_)); }
  // The next slot is due at `now`.
  bool due(std::int64_t now) const { return has_slot() && next_ns_ <= static_cast<double>(now); }
  // Takes the next slot; returns its intended start.
  std::int64_t take() {
    const auto intended = static_cast<std::int64_t>(next_ns_);
    next_ns_ += interval_ns_;
    return intended;
  }
  // The sender chose to wait from `from` to `to` (a lock held for its work, think time): slots
  // that fell due during the wait were not requests the system kept waiting, so they are
  // dropped. Slots already overdue at `from` stay: they are the system's backlog.
  void skip_wait(std::int64_t from, std::int64_t to) {
    if (!open_loop() || next_ns_ < static_cast<double>(from)) return;
    if (next_ns_ < static_cast<double>(to)) {
      next_ns_ += std::ceil((static_cast<double>(to) - next_ns_) / interval_ns_) * interval_ns_;
    }
  }
  // Slots that fell due before the end and were never taken (the sender was behind at the end).
  std::uint64_t unsent() const {
    if (!has_slot()) return 0;
    return static_cast<std::uint64_t>(
        std::ceil((static_cast<double>(end_ns_) - next_ns_) / interval_ns_));
  }

 private:
  double interval_ns_ = 0;  // fractional: 3 req/s over 7 senders keeps its exact rate
  double next_ns_ = 0;
  std::int64_t end_ns_ = 0;
};

}  // namespace redproof::load

// The exact decision for fifo-queue histories the O(n log n) path leaves undecided: repeated
// values, enqueues and dequeues of unknown outcome. A search over time rather than over
// operations: the set of states the queue can be in at each return ("configurations": the open
// operations already linearized, the contents), carried from return to return, so its cost is
// the history's length times the configurations alive at once, not the number of orders.
// Both answers are certain: "linearizable" when a configuration survives the last return, "not
// linearizable" when a return leaves none (every placement of every operation was tried, up to
// the reductions below, each of which keeps every outcome reachable).
//
// Reductions (why each loses no linearization):
//  1. Equal values are interchangeable: the contents are kept as values, so every matching of
//     dequeues to enqueues of the same value is covered at once.
//  2. Between two returns only invokes happen; an operation linearized there can be moved to
//     just before the next return (its order with the others kept): it stays inside its
//     interval, and an invoke sees no state. So configurations are built at returns only.
//  3. A dequeue of unknown outcome that took the head can be moved later, up to the next
//     dequeue of known outcome (or empty dequeue) linearized after it: in between only enqueues
//     happen, which append behind the head either way. So these dequeues are a count of
//     "wildcards", spent only to uncover the head a known dequeue needs or to empty the queue
//     for an empty dequeue.
//  4. An enqueue of unknown outcome whose copy no known dequeue takes can be dropped (with the
//     dequeue of unknown outcome that took it, if any): the copy only stood behind the values
//     ahead of it and ahead of those behind it, which leave by their own dequeues either way,
//     and it only made the queue fuller. So such an enqueue is used only when a known dequeue
//     of its value takes it, and then it may be placed anywhere after its invoke: its copy
//     reaches the head at that dequeue exactly when every value now in the queue was enqueued
//     after its invoke (it is placed just before the enqueue of the current head, or now when
//     the queue is empty; the head has stayed in the queue since, so no empty dequeue and no
//     other dequeue saw the difference). Each such enqueue is kept as (value, how many of the
//     current values were enqueued before its invoke).
//  5. A configuration with more wildcards and otherwise equal dominates: only the larger count
//     is kept.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "checkers/linearizability/fifo_operation.hpp"

namespace redproof::linearizability {

struct FifoSearchResult {
  enum class Kind { kLinearizable, kNotLinearizable, kGaveUp };
  Kind kind = Kind::kGaveUp;
  std::size_t stuck = 0;               // not linearizable: the operation whose return found
                                       // no configuration
  std::vector<std::int64_t> contents;  // then: the queue in one configuration before it
};

// When the search gives up (kGaveUp).
struct FifoSearchLimits {
  std::size_t max_configurations = 2'000'000;  // built in all
  // Built while placing the operations open at one return (they are alive together, with the
  // configurations kept from the return before): a configuration holds the queue's contents.
  std::size_t max_bytes_per_return = std::size_t{256} << 20;
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  const std::atomic<bool>* stop = nullptr;  // set by another thread: give up
};

// `init`: the queue's initial contents, front first.
FifoSearchResult search_fifo_queue(const std::vector<FifoOperation>& ops,
                                   const std::vector<std::int64_t>& init,
                                   const FifoSearchLimits& limits);

}  // namespace redproof::linearizability

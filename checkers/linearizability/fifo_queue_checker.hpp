// A fast path for the fifo-queue model: decides in O(n log n) the histories the general search
// cannot (tens of thousands of operations per queue), and says "undecided" for the others, which
// then go to the search. Both answers it gives are certain:
//  - linearizable: it built a linearization (each operation placed between its invoke and its
//    return, the queue's contents followed step by step), in the spirit of the decrease-and-conquer
//    monitors for collections with distinct values (Emmi & Enea; Lee & Mathur): an enqueue is
//    placed as late as it can be, unless a value that must leave the queue earlier needs it
//    ahead; a dequeue at its return, first removing what must leave before it; an empty dequeue
//    as soon as the queue is empty within its interval.
//  - not linearizable (values distinct only): a pattern that holds for every placement (Henzinger
//    et al.'s violations): a value dequeued twice; a value a enqueued before b was invoked while
//    b's dequeue returned before a's dequeue began, or a never left; an empty dequeue while a
//    value certainly sat in the queue throughout.
// Repeated values are first matched in order (the k-th dequeue of v with the k-th enqueue of
// v): a linearization built with that matching is still a proof. When none is found (or a value
// is dequeued that nothing enqueued), the exhaustive search over time of fifo_queue_search.hpp
// decides: with repeated values a violation must hold for every matching of dequeues to
// enqueues and every choice of which enqueues of unknown outcome happened, which no pattern
// here shows (deciding it is NP-complete in general: Emmi & Enea, POPL 2018), but that search
// covers them all at once, and on histories whose operations on one queue overlap little its
// configurations stay few. Past its limits (configurations, memory, time) the answer is
// "undecided" (then the general search, then "unknown"), never a guess.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "checkers/linearizability/fifo_operation.hpp"
#include "checkers/linearizability/fifo_queue_search.hpp"

namespace redproof::linearizability {

struct FifoDecision {
  enum class Kind { kLinearizable, kNotLinearizable, kUndecided };
  Kind kind = Kind::kUndecided;
  // Not linearizable: the operation that cannot be placed, and those that prove it (the enqueue
  // of the value certainly ahead, its dequeue if any, the enqueue of the stuck value).
  std::size_t stuck = 0;
  std::vector<std::size_t> witnesses;
  std::int64_t ahead_value = 0;  // the value certainly ahead of the stuck dequeue
  // Decided by the exhaustive search (fifo_queue_search.hpp) rather than a pattern: the queue's
  // contents in one configuration before `stuck` returned (no witnesses then).
  bool searched = false;
  std::vector<std::int64_t> contents;
};

// `init`: the queue's initial contents (value ids), front first. `limits`: when the exhaustive
// search gives up (undecided).
FifoDecision decide_fifo_queue(const std::vector<FifoOperation>& ops,
                               const std::vector<std::int64_t>& init,
                               const FifoSearchLimits& limits = {});

}  // namespace redproof::linearizability

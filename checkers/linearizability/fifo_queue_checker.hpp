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
// Repeated values are matched in order (the k-th dequeue of v with the k-th enqueue of v): the
// linearization built with that matching is still a proof, and when none is found the search
// decides. A dequeue of a value nothing enqueued is left to the search too.
// Why repeated values stay "undecided" here rather than "not linearizable": with repeated values
// a violation must hold for every matching of dequeues to enqueues, and with enqueues of unknown
// outcome also for every choice of which of them happened; deciding that is NP-complete in
// general (the tractable monitors for collections rely on distinct values: Emmi & Enea, POPL
// 2018; Gibbons & Korach for registers). The matchings tried here only prove linearizability, so
// when they all fail only the exhaustive search may say "not linearizable", and past its budget
// "unknown" is the honest answer. The queue workload's ids are unique per enqueue
// ("w<worker>-<n>"), so its fifo check always takes the distinct-values path, which decides both
// ways.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace redproof::linearizability {

struct FifoOperation {
  bool enqueue = true;
  bool known = true;        // false: info or never completed (an enqueue that may not have
                            // happened; a dequeue that may have taken the head or nothing)
  std::int64_t value = 0;   // enqueue: its value id; known dequeue: the value, 0 for empty
  std::int64_t invoke = 0;  // positions in the history, ordered
  std::int64_t ret = 0;     // INT64_MAX when unknown
};

struct FifoDecision {
  enum class Kind { kLinearizable, kNotLinearizable, kUndecided };
  Kind kind = Kind::kUndecided;
  // Not linearizable: the operation that cannot be placed, and those that prove it (the enqueue
  // of the value certainly ahead, its dequeue if any, the enqueue of the stuck value).
  std::size_t stuck = 0;
  std::vector<std::size_t> witnesses;
  std::int64_t ahead_value = 0;  // the value certainly ahead of the stuck dequeue
};

// `init`: the queue's initial contents (value ids), front first.
FifoDecision decide_fifo_queue(const std::vector<FifoOperation>& ops,
                               const std::vector<std::int64_t>& init);

}  // namespace redproof::linearizability

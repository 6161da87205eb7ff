// One operation of a fifo-queue history on one key, as the fifo-queue decisions see it
// (fifo_queue_checker.hpp, fifo_queue_search.hpp).
#pragma once

#include <cstdint>

namespace redproof::linearizability {

struct FifoOperation {
  bool enqueue = true;
  bool known = true;        // false: info or never completed (an enqueue that may not have
                            // happened; a dequeue that may have taken the head or nothing)
  std::int64_t value = 0;   // enqueue: its value id; known dequeue: the value, 0 for empty
  std::int64_t invoke = 0;  // positions in the history, ordered
  std::int64_t ret = 0;     // INT64_MAX when unknown
};

}  // namespace redproof::linearizability

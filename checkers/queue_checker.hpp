// The `queue` checker (../shared/spec/patterns.md): a job queue in the total-queue sense, from
// enqueue, dequeue, ack and the final drain alone.
//  - lost: an enqueue that completed ok, whose id no ack (ok or unknown) names and that the
//    final drain of its queue did not list. Certain: it took effect, nothing says it was
//    processed, and it is not waiting anywhere. Needs that queue's drain to have completed ok.
//  - duplicated: an id acked ok more than once; a violation for at-most-once variants
//    (list-brpop), a note (violation=false) for at-least-once ones, which redeliver by design.
//  - unexpected: an id dequeued, acked or drained whose enqueue was never invoked (or invoked
//    only after it was seen).
//  - recovered (count): an enqueue of unknown outcome whose id turned up later: it happened.
// Details: the counts and the end-to-end latency (enqueue invoke to the first ok ack).
//
// The `fifo` checker: `reordered` when the enqueues and dequeues of the delivered messages are
// not linearizable as a FIFO queue (the fifo-queue model, whose fast path decides histories of
// this size in well under a second). Lost messages are left out of it: their loss is `lost`.
#pragma once

#include <chrono>

#include "checkers/checker.hpp"

namespace redproof {

struct QueueCheckerOptions {
  bool at_most_once = false;  // duplicates are violations (list-brpop)
};

class QueueChecker : public Checker {
 public:
  explicit QueueChecker(QueueCheckerOptions options = {}) : options_(options) {}
  std::string name() const override { return "queue"; }
  CheckResult check(const std::vector<Op>& history) override;

 private:
  QueueCheckerOptions options_;
};

class QueueFifoChecker : public Checker {
 public:
  explicit QueueFifoChecker(std::chrono::milliseconds timeout = std::chrono::seconds(60))
      : timeout_(timeout) {}
  std::string name() const override { return "fifo"; }
  CheckResult check(const std::vector<Op>& history) override;

 private:
  std::chrono::milliseconds timeout_;
};

}  // namespace redproof

// pubsub (../shared/spec/patterns.md). A subscription runs from a process's `subscribe` ok on a
// channel to its `unsubscribe` invoke; the `receive` oks of that process and channel after the
// subscribe (also those recorded after the unsubscribe, the messages that arrived while it was
// being confirmed) are what it received.
//   lost-while-subscribed: a message published (ok) on the channel, invoked after the
//     subscribe's ok and completed before either the unsubscribe's invoke or the invoke of a
//     later publish of the same publisher that the subscription received (Redis delivers one
//     connection's messages in order), which the subscription never received. A dropped
//     subscriber ends in an unsubscribe `info`: it had not asked to stop.
//   missed-before-subscribe (a note, expected): messages published while the subscribe was in
//     flight that the subscription did not receive. A publish that straddles the subscribe's ok
//     may or may not reach it.
// Per subscriber process, details give the delivery ratio: received / expected.
#pragma once

#include "checkers/checker.hpp"

namespace redproof {

class PubsubChecker : public Checker {
 public:
  std::string name() const override { return "pubsub"; }
  CheckResult check(const std::vector<Op>& history) override;
};

}  // namespace redproof

#include "workloads/pubsub/pubsub_generator.hpp"

#include <fmt/format.h>

#include "core/json_text.hpp"

namespace redproof::pubsub {

std::string channel_name(std::int64_t i) {
  return fmt::format("channel:{}", i);
}

GeneratorStep SubscriberGenerator::next(std::int64_t now_ns) {
  switch (state_) {
    case State::kSubscribe:
      if (now_ns >= plan_.end_ns) return GeneratorStep::done();
      if (retry_ns_ > 0) {
        const std::int64_t wait = retry_ns_;
        retry_ns_ = 0;
        return GeneratorStep::wait(wait);
      }
      channel_ = channel_name(rng_.uniform(0, plan_.channels - 1));
      state_ = State::kSubscribing;
      return GeneratorStep::operation("subscribe", channel_);
    case State::kReceive:
      if (plan_.stall_ns > 0 && !stalled_ && now_ns < plan_.end_ns) {
        stalled_ = true;
        return GeneratorStep::wait(plan_.stall_ns);
      }
      if (since_ns_ < 0) since_ns_ = now_ns;  // the hold starts once it reads
      if (now_ns >= plan_.end_ns || now_ns - since_ns_ >= plan_.hold_ns) {
        state_ = State::kUnsubscribe;
        return GeneratorStep::operation("unsubscribe", channel_);
      }
      return GeneratorStep::operation("receive", channel_);
    case State::kUnsubscribe:  // a receive found the subscription lost
      return GeneratorStep::operation("unsubscribe", channel_);
    case State::kDrain:
      return GeneratorStep::operation("receive", channel_);
    case State::kSubscribing:  // awaiting the completion; not asked
    case State::kDone:
      break;
  }
  return GeneratorStep::done();
}

void SubscriberGenerator::update(const Op& c) {
  const bool ok = c.type == OpType::kOk;
  if (c.f == "subscribe") {
    state_ = ok ? State::kReceive : State::kSubscribe;
    since_ns_ = -1;
    stalled_ = false;
    if (!ok) retry_ns_ = 100'000'000;
  } else if (c.f == "receive" && state_ == State::kReceive) {
    if (!ok && c.error != "nothing received") state_ = State::kUnsubscribe;
  } else if (c.f == "receive" && state_ == State::kDrain) {
    if (!ok) state_ = State::kSubscribe;
  } else if (c.f == "unsubscribe") {
    state_ = ok ? State::kDrain : State::kSubscribe;
  }
}

GeneratorStep PublisherGenerator::next(std::int64_t) {
  const std::string id = fmt::format("w{}-{}", worker_, ++sent_);
  return GeneratorStep::operation("publish", channel_name(rng_.uniform(0, channels_ - 1)),
                                  json_text::quote(id));
}

}  // namespace redproof::pubsub

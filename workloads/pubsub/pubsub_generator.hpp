// A subscriber's life, repeated until the load ends: subscribe to a random channel, receive for
// `hold` (a slow subscriber first stalls for `stall` without reading), unsubscribe, then take
// the messages that arrived while the unsubscribe was confirmed (receives until one fails). A
// receive that finds the subscription lost goes straight to the unsubscribe, which records the
// drop as `info`. Pure: time comes from the caller.
#pragma once

#include <cstdint>

#include "core/random.hpp"
#include "workloads/generator.hpp"

namespace redproof::pubsub {

struct SubscriberPlan {
  std::int64_t channels = 1;
  std::int64_t hold_ns = 0;
  std::int64_t stall_ns = 0;  // 0: reads at once
  std::int64_t end_ns = 0;
};

std::string channel_name(std::int64_t i);

class SubscriberGenerator : public Generator {
 public:
  SubscriberGenerator(SubscriberPlan plan, Random rng) : plan_(plan), rng_(rng) {}

  GeneratorStep next(std::int64_t now_ns) override;
  void update(const Op& completion) override;
  void process_replaced() override { state_ = State::kSubscribe; }

 private:
  enum class State { kSubscribe, kSubscribing, kReceive, kUnsubscribe, kDrain, kDone };

  SubscriberPlan plan_;
  Random rng_;
  State state_ = State::kSubscribe;
  std::string channel_;
  std::int64_t since_ns_ = -1;  // when the subscription was confirmed (first asked after)
  bool stalled_ = false;
  std::int64_t retry_ns_ = 0;  // wait before subscribing again after a refusal
};

// A publisher: message ids "w<worker>-<n>", unique across the run.
class PublisherGenerator : public Generator {
 public:
  PublisherGenerator(int worker, std::int64_t channels, Random rng)
      : worker_(worker), channels_(channels), rng_(rng) {}
  GeneratorStep next(std::int64_t now_ns) override;
  void update(const Op&) override {}

 private:
  int worker_;
  std::int64_t channels_;
  Random rng_;
  std::int64_t sent_ = 0;
};

}  // namespace redproof::pubsub

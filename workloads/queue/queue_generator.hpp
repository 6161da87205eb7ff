// The queue workload's two roles. A producer enqueues fresh message ids ("w<worker>-<n>", unique
// for the run even across process replacements) into a random queue, with a think time. A
// consumer dequeues from its queue, works on what it got for `work`, then acks it; a consumer
// whose process was replaced forgets the job it held (the crash lost it, or left it to a reaper).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/random.hpp"
#include "workloads/generator.hpp"
#include "workloads/queue/queue_options.hpp"

namespace redproof::queue {

class ProducerGenerator : public Generator {
 public:
  ProducerGenerator(const QueueOptions& o, int worker, Random rng)
      : options_(o), worker_(worker), rng_(rng) {}
  GeneratorStep next(std::int64_t now_ns) override;
  void update(const Op&) override {}

 private:
  QueueOptions options_;
  int worker_;
  Random rng_;
  std::int64_t sent_ = 0;
};

class ConsumerGenerator : public Generator {
 public:
  // Takes nothing new once `end_ns` has passed, but finishes (works on and acks) the job it holds.
  ConsumerGenerator(const QueueOptions& o, int worker, std::int64_t end_ns)
      : options_(o), worker_(worker), end_ns_(end_ns) {}
  GeneratorStep next(std::int64_t now_ns) override;
  void update(const Op& completion) override;
  void process_replaced() override { job_.reset(); }

 private:
  QueueOptions options_;
  int worker_;
  std::int64_t end_ns_;
  std::optional<std::string> job_;  // the id taken, as JSON text
  bool worked_ = false;
};

}  // namespace redproof::queue

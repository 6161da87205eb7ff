#include "workloads/queue/queue_generator.hpp"

#include <fmt/format.h>

namespace redproof::queue {

GeneratorStep ProducerGenerator::next(std::int64_t) {
  const int q = static_cast<int>(rng_.uniform(0, options_.queues - 1));
  return GeneratorStep::operation("enqueue", queue_key(q),
                                  fmt::format("\"w{}-{}\"", worker_, sent_++));
}

GeneratorStep ConsumerGenerator::next(std::int64_t now_ns) {
  const std::string key = queue_key(worker_ % options_.queues);
  if (!job_) {
    if (now_ns >= end_ns_) return GeneratorStep::done();
    return GeneratorStep::operation("dequeue", key);
  }
  if (!worked_ && options_.work.count() > 0) {
    worked_ = true;
    return GeneratorStep::wait(std::chrono::nanoseconds(options_.work).count());
  }
  return GeneratorStep::operation("ack", key, *job_);
}

void ConsumerGenerator::update(const Op& c) {
  if (c.f == "dequeue") {
    if (c.type == OpType::kOk && c.value != "null") {
      job_ = c.value;
      worked_ = false;
    }
  } else if (c.f == "ack") {
    job_.reset();  // done, or unknown: either way this consumer moves on
  }
}

}  // namespace redproof::queue

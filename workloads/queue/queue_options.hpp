// The queue workload's variants and knobs, resolved once.
#pragma once

#include <chrono>
#include <string>

#include "workloads/knobs.hpp"

namespace redproof::queue {

enum class QueueVariant { kListBrpop, kListBlmove, kStream };

struct QueueOptions {
  QueueVariant variant = QueueVariant::kListBrpop;
  int queues = 1;
  double producers = 0.5;                      // share of the workers that produce
  std::chrono::milliseconds think{2};          // a producer's pause between enqueues
  std::chrono::milliseconds work{5};           // a consumer's processing time before its ack
  std::chrono::milliseconds block{200};        // blocking dequeue time-out
  std::chrono::milliseconds visibility{1000};  // stalled jobs are taken back after this
};

// Throws std::invalid_argument for an unknown variant.
QueueVariant parse_queue_variant(const std::string& name);
QueueOptions queue_options(const std::string& variant, const KnobValues& knobs);
// The Redis key of queue `i` (a hash tag, so that a queue's keys share a cluster slot).
std::string queue_key(int i);
// How many of `clients` workers produce: at least one, and at least one left to consume.
int producer_count(const QueueOptions& o, int clients);

}  // namespace redproof::queue

#include "workloads/queue/queue_options.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace redproof::queue {

QueueVariant parse_queue_variant(const std::string& name) {
  if (name == "list-brpop") return QueueVariant::kListBrpop;
  if (name == "list-blmove") return QueueVariant::kListBlmove;
  if (name == "stream") return QueueVariant::kStream;
  throw std::invalid_argument("unknown queue variant " + name);
}

QueueOptions queue_options(const std::string& variant, const KnobValues& knobs) {
  QueueOptions o;
  o.variant = parse_queue_variant(variant);
  o.queues = static_cast<int>(knobs.count("queues"));
  o.producers = knobs.number("producers");
  o.think = knobs.milliseconds("think");
  o.work = knobs.milliseconds("work");
  o.block = knobs.milliseconds("block");
  o.visibility = knobs.milliseconds("visibility");
  if (o.producers <= 0 || o.producers >= 1) {
    throw std::invalid_argument(
        "--param producers: must be above 0 and below 1 (some workers produce, others consume)");
  }
  return o;
}

std::string queue_key(int i) {
  return fmt::format("queue:{{{}}}", i);
}

int producer_count(const QueueOptions& o, int clients) {
  const int p = static_cast<int>(std::lround(o.producers * clients));
  return std::clamp(p, 1, std::max(1, clients - 1));
}

}  // namespace redproof::queue

#include "faults/proxy/toxic_pipeline.hpp"

#include <algorithm>

#include "faults/proxy/slicer.hpp"

namespace redproof::proxy {

ToxicChange ToxicPipeline::set_toxics(Nanos now, const std::vector<Toxic>& toxics) {
  ToxicChange change;
  std::vector<Active> next;
  next.reserve(toxics.size());
  for (const Toxic& t : toxics) {
    auto same =
        std::find_if(active_.begin(), active_.end(), [&](const Active& a) { return a.toxic == t; });
    next.push_back(same != active_.end() ? *same : Active{t, now, 0});
  }
  for (const Active& old : active_) {
    bool kept = std::any_of(next.begin(), next.end(),
                            [&](const Active& a) { return a.toxic.name == old.toxic.name; });
    if (!kept && old.toxic.type == ToxicType::kTimeout) change.close_now = true;
  }
  active_ = std::move(next);

  const Active* bw = find(ToxicType::kBandwidth);
  if (!bw) {
    pacer_.reset();
  } else if (!pacer_ || pacer_->rate_kbps() != bw->toxic.rate_kbps) {
    pacer_.emplace(bw->toxic.rate_kbps);
  }
  bool delaying = std::any_of(active_.begin(), active_.end(),
                              [](const Active& a) { return a.toxic.delays_data(); });
  if (!delaying) {
    change.flush = true;
    order_ = LatencySchedule();  // bytes released at once from now on
  }
  if (!find(ToxicType::kLimitData)) limit_reached_ = false;
  return change;
}

const ToxicPipeline::Active* ToxicPipeline::find(ToxicType type) const {
  for (const Active& a : active_) {
    if (a.toxic.type == type) return &a;
  }
  return nullptr;
}

ChunkPlan ToxicPipeline::on_data(Nanos now, std::size_t size) {
  ChunkPlan plan;
  if (size == 0) return plan;
  if (reset_pending_ || limit_reached_) {
    plan.dropped = size;
    return plan;
  }
  if (const Active* reset = find(ToxicType::kResetPeer)) {
    reset_pending_ = true;
    plan.reset_at = now + reset->toxic.timeout;
    plan.dropped = size;
    return plan;
  }
  if (find(ToxicType::kTimeout)) {
    plan.dropped = size;
    return plan;
  }

  std::size_t forward = size;
  // Several limit_data toxics: the one with the fewest bytes left decides.
  Active* limit = nullptr;
  for (Active& a : active_) {
    if (a.toxic.type != ToxicType::kLimitData) continue;
    if (!limit || a.toxic.bytes - std::min(a.passed, a.toxic.bytes) <
                      limit->toxic.bytes - std::min(limit->passed, limit->toxic.bytes)) {
      limit = &a;
    }
  }
  if (limit) {
    std::uint64_t left = limit->toxic.bytes - std::min(limit->passed, limit->toxic.bytes);
    if (forward >= left) {
      forward = static_cast<std::size_t>(left);
      plan.close_after = true;
      limit_reached_ = true;
    }
    plan.dropped = size - forward;
  }
  for (Active& a : active_) {
    if (a.toxic.type == ToxicType::kLimitData) a.passed += forward;
  }
  if (forward == 0) return plan;

  // Slices: one piece per slice, or the whole chunk.
  std::vector<std::size_t> slices{forward};
  Nanos slice_delay{0};
  if (const Active* s = find(ToxicType::kSlicer)) {
    slices = slice_sizes(forward, s->toxic.average_size, s->toxic.size_variation, rng_);
    slice_delay = s->toxic.delay;
  }
  Nanos delay{0};
  for (const Active& a : active_) {
    if (a.toxic.type == ToxicType::kLatency) {
      delay += LatencySchedule::sample(a.toxic.latency, a.toxic.jitter, rng_);
    }
  }
  std::size_t offset = 0;
  for (std::size_t i = 0; i < slices.size(); ++i) {
    Nanos ready = now + delay + slice_delay * static_cast<std::int64_t>(i);
    if (pacer_) {
      for (const auto& p : pacer_->pace(ready, slices[i])) {
        plan.pieces.push_back({offset, p.size, order_.release(p.release_at, Nanos(0))});
        offset += p.size;
      }
    } else {
      plan.pieces.push_back({offset, slices[i], order_.release(ready, Nanos(0))});
      offset += slices[i];
    }
  }
  return plan;
}

std::optional<Nanos> ToxicPipeline::close_deadline() const {
  std::optional<Nanos> deadline;
  for (const Active& a : active_) {
    if (a.toxic.type != ToxicType::kTimeout || a.toxic.timeout.count() == 0) continue;
    Nanos at = a.since + a.toxic.timeout;
    if (!deadline || at < *deadline) deadline = at;
  }
  return deadline;
}

std::vector<Toxic> ToxicPipeline::toxics() const {
  std::vector<Toxic> out;
  for (const Active& a : active_) out.push_back(a.toxic);
  return out;
}

bool ToxicPipeline::swallowing() const {
  return reset_pending_ || find(ToxicType::kTimeout) || find(ToxicType::kResetPeer);
}

}  // namespace redproof::proxy

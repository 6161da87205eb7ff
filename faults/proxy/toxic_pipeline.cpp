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

void ToxicPipeline::on_data(Nanos now, std::size_t size, ChunkPlan& plan) {
  plan.pieces.clear();
  plan.dropped = 0;
  plan.close_after = false;
  plan.reset_at.reset();
  if (size == 0) return;
  if (reset_pending_ || limit_reached_) {
    plan.dropped = size;
    return;
  }
  if (const Active* reset = find(ToxicType::kResetPeer)) {
    reset_pending_ = true;
    plan.reset_at = now + reset->toxic.timeout;
    plan.dropped = size;
    return;
  }
  if (find(ToxicType::kTimeout)) {
    plan.dropped = size;
    return;
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
  if (forward == 0) return;

  Nanos delay{0};
  for (const Active& a : active_) {
    if (a.toxic.type == ToxicType::kLatency) {
      delay += LatencySchedule::sample(a.toxic.latency, a.toxic.jitter, rng_);
    }
  }
  std::size_t offset = 0;
  const Active* slicer = find(ToxicType::kSlicer);
  if (!slicer) {
    // The common case (no toxic, or latency only): one piece, and no scratch vector touched.
    add_slice(plan, offset, forward, now + delay);
    return;
  }
  slices_.clear();
  append_slice_sizes(forward, slicer->toxic.average_size, slicer->toxic.size_variation, rng_,
                     slices_);
  for (std::size_t i = 0; i < slices_.size(); ++i) {
    add_slice(plan, offset, slices_[i],
              now + delay + slicer->toxic.delay * static_cast<std::int64_t>(i));
  }
}

void ToxicPipeline::add_slice(ChunkPlan& plan, std::size_t& offset, std::size_t size, Nanos ready) {
  if (!pacer_) {
    plan.pieces.push_back({offset, size, order_.release(ready, Nanos(0))});
    offset += size;
    return;
  }
  paced_.clear();
  pacer_->pace(ready, size, paced_);
  for (const auto& p : paced_) {
    plan.pieces.push_back({offset, p.size, order_.release(p.release_at, Nanos(0))});
    offset += p.size;
  }
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

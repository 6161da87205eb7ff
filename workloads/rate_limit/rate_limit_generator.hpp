// The rate-limit workload's load: steady workers send requests on random identities at the
// arrival rate (above the limit, so the limiter must reject); boundary workers each own one
// identity and aim bursts at its window boundaries, where a fixed window admits up to 2x.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/random.hpp"
#include "workloads/generator.hpp"
#include "workloads/rate_limit/rate_limit_options.hpp"

namespace redproof::rate_limit {

// One identity's cycle: an opening request (it starts the window: INCR returns 1), quiet until
// just before that window ends, back-to-back requests across the boundary, a slower tail of
// requests through most of the next window (a restart or eviction there shows as a third
// window's worth), then quiet until that window has expired too, and again.
class BoundaryBurst : public Generator {
 public:
  BoundaryBurst(std::string key, std::int64_t window_ns);

  GeneratorStep next(std::int64_t now_ns) override;
  void update(const Op& completion) override;
  // The window lives on the server, not in the process: a replaced process (after an `info`,
  // say during a restart) carries on with the cycle, so that the tail still sees what follows.

 private:
  enum class Phase { kOpen, kOpening, kCycle };
  GeneratorStep request() const { return GeneratorStep::operation("request", key_); }

  std::string key_;
  std::int64_t window_ns_, edge_ns_, tail_gap_ns_;
  Phase phase_ = Phase::kOpen;
  std::int64_t opened_ns_ = 0;
  bool tail_waited_ = false;
};

// Identity keys: "rl:{i}" for the steady ones, "rl:{b<w>}" for worker w's boundary identity.
std::string steady_key(int identity);
std::string boundary_key(int worker);

// How many of `clients` workers aim at boundaries (the first ones).
int boundary_workers(const Settings& s, int clients);

std::unique_ptr<Generator> make_generator(const Settings& s, int clients, int worker, Random rng,
                                          std::int64_t end_ns);

}  // namespace redproof::rate_limit

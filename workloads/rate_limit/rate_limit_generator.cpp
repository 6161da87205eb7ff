#include "workloads/rate_limit/rate_limit_generator.hpp"

#include <fmt/format.h>

#include <cmath>

#include "workloads/generators/mix.hpp"
#include "workloads/generators/time_limit.hpp"

namespace redproof::rate_limit {

BoundaryBurst::BoundaryBurst(std::string key, std::int64_t window_ns)
    : key_(std::move(key)),
      window_ns_(window_ns),
      edge_ns_(window_ns / 50),
      tail_gap_ns_(std::max<std::int64_t>(window_ns / 200, 1'000'000)) {}

GeneratorStep BoundaryBurst::next(std::int64_t now) {
  if (phase_ == Phase::kOpen || phase_ == Phase::kOpening) {
    phase_ = Phase::kOpening;
    return request();
  }
  const std::int64_t boundary = opened_ns_ + window_ns_;
  if (now < boundary - edge_ns_) return GeneratorStep::wait(boundary - edge_ns_ - now);
  if (now < boundary + edge_ns_) return request();  // back-to-back across the boundary
  if (now < boundary + window_ns_ - 5 * edge_ns_) {
    tail_waited_ = !tail_waited_;
    return tail_waited_ ? GeneratorStep::wait(tail_gap_ns_) : request();
  }
  // Quiet until the window the burst opened has expired, then open a fresh one.
  const std::int64_t quiet_end = boundary + window_ns_ + edge_ns_ + window_ns_ / 20;
  if (now < quiet_end) return GeneratorStep::wait(quiet_end - now);
  phase_ = Phase::kOpening;
  return request();
}

void BoundaryBurst::update(const Op& completion) {
  if (phase_ != Phase::kOpening) return;
  opened_ns_ = completion.time;  // the window's TTL was set before this reply
  phase_ = Phase::kCycle;
}

std::string steady_key(int identity) {
  return fmt::format("rl:{{{}}}", identity);
}
std::string boundary_key(int worker) {
  return fmt::format("rl:{{b{}}}", worker);
}

int boundary_workers(const Settings& s, int clients) {
  return static_cast<int>(std::lround(s.burst * clients));
}

std::unique_ptr<Generator> make_generator(const Settings& s, int clients, int worker, Random rng,
                                          std::int64_t end_ns) {
  const std::int64_t window_ns = s.window.count() * 1'000'000;
  const int bursting = boundary_workers(s, clients);
  if (worker < bursting) {
    // A seeded phase, so that the identities' boundaries do not line up.
    return std::make_unique<gen::TimeLimit>(
        end_ns,
        std::make_unique<gen::Stagger>(
            rng, window_ns, std::make_unique<BoundaryBurst>(boundary_key(worker), window_ns)));
  }
  const int steady = std::max(1, clients - bursting);
  // Each steady worker's share of identities x arrival, as a mean gap between its requests.
  const auto gap_ns = static_cast<std::int64_t>(1e9 * steady / (s.identities * s.arrival));
  const int identities = s.identities;
  auto requests = std::make_unique<gen::Mix>(
      rng.fork("identity"),
      std::vector<gen::Weighted>{{1, [identities](Random& r) {
                                    return GeneratorStep::operation(
                                        "request",
                                        steady_key(static_cast<int>(r.uniform(0, identities - 1))));
                                  }}});
  return std::make_unique<gen::TimeLimit>(
      end_ns,
      std::make_unique<gen::Stagger>(
          rng, gap_ns,
          std::make_unique<gen::ThinkTime>(rng.fork("think"), 0, 2 * gap_ns, std::move(requests))));
}

}  // namespace redproof::rate_limit

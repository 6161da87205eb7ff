#include "workloads/register/register_generator.hpp"

#include <fmt/format.h>

namespace redproof::reg {

GeneratorStep RegisterGenerator::next(std::int64_t now_ns) {
  if (now_ns >= end_ns_) return GeneratorStep::done();
  if (think_pending_) {
    think_pending_ = false;
    return GeneratorStep::wait(std::chrono::nanoseconds(options_.think).count());
  }
  const std::int64_t period = std::chrono::nanoseconds(options_.key_period).count();
  std::string key = fmt::format("reg:{}:{}", now_ns / period, rng_.uniform(0, options_.keys - 1));
  const std::int64_t v = rng_.uniform(0, options_.values - 1);
  const double roll = rng_.uniform01();
  if (options_.variant == RegisterVariant::kLuaCas && roll < 0.25) {
    const std::int64_t expected = rng_.uniform(0, options_.values - 1);
    return GeneratorStep::operation("cas", std::move(key), fmt::format("[{},{}]", expected, v));
  }
  if (roll < 0.6) return GeneratorStep::operation("read", std::move(key));
  return GeneratorStep::operation("write", std::move(key), std::to_string(v));
}

FinalReadGenerator::FinalReadGenerator(const RegisterOptions& options, std::int64_t load_end_ns) {
  const std::int64_t period = std::chrono::nanoseconds(options.key_period).count();
  const std::int64_t last = std::max<std::int64_t>(load_end_ns - 1, 0) / period;
  for (std::int64_t p = std::max<std::int64_t>(last - 1, 0); p <= last; ++p) {
    for (int k = 0; k < options.keys; ++k) keys_.push_back(fmt::format("reg:{}:{}", p, k));
  }
}

GeneratorStep FinalReadGenerator::next(std::int64_t) {
  if (next_ >= keys_.size()) return GeneratorStep::done();
  return GeneratorStep::operation("read", keys_[next_++]);
}

}  // namespace redproof::reg

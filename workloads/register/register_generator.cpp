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

}  // namespace redproof::reg

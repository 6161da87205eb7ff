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
  const std::int64_t v = next_value();
  const double roll = rng_.uniform01();
  if (options_.variant == RegisterVariant::kLuaCas && roll < 0.25) {
    std::string expected;
    if (options_.values > 0) {
      expected = std::to_string(rng_.uniform(0, options_.values - 1));
    } else {
      auto seen = last_seen_.find(key);
      expected = seen == last_seen_.end() ? std::string("0") : seen->second;
    }
    return GeneratorStep::operation("cas", std::move(key), fmt::format("[{},{}]", expected, v));
  }
  if (roll < 0.6) return GeneratorStep::operation("read", std::move(key));
  return GeneratorStep::operation("write", std::move(key), std::to_string(v));
}

std::int64_t RegisterGenerator::next_value() {
  if (options_.values > 0) return rng_.uniform(0, options_.values - 1);
  // Unique over the run: the worker in the high digits, a count in the low ones.
  return static_cast<std::int64_t>(worker_ + 1) * 1'000'000'000 + ++written_;
}

void RegisterGenerator::update(const Op& completion) {
  think_pending_ = options_.think.count() > 0;
  if (completion.type != OpType::kOk || !completion.key) return;
  if (completion.f == "read" && completion.value != "null")
    last_seen_[*completion.key] = completion.value;
  if (completion.f == "write") last_seen_[*completion.key] = completion.value;
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

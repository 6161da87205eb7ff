#include "workloads/cache/cache_generator.hpp"

#include <fmt/format.h>

#include <optional>

#include "workloads/generators/mix.hpp"
#include "workloads/generators/phases.hpp"
#include "workloads/generators/sequence.hpp"
#include "workloads/generators/time_limit.hpp"

namespace redproof::cache {

namespace {

constexpr std::int64_t kMs = 1000000;

std::unique_ptr<Generator> mixed_load(const CacheGenerators& g, Random rng, std::int64_t end_ns) {
  auto zipf = g.zipf;
  auto versions = g.versions;
  std::vector<gen::Weighted> choices = {
      {1.0 - g.options.write_ratio,
       [zipf](Random& r) { return GeneratorStep::operation("read", item_key(zipf->draw(r))); }},
  };
  if (g.options.write_ratio > 0) {
    choices.push_back({g.options.write_ratio, [zipf, versions](Random& r) {
                         const std::int64_t item = zipf->draw(r);
                         return GeneratorStep::operation(
                             "write", item_key(item),
                             fmt::format("{{\"version\":{}}}", versions->allocate(item)));
                       }});
  }
  auto mix = std::make_unique<gen::Mix>(rng.fork("mix"), std::move(choices));
  auto think = std::make_unique<gen::ThinkTime>(rng.fork("think"), 0, g.options.think.count() * kMs,
                                                std::move(mix));
  return std::make_unique<gen::TimeLimit>(end_ns, std::move(think));
}

}  // namespace

std::string init_value(std::int64_t items) {
  std::string out = "{";
  for (std::int64_t i = 0; i < items; ++i) {
    if (i) out += ',';
    out += fmt::format("\"{}\":0", item_key(i));
  }
  return out + "}";
}

std::unique_ptr<Generator> CacheGenerators::load(int worker, Random rng,
                                                 std::int64_t end_ns) const {
  if (is_flusher(worker)) {
    return std::make_unique<gen::TimeLimit>(
        end_ns,
        std::make_unique<FlusherGenerator>(flushes, options.flush_interval.count() * kMs, false));
  }
  if (worker != 0) {
    return std::make_unique<gen::Stagger>(rng.fork("stagger"), 50 * kMs,
                                          mixed_load(*this, rng, end_ns));
  }
  std::vector<std::unique_ptr<Generator>> phases;
  phases.push_back(std::make_unique<gen::Sequence>(std::vector<GeneratorStep>{
      GeneratorStep::operation("init", std::nullopt, init_value(options.items))}));
  phases.push_back(mixed_load(*this, rng, end_ns));
  return std::make_unique<gen::Phases>(std::move(phases));
}

// One final reader: the flusher's leftovers first (write-behind), then the rows.
std::unique_ptr<Generator> CacheGenerators::final_reads(int worker) const {
  if (worker != 0) return nullptr;
  std::vector<std::unique_ptr<Generator>> phases;
  if (options.variant == CacheVariant::kWriteBehind) {
    phases.push_back(std::make_unique<FlusherGenerator>(flushes, 0, true));
  }
  phases.push_back(std::make_unique<DbReadGenerator>(versions));
  return std::make_unique<gen::Phases>(std::move(phases));
}

GeneratorStep FlusherGenerator::next(std::int64_t) {
  auto flush_one = [this]() -> std::optional<GeneratorStep> {
    auto item = queue_->pop();
    if (!item) return std::nullopt;
    return GeneratorStep::operation("flush", item->key,
                                    fmt::format("{{\"version\":{}}}", item->version));
  };
  if (drain_) {
    auto step = flush_one();
    return step ? *step : GeneratorStep::done();
  }
  if (batch_left_ == 0) {
    // Between batches: sleep the interval, then take what the list holds at that moment.
    if (!slept_) {
      slept_ = true;
      return GeneratorStep::wait(interval_ns_);
    }
    slept_ = false;
    batch_left_ = queue_->size();
  }
  auto step = flush_one();
  if (!step) {
    batch_left_ = 0;
    slept_ = true;
    return GeneratorStep::wait(interval_ns_);
  }
  --batch_left_;
  return *step;
}

GeneratorStep DbReadGenerator::next(std::int64_t) {
  while (next_item_ < versions_->items() && !versions_->written(next_item_)) ++next_item_;
  if (next_item_ >= versions_->items()) return GeneratorStep::done();
  return GeneratorStep::operation("db-read", item_key(next_item_++));
}

}  // namespace redproof::cache

// Seeding before the load (../shared/spec/patterns.md): worker 0 issues one `init` operation
// first, and every worker's load waits until that init has completed, so that the history holds
// init before any other client operation. The gate opens on any completion of init (even an
// `info`), so that a failed seed never stalls the run; the checkers then judge what they can.
// Used by the inventory and transfer workloads, with seed_value() for the init's value.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/json_text.hpp"

#include "workloads/generator.hpp"

namespace redproof::gen {

// An init's value that sets every key to the same number: {"item:{0}": 50, "item:{1}": 50}.
inline std::string seed_value(const std::vector<std::string>& keys, std::int64_t value) {
  std::string v = "{";
  for (const auto& key : keys) {
    if (v.size() > 1) v += ',';
    v += json_text::quote(key) + ':' + std::to_string(value);
  }
  return v + '}';
}

class AfterInit : public Generator {
 public:
  // `init`: the seeding operation for worker 0, nullopt for the others.
  AfterInit(std::shared_ptr<std::atomic<bool>> seeded, std::optional<GeneratorStep> init,
            std::unique_ptr<Generator> load)
      : seeded_(std::move(seeded)), init_(std::move(init)), load_(std::move(load)) {}

  GeneratorStep next(std::int64_t now_ns) override {
    if (init_) return std::exchange(init_, std::nullopt).value();
    if (!seeded_->load()) return GeneratorStep::wait(1'000'000);  // 1 ms, then look again
    return load_->next(now_ns);
  }
  void update(const Op& c) override {
    if (c.f == "init") {
      seeded_->store(true);
      return;
    }
    load_->update(c);
  }
  void process_replaced() override { load_->process_replaced(); }

 private:
  std::shared_ptr<std::atomic<bool>> seeded_;
  std::optional<GeneratorStep> init_;
  std::unique_ptr<Generator> load_;
};

}  // namespace redproof::gen

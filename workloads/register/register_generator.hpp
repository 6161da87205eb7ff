// Random reads, writes and (with lua-cas) compare-and-sets over a few keys that are replaced by
// fresh ones every key period. Pure: time comes from the caller.
#pragma once

#include <string>
#include <vector>

#include <cstdint>

#include "core/random.hpp"
#include "workloads/generator.hpp"
#include "workloads/register/register_options.hpp"

namespace redproof::reg {

class RegisterGenerator : public Generator {
 public:
  RegisterGenerator(const RegisterOptions& options, Random rng, std::int64_t end_ns)
      : options_(options), rng_(rng), end_ns_(end_ns) {}

  GeneratorStep next(std::int64_t now_ns) override;
  void update(const Op&) override { think_pending_ = options_.think.count() > 0; }

 private:
  RegisterOptions options_;
  Random rng_;
  std::int64_t end_ns_;
  bool think_pending_ = false;
};

// The final reads: every register of the load's last two key periods, once, in order.
class FinalReadGenerator : public Generator {
 public:
  FinalReadGenerator(const RegisterOptions& options, std::int64_t load_end_ns);
  GeneratorStep next(std::int64_t now_ns) override;
  void update(const Op&) override {}

 private:
  std::vector<std::string> keys_;
  std::size_t next_ = 0;
};

}  // namespace redproof::reg

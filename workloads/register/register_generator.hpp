// Random reads, writes and (with lua-cas) compare-and-sets over a few keys that are replaced by
// fresh ones every key period. Pure: time comes from the caller.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <cstdint>

#include "core/random.hpp"
#include "workloads/generator.hpp"
#include "workloads/register/register_options.hpp"

namespace redproof::reg {

class RegisterGenerator : public Generator {
 public:
  // `worker` numbers this generator's writes apart from every other worker's.
  RegisterGenerator(const RegisterOptions& options, Random rng, std::int64_t end_ns, int worker = 0)
      : options_(options), rng_(rng), end_ns_(end_ns), worker_(worker) {}

  GeneratorStep next(std::int64_t now_ns) override;
  void update(const Op& completion) override;

 private:
  // The next value to write: unique over the run unless the values knob asks for a small set
  // (unique values let the checker drop unknown writes nobody observed).
  std::int64_t next_value();

  RegisterOptions options_;
  Random rng_;
  std::int64_t end_ns_;
  int worker_;
  std::int64_t written_ = 0;
  bool think_pending_ = false;
  // What this worker last saw in each key (a cas expects it, as a real compare-and-set does).
  std::map<std::string, std::string> last_seen_;
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

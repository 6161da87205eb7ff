// The Generator seam: a pure, seeded source of operations for one worker. It is told the time
// and each completion, and answers with the next operation, a wait, or the end. No I/O and no
// clock of its own, so it is tested with simulated time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/op.hpp"

namespace redproof {

struct GeneratorStep {
  enum class Kind { kOp, kWait, kDone };
  Kind kind = Kind::kDone;
  Op op;                     // kOp: f, key and value of the invoke to issue
  std::int64_t wait_ns = 0;  // kWait: sleep this long, then ask again

  static GeneratorStep operation(std::string f, std::optional<std::string> key,
                                 std::string value = "null") {
    GeneratorStep s;
    s.kind = Kind::kOp;
    s.op.f = std::move(f);
    s.op.key = std::move(key);
    s.op.value = std::move(value);
    return s;
  }
  static GeneratorStep wait(std::int64_t ns) {
    GeneratorStep s;
    s.kind = Kind::kWait;
    s.wait_ns = ns;
    return s;
  }
  static GeneratorStep done() { return {}; }
};

class Generator {
 public:
  virtual ~Generator() = default;
  // `now_ns`: time since the run started.
  virtual GeneratorStep next(std::int64_t now_ns) = 0;
  // The completion of the operation `next` last returned.
  virtual void update(const Op& completion) = 0;
  // The worker's process changed after an `info`: whatever the old process held is gone.
  virtual void process_replaced() {}
};

}  // namespace redproof

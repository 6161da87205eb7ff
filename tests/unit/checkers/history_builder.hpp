// Hand-made histories for checker tests: each call appends one event with the next index.
#pragma once

#include <string>
#include <vector>

#include "core/op.hpp"

namespace redproof::testing_history {

class Builder {
 public:
  Builder& add(std::int64_t time, std::int64_t process, OpType type, std::string f, std::string key,
               std::string value = "null") {
    Op o;
    o.index = static_cast<std::int64_t>(ops_.size());
    o.time = time;
    o.process = process;
    o.type = type;
    o.f = std::move(f);
    o.key = std::move(key);
    o.value = std::move(value);
    ops_.push_back(std::move(o));
    return *this;
  }
  std::int64_t next_index() const { return static_cast<std::int64_t>(ops_.size()); }
  const std::vector<Op>& ops() const { return ops_; }

 private:
  std::vector<Op> ops_;
};

constexpr OpType kInv = OpType::kInvoke;
constexpr OpType kOk = OpType::kOk;
constexpr OpType kFail = OpType::kFail;
constexpr OpType kInfo = OpType::kInfo;

}  // namespace redproof::testing_history

// Walks a history's client operations as history.md pairs them (one operation in flight per
// process): `on_invoke(invoke)` at each invoke, `on_done(invoke, completion)` at each completion,
// then `on_done(invoke, nullptr)` for every invoke that never completed, in invoke order. Shared by
// the checkers that judge whole operations rather than events.
#pragma once

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "core/op.hpp"

namespace redproof {

template <typename OnInvoke, typename OnDone>
void walk_operations(const std::vector<Op>& history, OnInvoke on_invoke, OnDone on_done) {
  std::unordered_map<std::int64_t, const Op*> in_flight;
  for (const Op& op : history) {
    if (op.is_nemesis()) continue;
    if (op.is_invoke()) {
      in_flight[op.process] = &op;
      on_invoke(op);
      continue;
    }
    auto it = in_flight.find(op.process);
    if (it == in_flight.end()) continue;
    const Op& invoke = *it->second;
    in_flight.erase(it);
    on_done(invoke, &op);
  }
  std::vector<const Op*> open;
  for (const auto& [process, invoke] : in_flight) open.push_back(invoke);
  std::sort(open.begin(), open.end(), [](const Op* a, const Op* b) { return a->index < b->index; });
  for (const Op* invoke : open) on_done(*invoke, nullptr);
}

}  // namespace redproof

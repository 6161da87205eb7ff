#include "checkers/unobservable_operations.hpp"

#include "checkers/operation_walk.hpp"

#include <map>
#include <set>
#include <unordered_map>

#include <nlohmann/json.hpp>

namespace redproof {

namespace {

struct Pair {
  const Op* invoke = nullptr;
  const Op* completion = nullptr;  // null: never completed
};

// Each client invoke with its completion (history.md: one operation in flight per process).
std::vector<Pair> pair_operations(const std::vector<Op>& history) {
  std::vector<Pair> pairs;
  walk_operations(
      history, [](const Op&) {},
      [&](const Op& invoke, const Op* completion) {
        pairs.push_back({&invoke, completion});
      });
  return pairs;
}

bool unknown(const Pair& p) {
  return !p.completion || p.completion->type == OpType::kInfo;
}

// The value a write or cas would leave in the register, as JSON text per key.
std::string written_value(const Op& invoke) {
  if (invoke.f == "write") return nlohmann::json::parse(invoke.value, nullptr, false).dump();
  auto pair = nlohmann::json::parse(invoke.value, nullptr, false);
  return pair.is_array() && pair.size() == 2 ? pair[1].dump() : std::string();
}

// The values observed per key: returned by an ok read, or expected by an ok or unknown cas.
std::map<std::string, std::set<std::string>> observed_values(const std::vector<Pair>& pairs) {
  std::map<std::string, std::set<std::string>> seen;
  for (const Pair& p : pairs) {
    const std::string key = p.invoke->key.value_or("");
    if (p.invoke->f == "read" && p.completion && p.completion->type == OpType::kOk) {
      seen[key].insert(nlohmann::json::parse(p.completion->value, nullptr, false).dump());
    }
    if (p.invoke->f == "cas" && (!p.completion || p.completion->type != OpType::kFail)) {
      auto pair = nlohmann::json::parse(p.invoke->value, nullptr, false);
      if (pair.is_array() && pair.size() == 2) seen[key].insert(pair[0].dump());
    }
  }
  return seen;
}

// Whether no two writes (or cas) of one key write the same value.
bool values_unique(const std::vector<Pair>& pairs) {
  std::map<std::string, std::set<std::string>> written;
  for (const Pair& p : pairs) {
    if (p.invoke->f != "write" && p.invoke->f != "cas") continue;
    if (!written[p.invoke->key.value_or("")].insert(written_value(*p.invoke)).second) return false;
  }
  return true;
}

}  // namespace

UnobservableDrop drop_unobservable_operations(const std::vector<Op>& history,
                                              const std::string& model) {
  UnobservableDrop out;
  if (model != "register" && model != "cas-register") {
    out.history = history;
    return out;
  }
  const std::vector<Pair> pairs = pair_operations(history);
  const bool unique = values_unique(pairs);
  const auto seen = unique ? observed_values(pairs) : decltype(observed_values(pairs)){};
  std::set<std::int64_t> dropped;  // event indexes
  for (const Pair& p : pairs) {
    if (!unknown(p)) continue;
    bool drop = false;
    if (p.invoke->f == "read") {
      drop = true;
      ++out.reads;
    } else if (unique && (p.invoke->f == "write" || p.invoke->f == "cas")) {
      auto it = seen.find(p.invoke->key.value_or(""));
      drop = it == seen.end() || !it->second.count(written_value(*p.invoke));
      out.writes += drop;
    }
    if (!drop) continue;
    dropped.insert(p.invoke->index);
    if (p.completion) dropped.insert(p.completion->index);
  }
  out.history.reserve(history.size() - dropped.size());
  for (const Op& op : history) {
    if (!dropped.count(op.index)) out.history.push_back(op);
  }
  return out;
}

}  // namespace redproof

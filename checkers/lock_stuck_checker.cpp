#include "checkers/lock_stuck_checker.hpp"

#include <fmt/format.h>

#include <map>

#include "checkers/anomaly_collector.hpp"

namespace redproof {

namespace {

struct LastAcquire {
  std::int64_t ok_ns = 0;  // the last acquire that succeeded on the key
  bool any = false;
};

std::string owner_of(const nlohmann::json& v) {
  if (v.is_object() && v.contains("owner") && v["owner"].is_string()) return v["owner"];
  return {};
}

// The invoke of the acquire that tried to take `key` for `owner` (its outcome may be unknown:
// the process that crashed between SETNX and EXPIRE never heard back).
const Op* acquire_of(const std::vector<Op>& history, const std::string& key,
                     const std::string& owner) {
  for (const Op& op : history) {
    if (op.is_invoke() && op.f == "acquire" && op.key == key &&
        owner_of(nlohmann::json::parse(op.value, nullptr, false)) == owner) {
      return &op;
    }
  }
  return nullptr;
}

}  // namespace

CheckResult LockStuckChecker::check(const std::vector<Op>& history) {
  std::map<std::string, LastAcquire> last;
  AnomalyCollector anomalies(history);
  std::int64_t inspected = 0;
  for (const Op& op : history) {
    if (op.is_nemesis() || op.type != OpType::kOk || !op.key) continue;
    if (op.f == "acquire") last[*op.key] = {op.time, true};
    if (op.f != "inspect") continue;
    ++inspected;
    const auto v = nlohmann::json::parse(op.value, nullptr, false);
    const std::string owner = owner_of(v);
    if (owner.empty() || !v.contains("pttl_ms") || v["pttl_ms"] != -1) continue;
    const LastAcquire& l = last[*op.key];
    Anomaly a;
    a.name = "lock-stuck";
    a.key = *op.key;
    const Op* acquire = acquire_of(history, *op.key, owner);
    if (acquire) a.ops.push_back(acquire->index);
    a.ops.push_back(op.index);
    a.from_ns = acquire ? acquire->time : 0;
    a.to_ns = op.time;
    const std::int64_t since = l.any ? l.ok_ns : 0;
    a.magnitude = {{"owner", owner}, {"no_acquisition_ms", (op.time - since) / 1000000}};
    a.sentence = fmt::format(
        "lock {} is held by {} with no expiry, so no one can ever acquire it again; no "
        "acquisition succeeded in the last {:.1f} s of the run",
        *op.key, owner, (op.time - since) / 1e9);
    anomalies.add(std::move(a));
  }
  CheckResult r;
  r.details["inspected"] = inspected;
  anomalies.store_into(r);
  return r;
}

}  // namespace redproof

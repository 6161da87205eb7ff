#include "checkers/inventory_checker.hpp"

#include "checkers/operation_walk.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <unordered_map>

#include "checkers/anomaly_collector.hpp"

namespace redproof {

namespace {

constexpr std::int64_t kNever = INT64_MAX;  // completion time of an operation that never ended

std::optional<std::int64_t> integer_of(const std::string& text) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

struct Buy {
  std::int64_t invoke_ns = 0, complete_ns = kNever, quantity = 0, index = 0;
};

struct Read {
  std::int64_t invoke_ns = 0, complete_ns = 0, index = 0;
  std::optional<std::int64_t> value;  // nullopt: the key was gone
};

struct Item {
  bool seeded = false;  // named by init: its stock is known
  std::int64_t stock = 0;
  std::vector<Buy> sold;     // ok true
  std::vector<Buy> unknown;  // info or never completed
  std::int64_t sold_out = 0;
  std::vector<Read> reads;
};

// Running sums of quantities over buys sorted by one of their times, for "how many units by t".
class Cumulative {
 public:
  Cumulative(std::vector<std::pair<std::int64_t, std::int64_t>> at_quantity)
      : points_(std::move(at_quantity)) {
    std::sort(points_.begin(), points_.end());
    std::int64_t sum = 0;
    for (auto& [t, q] : points_) q = sum += q;
  }
  // Units of the points strictly before `t`.
  std::int64_t before(std::int64_t t) const {
    auto it = std::lower_bound(points_.begin(), points_.end(), std::make_pair(t, INT64_MIN));
    return it == points_.begin() ? 0 : std::prev(it)->second;
  }

 private:
  std::vector<std::pair<std::int64_t, std::int64_t>> points_;
};

struct Parsed {
  std::unordered_map<std::string, Item> items;
  bool init_ok = false;
  std::int64_t init_index = -1;
};

void add_init(const Op& invoke, Parsed& out) {
  auto stock = nlohmann::json::parse(invoke.value, nullptr, false);
  if (!stock.is_object()) return;
  out.init_index = invoke.index;
  for (const auto& [key, n] : stock.items()) {
    if (!n.is_number_integer()) continue;
    Item& item = out.items[key];
    item.seeded = true;
    item.stock = n.get<std::int64_t>();
  }
}

void add_completion(const Op& invoke, const Op* done, Parsed& out) {
  if (invoke.f == "init") {
    out.init_ok = done && done->type == OpType::kOk;
    return;
  }
  if (!invoke.key) return;
  if (invoke.f == "buy") {
    auto q = integer_of(invoke.value);
    if (!q || (done && done->type == OpType::kFail)) return;
    Item& item = out.items[*invoke.key];
    Buy b{invoke.time, done ? done->time : kNever, *q, done ? done->index : invoke.index};
    if (!done || done->type == OpType::kInfo) {
      item.unknown.push_back(b);
    } else if (done->value == "true") {
      item.sold.push_back(b);
    } else {
      ++item.sold_out;
    }
  } else if (invoke.f == "read" && done && done->type == OpType::kOk) {
    out.items[*invoke.key].reads.push_back(
        {invoke.time, done->time, done->index, integer_of(done->value)});
  }
}

Parsed parse(const std::vector<Op>& history) {
  Parsed out;
  walk_operations(
      history,
      [&](const Op& invoke) {
        if (invoke.f == "init") add_init(invoke, out);
      },
      [&](const Op& invoke, const Op* done) { add_completion(invoke, done, out); });
  return out;
}

std::int64_t units(const std::vector<Buy>& buys) {
  std::int64_t n = 0;
  for (const Buy& b : buys) n += b.quantity;
  return n;
}

void check_oversold(const std::string& key, const Item& item, AnomalyCollector& out) {
  const std::int64_t sold = units(item.sold);
  if (sold <= item.stock) return;
  // The sale that went over, in order of completion: by then more than the stock was sold.
  std::vector<const Buy*> by_done;
  for (const Buy& b : item.sold) by_done.push_back(&b);
  std::sort(by_done.begin(), by_done.end(),
            [](const Buy* a, const Buy* b) { return a->complete_ns < b->complete_ns; });
  std::int64_t running = 0;
  const Buy* over = by_done.back();
  for (const Buy* b : by_done) {
    if ((running += b->quantity) > item.stock) {
      over = b;
      break;
    }
  }
  Anomaly a;
  a.name = "oversell";
  a.key = key;
  a.ops = {over->index};
  a.from_ns = over->invoke_ns;
  a.to_ns = over->complete_ns;
  a.magnitude = {{"stock", item.stock}, {"sold", sold}, {"oversold", sold - item.stock}};
  a.sentence = fmt::format("{} units of {} were sold (acknowledged) but its stock was {}", sold,
                           key, item.stock);
  out.add(std::move(a));
}

Anomaly read_anomaly(const char* name, const std::string& key, const Read& r) {
  Anomaly a;
  a.name = name;
  a.key = key;
  a.ops = {r.index};
  a.from_ns = r.invoke_ns;
  a.to_ns = r.complete_ns;
  return a;
}

void check_reads(const std::string& key, const Item& item, AnomalyCollector& out) {
  std::vector<std::pair<std::int64_t, std::int64_t>> done, begun;
  for (const Buy& b : item.sold) {
    done.emplace_back(b.complete_ns, b.quantity);
    begun.emplace_back(b.invoke_ns, b.quantity);
  }
  for (const Buy& b : item.unknown) begun.emplace_back(b.invoke_ns, b.quantity);
  const Cumulative sold_before(std::move(done)), maybe_before(std::move(begun));
  for (const Read& r : item.reads) {
    if (!r.value) continue;
    const std::int64_t v = *r.value;
    if (v < 0) {
      Anomaly a = read_anomaly("oversell", key, r);
      a.magnitude = {{"read", v}, {"oversold", -v}};
      a.sentence =
          fmt::format("{} was read at {}: {} units more than it had were sold", key, v, -v);
      out.add(std::move(a));
    }
    const std::int64_t high = item.stock - sold_before.before(r.invoke_ns);
    const std::int64_t low = item.stock - maybe_before.before(r.complete_ns + 1);
    if (v > high) {
      Anomaly a = read_anomaly("lost-purchase", key, r);
      a.magnitude = {{"read", v}, {"at_most", high}, {"undone", v - high}};
      a.sentence = fmt::format(
          "{} was read at {}, but acknowledged sales leave at most {}: {} sold units were undone",
          key, v, high, v - high);
      out.add(std::move(a));
    } else if (v < low) {
      Anomaly a = read_anomaly("double-decrement", key, r);
      a.magnitude = {{"read", v}, {"at_least", low}, {"missing", low - v}};
      a.sentence = fmt::format(
          "{} was read at {}, below the {} that every sale that could have happened leaves", key, v,
          low);
      out.add(std::move(a));
    }
  }
}

}  // namespace

CheckResult InventoryChecker::check(const std::vector<Op>& history) {
  const Parsed p = parse(history);
  AnomalyCollector anomalies(history);
  CheckResult result;
  nlohmann::json items = nlohmann::json::object();
  std::int64_t sold = 0, unknown = 0, reads = 0;
  std::vector<const std::string*> keys;
  for (const auto& [key, item] : p.items) keys.push_back(&key);
  std::sort(keys.begin(), keys.end(), [](auto* a, auto* b) { return *a < *b; });
  for (const std::string* key : keys) {
    const Item& item = p.items.at(*key);
    if (p.init_ok && item.seeded) {
      check_oversold(*key, item, anomalies);
      check_reads(*key, item, anomalies);
    }
    sold += units(item.sold);
    unknown += units(item.unknown);
    reads += static_cast<std::int64_t>(item.reads.size());
    if (items.size() >= 100) continue;
    nlohmann::json last = nullptr;
    if (!item.reads.empty() && item.reads.back().value) last = *item.reads.back().value;
    items[*key] = {{"stock", item.stock},
                   {"sold", units(item.sold)},
                   {"unknown", units(item.unknown)},
                   {"sold_out", item.sold_out},
                   {"final", last}};
  }
  result.details["items"] = std::move(items);
  result.details["sold"] = sold;
  result.details["unknown"] = unknown;
  result.details["reads"] = reads;
  if (!p.init_ok) result.details["reason"] = "no init operation completed ok: the stock is unknown";
  anomalies.store_into(result, p.init_ok);
  return result;
}

}  // namespace redproof

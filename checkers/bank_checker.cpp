#include "checkers/bank_checker.hpp"

#include "checkers/operation_walk.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "checkers/anomaly_collector.hpp"

namespace redproof {

namespace {

constexpr std::int64_t kNever = INT64_MAX;

// Calls on_field(key, value text) for each field of a flat JSON object whose keys hold no
// escapes (what the workload writes). False when the text is not such an object; the caller then
// falls back to a full JSON parser.
template <typename F>
bool scan_flat(std::string_view s, F&& on_field) {
  std::size_t i = 0;
  auto skip = [&] {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t')) ++i;
  };
  skip();
  if (i >= s.size() || s[i++] != '{') return false;
  skip();
  if (i < s.size() && s[i] == '}') return true;
  while (i < s.size()) {
    if (s[i++] != '"') return false;
    const std::size_t k = i;
    while (i < s.size() && s[i] != '"')
      if (s[i++] == '\\') return false;
    if (i >= s.size()) return false;
    const std::string_view key = s.substr(k, i++ - k);
    skip();
    if (i >= s.size() || s[i++] != ':') return false;
    skip();
    const std::size_t v = i;
    if (i < s.size() && s[i] == '"') {
      ++i;
      while (i < s.size() && s[i] != '"')
        if (s[i++] == '\\') return false;
      ++i;
    } else {
      while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ' ') ++i;
    }
    if (i > s.size()) return false;
    on_field(key, s.substr(v, i - v));
    skip();
    if (i >= s.size()) return false;
    if (s[i] == '}') return true;
    if (s[i++] != ',') return false;
    skip();
  }
  return false;
}

std::optional<std::int64_t> integer_of(std::string_view t) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || end != t.data() + t.size()) return std::nullopt;
  return v;
}

std::string_view unquote(std::string_view t) {
  return t.size() >= 2 && t.front() == '"' ? t.substr(1, t.size() - 2) : std::string_view{};
}

// Flat fields of `text`, through the fast scanner or, failing that, nlohmann (values re-dumped).
std::vector<std::pair<std::string, std::string>> fields_of(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  if (scan_flat(text, [&](std::string_view k, std::string_view v) { out.emplace_back(k, v); }))
    return out;
  out.clear();
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return out;
  for (const auto& [k, v] : j.items()) out.emplace_back(k, v.dump());
  return out;
}

struct Transfer {
  int from = -1, to = -1;
  std::int64_t amount = 0, invoke_ns = 0, complete_ns = kNever;
  bool ok = false;  // acknowledged; otherwise unknown
};

struct Read {
  std::int64_t invoke_ns = 0, complete_ns = 0, index = 0;
  std::vector<std::int64_t> balances;  // per account index; null read as 0
};

struct Parsed {
  std::vector<std::string> names;
  std::unordered_map<std::string, int> index;
  std::vector<std::int64_t> initial;
  bool init_ok = false;
  std::vector<Transfer> transfers;
  std::vector<Read> reads;
  std::int64_t ok = 0, failed = 0, unknown = 0;
};

int account(const Parsed& p, std::string_view name) {
  auto it = p.index.find(std::string(name));
  return it == p.index.end() ? -1 : it->second;
}

void add_init(const Op& invoke, Parsed& p) {
  for (const auto& [k, v] : fields_of(invoke.value)) {
    auto n = integer_of(v);
    if (!n || p.index.count(k)) continue;
    p.index[k] = static_cast<int>(p.names.size());
    p.names.push_back(k);
    p.initial.push_back(*n);
  }
}

void add_transfer(const Op& invoke, const Op* done, Parsed& p) {
  if (done && done->type == OpType::kFail) {
    ++p.failed;
    return;
  }
  Transfer t;
  scan_flat(invoke.value, [&](std::string_view k, std::string_view v) {
    if (k == "from") t.from = account(p, unquote(v));
    if (k == "to") t.to = account(p, unquote(v));
    if (k == "amount") t.amount = integer_of(v).value_or(0);
  });
  t.invoke_ns = invoke.time;
  t.ok = done && done->type == OpType::kOk;
  if (done) t.complete_ns = done->time;
  ++(t.ok ? p.ok : p.unknown);
  if (t.from >= 0 && t.to >= 0) p.transfers.push_back(t);
}

void add_read(const Op& invoke, const Op& done, Parsed& p) {
  Read r{invoke.time, done.time, done.index, std::vector<std::int64_t>(p.names.size(), 0)};
  for (const auto& [k, v] : fields_of(done.value)) {
    const int a = account(p, k);
    if (a >= 0) r.balances[a] = integer_of(v).value_or(0);
  }
  p.reads.push_back(std::move(r));
}

void add_op(const Op& invoke, const Op* done, Parsed& p) {
  if (invoke.f == "init") {
    p.init_ok = done && done->type == OpType::kOk;
  } else if (invoke.f == "transfer") {
    if (p.init_ok) add_transfer(invoke, done, p);
  } else if (invoke.f == "read" && done && done->type == OpType::kOk && p.init_ok) {
    add_read(invoke, *done, p);
  }
}

Parsed parse(const std::vector<Op>& history) {
  Parsed p;
  walk_operations(
      history,
      [&](const Op& invoke) {
        if (invoke.f == "init") add_init(invoke, p);
      },
      [&](const Op& invoke, const Op* done) { add_op(invoke, done, p); });
  return p;
}

// Amounts summed over events sorted by time: "how much by t".
class Cumulative {
 public:
  void add(std::int64_t t, std::int64_t amount) { points_.emplace_back(t, amount); }
  void seal() {
    std::sort(points_.begin(), points_.end());
    std::int64_t sum = 0;
    for (auto& [t, a] : points_) a = sum += a;
  }
  std::int64_t before(std::int64_t t) const {  // events strictly before t
    auto it = std::lower_bound(points_.begin(), points_.end(), std::make_pair(t, INT64_MIN));
    return it == points_.begin() ? 0 : std::prev(it)->second;
  }

 private:
  std::vector<std::pair<std::int64_t, std::int64_t>> points_;
};

struct Flows {
  Cumulative in_ok, out_ok, in_maybe, out_maybe;
};

std::vector<Flows> flows_of(const Parsed& p) {
  std::vector<Flows> f(p.names.size());
  for (const Transfer& t : p.transfers) {
    if (t.ok) {
      f[t.to].in_ok.add(t.complete_ns, t.amount);
      f[t.from].out_ok.add(t.complete_ns, t.amount);
    }
    f[t.to].in_maybe.add(t.invoke_ns, t.amount);
    f[t.from].out_maybe.add(t.invoke_ns, t.amount);
  }
  for (Flows& x : f) {
    x.in_ok.seal(), x.out_ok.seal(), x.in_maybe.seal(), x.out_maybe.seal();
  }
  return f;
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

void check_read(const Parsed& p, const std::vector<Flows>& flows, std::int64_t total, const Read& r,
                AnomalyCollector& out) {
  std::int64_t sum = 0;
  for (std::size_t a = 0; a < r.balances.size(); ++a) {
    const std::int64_t b = r.balances[a];
    sum += b;
    if (b < 0) {
      Anomaly x = read_anomaly("negative-balance", p.names[a], r);
      x.magnitude = {{"balance", b}};
      x.sentence = fmt::format("{} was read at {}, below zero", p.names[a], b);
      out.add(std::move(x));
    }
    const Flows& f = flows[a];
    const std::int64_t low =
        p.initial[a] + f.in_ok.before(r.invoke_ns) - f.out_maybe.before(r.complete_ns + 1);
    const std::int64_t high =
        p.initial[a] + f.in_maybe.before(r.complete_ns + 1) - f.out_ok.before(r.invoke_ns);
    if (b >= low && b <= high) continue;
    Anomaly x = read_anomaly("lost-transfer", p.names[a], r);
    x.magnitude = {{"balance", b},
                   {"at_least", low},
                   {"at_most", high},
                   {"off_by", b < low ? low - b : b - high}};
    x.sentence = fmt::format("{} was read at {}, outside the [{}, {}] that the transfers allow",
                             p.names[a], b, low, high);
    out.add(std::move(x));
  }
  if (sum == total) return;
  Anomaly x = read_anomaly("total-not-conserved", "", r);
  x.magnitude = {{"total", sum}, {"expected", total}, {"off_by", sum - total}};
  x.sentence =
      fmt::format("an atomic read of every balance summed to {} instead of {}", sum, total);
  out.add(std::move(x));
}

}  // namespace

CheckResult BankChecker::check(const std::vector<Op>& history) {
  const Parsed p = parse(history);
  AnomalyCollector anomalies(history);
  std::int64_t total = 0;
  for (auto b : p.initial) total += b;
  if (p.init_ok) {
    const std::vector<Flows> flows = flows_of(p);
    for (const Read& r : p.reads) check_read(p, flows, total, r, anomalies);
  }
  CheckResult result;
  result.details["accounts"] = p.names.size();
  result.details["total"] = total;
  result.details["transfers"] = {{"ok", p.ok}, {"fail", p.failed}, {"unknown", p.unknown}};
  result.details["reads"] = p.reads.size();
  if (!p.reads.empty() && p.names.size() <= 100) {
    nlohmann::json final = nlohmann::json::object();
    for (std::size_t a = 0; a < p.names.size(); ++a) final[p.names[a]] = p.reads.back().balances[a];
    result.details["final"] = std::move(final);
  }
  if (!p.init_ok)
    result.details["reason"] = "no init operation completed ok: the balances are unknown";
  anomalies.store_into(result, p.init_ok && !p.reads.empty());
  return result;
}

}  // namespace redproof

#include "checkers/cache_staleness_checker.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "checkers/anomaly_collector.hpp"
#include "checkers/cache_expiries.hpp"

namespace redproof {

namespace {

constexpr double kMsPerNs = 1e-6;

CacheOp::Kind kind_of(std::string_view f) {
  if (f == "read") return CacheOp::Kind::kRead;
  if (f == "write") return CacheOp::Kind::kWrite;
  if (f == "flush") return CacheOp::Kind::kFlush;
  if (f == "db-read") return CacheOp::Kind::kDbRead;
  return CacheOp::Kind::kOther;
}

std::size_t value_start(std::string_view text, std::string_view name) {
  std::size_t at = 0;
  while ((at = text.find(name, at)) != std::string_view::npos) {
    const bool quoted = at > 0 && text[at - 1] == '"' && at + name.size() < text.size() &&
                        text[at + name.size()] == '"';
    at += name.size();
    if (!quoted) continue;
    ++at;  // closing quote
    while (at < text.size() && (text[at] == ' ' || text[at] == ':')) ++at;
    return at;
  }
  return std::string_view::npos;
}

// The collector keeps the first hundred anomalies of each name in detail and only counts the
// rest: past that, an anomaly is added by name alone, so a broken run's flood costs no sentences.
// Per name, as the collector counts: a flood of db-lag must not strip the stale reads of theirs.
constexpr std::int64_t kDetailed = 100;

bool brief(AnomalyCollector& anomalies, const char* name) {
  if (anomalies.count(name) < kDetailed) return false;
  Anomaly a;
  a.name = name;
  anomalies.add(std::move(a));
  return true;
}

// An ok write, as the stale-read and consistency checks see it.
struct AckedWrite {
  std::int64_t version, done_ns, invoke_index, done_index;
};

}  // namespace

std::optional<std::int64_t> json_int_field(std::string_view text, std::string_view name) {
  std::size_t at = value_start(text, name);
  if (at == std::string_view::npos || at >= text.size()) return std::nullopt;
  bool negative = text[at] == '-';
  if (negative) ++at;
  if (at >= text.size() || text[at] < '0' || text[at] > '9') return std::nullopt;
  std::int64_t v = 0;
  while (at < text.size() && text[at] >= '0' && text[at] <= '9') v = v * 10 + (text[at++] - '0');
  return negative ? -v : v;
}

std::string_view json_string_field(std::string_view text, std::string_view name) {
  std::size_t at = value_start(text, name);
  if (at == std::string_view::npos || at >= text.size() || text[at] != '"') return {};
  const std::size_t end = text.find('"', at + 1);
  if (end == std::string_view::npos) return {};
  return text.substr(at + 1, end - at - 1);
}

void count_in_bin(std::vector<std::int64_t>& series, std::int64_t ns, std::int64_t bin_ns) {
  const auto s = static_cast<std::size_t>(std::max<std::int64_t>(ns, 0) / bin_ns);
  if (series.size() <= s) series.resize(s + 1, 0);
  ++series[s];
}

CacheHistory collect_cache_ops(const std::vector<Op>& history) {
  CacheHistory h;
  std::unordered_map<std::string, int> key_ids;
  std::unordered_map<std::int64_t, std::size_t> in_flight;  // process -> ops index
  for (const Op& op : history) {
    h.end_ns = std::max(h.end_ns, op.time);
    if (op.is_nemesis() || !op.key) continue;
    if (op.is_invoke()) {
      CacheOp c;
      c.kind = kind_of(op.f);
      if (c.kind == CacheOp::Kind::kOther) continue;
      auto [it, fresh] = key_ids.try_emplace(*op.key, static_cast<int>(h.keys.size()));
      if (fresh) {
        h.keys.push_back(*op.key);
        h.by_key.emplace_back();
      }
      c.key = it->second;
      c.invoke_index = op.index;
      c.invoke_ns = op.time;
      if (c.kind == CacheOp::Kind::kWrite || c.kind == CacheOp::Kind::kFlush) {
        c.version = json_int_field(op.value, "version").value_or(-1);
      }
      in_flight[op.process] = h.ops.size();
      h.by_key[static_cast<std::size_t>(c.key)].push_back(h.ops.size());
      h.ops.push_back(c);
      continue;
    }
    auto it = in_flight.find(op.process);
    if (it == in_flight.end()) continue;
    CacheOp& c = h.ops[it->second];
    in_flight.erase(it);
    c.type = op.type;
    c.done_index = op.index;
    c.done_ns = op.time;
    if (op.type != OpType::kOk) continue;
    if (c.kind == CacheOp::Kind::kRead || c.kind == CacheOp::Kind::kDbRead) {
      c.version = json_int_field(op.value, "version").value_or(-1);
      const std::string_view source = json_string_field(op.value, "source");
      c.source = source.empty() ? 0 : source[0];
    }
  }
  return h;
}

namespace {

using Ops = std::vector<CacheOp>;

std::vector<AckedWrite> acked_writes(const CacheHistory& h, const std::vector<std::size_t>& idx) {
  std::vector<AckedWrite> out;
  for (std::size_t i : idx) {
    const CacheOp& c = h.ops[i];
    if (c.kind == CacheOp::Kind::kWrite && c.type == OpType::kOk && c.version >= 0) {
      out.push_back({c.version, c.done_ns, c.invoke_index, c.done_index});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const AckedWrite& a, const AckedWrite& b) { return a.done_ns < b.done_ns; });
  return out;
}

// The writes that raised the highest acknowledged version, in completion order: both their
// times and their versions increase, so "the newest write done before t" and "the first write
// done newer than v" are binary searches.
std::vector<AckedWrite> staircase(const std::vector<AckedWrite>& writes) {
  std::vector<AckedWrite> out;
  for (const AckedWrite& w : writes) {
    if (out.empty() || w.version > out.back().version) out.push_back(w);
  }
  return out;
}

void stale_reads(const CacheHistory& h, std::size_t key, const std::vector<AckedWrite>& stair,
                 AnomalyCollector& anomalies, nlohmann::json& worst) {
  for (std::size_t i : h.by_key[key]) {
    const CacheOp& r = h.ops[i];
    if (r.kind != CacheOp::Kind::kRead || r.type != OpType::kOk || r.version < 0) continue;
    // Writes done strictly before the read's invoke: one done at the same instant may not
    // have been visible yet.
    auto end = std::lower_bound(stair.begin(), stair.end(), r.invoke_ns,
                                [](const AckedWrite& w, std::int64_t t) { return w.done_ns < t; });
    if (end == stair.begin() || std::prev(end)->version <= r.version) continue;
    const AckedWrite& newest = *std::prev(end);
    auto first =
        std::upper_bound(stair.begin(), end, r.version,
                         [](std::int64_t v, const AckedWrite& w) { return v < w.version; });
    const double after_ms = (r.invoke_ns - first->done_ns) * kMsPerNs;
    worst["ms_after_newer_write"] = std::max(worst.value("ms_after_newer_write", 0.0), after_ms);
    worst["versions_behind"] =
        std::max<std::int64_t>(worst.value("versions_behind", 0), newest.version - r.version);
    if (brief(anomalies, "stale-read")) continue;
    Anomaly a;
    a.name = "stale-read";
    a.key = h.keys[key];
    a.ops = {first->invoke_index, first->done_index, r.invoke_index, r.done_index};
    a.from_ns = first->done_ns;
    a.to_ns = r.done_ns;
    a.magnitude = {{"read_version", r.version},
                   {"newest_acknowledged_version", newest.version},
                   {"versions_behind", newest.version - r.version},
                   {"ms_after_newer_write", after_ms},
                   {"source", std::string(1, r.source)}};
    a.sentence = fmt::format(
        "read of {} returned version {} (from {}) {:.1f} ms after the write of version {} was "
        "acknowledged; {} version(s) behind the newest acknowledged write",
        a.key, r.version,
        r.source == 'c'   ? "the cache"
        : r.source == 'd' ? "the database"
                          : "?",
        after_ms, first->version, newest.version - r.version);
    anomalies.add(std::move(a));
  }
}

// The last ok db-read of the key (the final state), if any.
const CacheOp* final_db_read(const CacheHistory& h, std::size_t key) {
  const CacheOp* last = nullptr;
  for (std::size_t i : h.by_key[key]) {
    const CacheOp& c = h.ops[i];
    if (c.kind == CacheOp::Kind::kDbRead && c.type == OpType::kOk && c.version >= 0) last = &c;
  }
  return last;
}

void lost_writes(const CacheHistory& h, std::size_t key, const std::vector<AckedWrite>& writes,
                 AnomalyCollector& anomalies) {
  const CacheOp* db = final_db_read(h, key);
  if (!db) return;
  std::int64_t lost = 0;
  const AckedWrite* highest = nullptr;
  for (const AckedWrite& w : writes) {
    if (w.done_ns >= db->invoke_ns || w.version <= db->version) continue;
    ++lost;
    if (!highest || w.version > highest->version) highest = &w;
  }
  if (!highest) return;
  Anomaly a;
  a.name = "lost-write";
  a.key = h.keys[key];
  a.ops = {highest->invoke_index, highest->done_index, db->invoke_index, db->done_index};
  a.from_ns = highest->done_ns;
  a.to_ns = db->done_ns;
  a.magnitude = {{"database_version", db->version},
                 {"acknowledged_version", highest->version},
                 {"lost_writes", lost}};
  a.sentence = fmt::format(
      "the final database read of {} found version {}, but {} acknowledged write(s) were newer "
      "(up to version {}): they never reached the database",
      a.key, db->version, lost, highest->version);
  anomalies.add(std::move(a));
}

}  // namespace

namespace {

struct FlushStart {
  std::int64_t version, invoke_ns, invoke_index;
};

// The flushes that may have written the row (ok, unknown, or never completed), by version, each
// with the earliest invoke among those of that version or newer.
std::vector<FlushStart> flush_starts(const CacheHistory& h, std::size_t key) {
  std::vector<FlushStart> out;
  for (std::size_t i : h.by_key[key]) {
    const CacheOp& c = h.ops[i];
    if (c.kind == CacheOp::Kind::kFlush && c.type != OpType::kFail && c.version >= 0) {
      out.push_back({c.version, c.invoke_ns, c.invoke_index});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const FlushStart& a, const FlushStart& b) { return a.version < b.version; });
  for (std::size_t i = out.size(); i-- > 1;) {
    if (out[i].invoke_ns < out[i - 1].invoke_ns) {
      out[i - 1].invoke_ns = out[i].invoke_ns;
      out[i - 1].invoke_index = out[i].invoke_index;
    }
  }
  return out;
}

// db-lag: the row cannot have held a write before some flush of its version (or newer) was
// invoked; a write whose first such flush came more than max-lag after its ok is reported.
void db_lag(const CacheHistory& h, std::size_t key, const std::vector<AckedWrite>& writes,
            std::int64_t max_lag_ns, AnomalyCollector& anomalies, std::int64_t& worst_ns) {
  const std::vector<FlushStart> flushes = flush_starts(h, key);
  for (const AckedWrite& w : writes) {
    auto f = std::lower_bound(flushes.begin(), flushes.end(), w.version,
                              [](const FlushStart& s, std::int64_t v) { return s.version < v; });
    if (f == flushes.end()) continue;  // never flushed: lost-write's finding, if it was lost
    const std::int64_t lag = f->invoke_ns - w.done_ns;
    worst_ns = std::max(worst_ns, lag);
    if (lag <= max_lag_ns || brief(anomalies, "db-lag")) continue;
    Anomaly a;
    a.name = "db-lag";
    a.key = h.keys[key];
    a.ops = {w.invoke_index, w.done_index, f->invoke_index};
    a.from_ns = w.done_ns;
    a.to_ns = f->invoke_ns;
    a.magnitude = {
        {"lag_ms", lag * kMsPerNs}, {"max_lag_ms", max_lag_ns * kMsPerNs}, {"version", w.version}};
    a.sentence = fmt::format(
        "write of {} version {} reached the database no sooner than {:.0f} ms after it was "
        "acknowledged (max-lag {:.0f} ms)",
        a.key, w.version, lag * kMsPerNs, max_lag_ns * kMsPerNs);
    anomalies.add(std::move(a));
  }
}

constexpr std::int64_t kWindowsNs[] = {100'000'000, 1'000'000'000, 10'000'000'000};

struct Consistency {
  std::int64_t observed[3] = {0, 0, 0};
  std::int64_t consistent[3] = {0, 0, 0};
};

// Polaris: was the write's version (or a newer one) served by every read invoked more than W
// after its ok? Writes with no read that late are not counted (nothing observed them).
void consistency(const CacheHistory& h, std::size_t key, const std::vector<AckedWrite>& writes,
                 Consistency& out) {
  std::vector<std::pair<std::int64_t, std::int64_t>> reads;  // invoke, version
  for (std::size_t i : h.by_key[key]) {
    const CacheOp& c = h.ops[i];
    if (c.kind == CacheOp::Kind::kRead && c.type == OpType::kOk && c.version >= 0) {
      reads.emplace_back(c.invoke_ns, c.version);
    }
  }
  std::sort(reads.begin(), reads.end());
  std::vector<std::int64_t> suffix_min(reads.size());
  for (std::size_t i = reads.size(); i-- > 0;) {
    suffix_min[i] =
        i + 1 < reads.size() ? std::min(reads[i].second, suffix_min[i + 1]) : reads[i].second;
  }
  for (const AckedWrite& w : writes) {
    for (int k = 0; k < 3; ++k) {
      const std::int64_t after = w.done_ns + kWindowsNs[k];
      auto it = std::upper_bound(reads.begin(), reads.end(),
                                 std::make_pair(after, std::numeric_limits<std::int64_t>::max()));
      if (it == reads.end()) continue;
      ++out.observed[k];
      if (suffix_min[static_cast<std::size_t>(it - reads.begin())] >= w.version) {
        ++out.consistent[k];
      }
    }
  }
}

nlohmann::json consistency_json(const Consistency& c) {
  nlohmann::json out = nlohmann::json::array();
  const char* names[] = {"100ms", "1s", "10s"};
  for (int k = 0; k < 3; ++k) {
    const std::int64_t n = c.observed[k], ok = c.consistent[k];
    const double fraction = n ? static_cast<double>(ok) / n : 1.0;
    nlohmann::json nines = nullptr;  // every observed write consistent: no finite figure
    std::string text =
        n ? fmt::format("all {} observed writes consistent", n) : "no write observed";
    if (ok < n) {
      nines = -std::log10(1.0 - fraction);
      text = fmt::format("{:.6f} ({:.2f} nines; {} of {} writes inconsistent)", fraction,
                         nines.get<double>(), n - ok, n);
    }
    out.push_back({{"window", names[k]},
                   {"window_ms", kWindowsNs[k] / 1000000},
                   {"writes_observed", n},
                   {"consistent", ok},
                   {"fraction", fraction},
                   {"nines", nines},
                   {"text", text}});
  }
  return out;
}

// Hit ratio and the per-second series: the database's loads beside the whole traffic, so a
// herd shows as a spike when the report draws them.
void traffic(const CacheHistory& h, nlohmann::json& details) {
  std::int64_t reads = 0, hits = 0, loads = 0, stale = 0;
  std::vector<std::int64_t> loads_ps, ops_ps, flushes_ps;
  for (const CacheOp& c : h.ops) {
    if (c.type != OpType::kOk) continue;
    count_in_bin(ops_ps, c.done_ns);
    if (c.kind == CacheOp::Kind::kFlush) count_in_bin(flushes_ps, c.done_ns);
    if (c.kind != CacheOp::Kind::kRead) continue;
    ++reads;
    if (c.source == 'c') ++hits;
    if (c.source == 's') ++stale;
    if (c.source == 'd') {
      ++loads;
      count_in_bin(loads_ps, c.done_ns);
    }
  }
  loads_ps.resize(std::max(loads_ps.size(), ops_ps.size()), 0);
  details["reads"] = reads;
  details["hits"] = hits;
  details["db_loads"] = loads;
  if (stale) details["stale_served"] = stale;
  details["hit_ratio"] = reads ? static_cast<double>(hits) / reads : 0.0;
  details["db_loads_per_second"] = loads_ps;
  details["ops_per_second"] = ops_ps;
  if (!flushes_ps.empty()) details["flushes_per_second"] = flushes_ps;
}

}  // namespace

CheckResult CacheStalenessChecker::check(const std::vector<Op>& history) {
  const CacheHistory h = collect_cache_ops(history);
  AnomalyCollector anomalies(history);
  Consistency cons;
  nlohmann::json worst_stale = nlohmann::json::object();
  std::int64_t worst_lag_ns = -1, acked = 0;
  bool any_flush = options_.write_behind;
  for (const CacheOp& c : h.ops) any_flush = any_flush || c.kind == CacheOp::Kind::kFlush;
  for (std::size_t key = 0; key < h.keys.size(); ++key) {
    const std::vector<AckedWrite> writes = acked_writes(h, h.by_key[key]);
    acked += static_cast<std::int64_t>(writes.size());
    stale_reads(h, key, staircase(writes), anomalies, worst_stale);
    lost_writes(h, key, writes, anomalies);
    if (any_flush) db_lag(h, key, writes, options_.max_lag_ns, anomalies, worst_lag_ns);
    consistency(h, key, writes, cons);
  }
  CheckResult r;
  r.details["acknowledged_writes"] = acked;
  traffic(h, r.details);
  add_expiry_details(h, observed_expiries(h), anomalies.windows(),
                     r.details["ops_per_second"].size(), kExpiryOrEviction, r.details);
  r.details["consistency"] = consistency_json(cons);
  if (!worst_stale.empty())
    r.details["worst_stale_read"] = worst_stale;  // the largest of each figure
  if (any_flush) {
    r.details["max_lag_ms"] = options_.max_lag_ns * kMsPerNs;
    if (worst_lag_ns >= 0) r.details["worst_db_lag_ms"] = worst_lag_ns * kMsPerNs;
  }
  anomalies.store_into(r);
  return r;
}

}  // namespace redproof
